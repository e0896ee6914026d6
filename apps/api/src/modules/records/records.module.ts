import { Module } from '@nestjs/common';
import { EntitiesModule } from '../entities/entities.module';
import { RecordsQueryService } from './records-query.service';
import { RecordsController } from './records.controller';
import { RecordsRepository } from './records.repository';
import { RecordsService } from './records.service';

@Module({
  imports: [EntitiesModule],
  controllers: [RecordsController],
  providers: [RecordsRepository, RecordsService, RecordsQueryService],
  exports: [RecordsQueryService, RecordsService],
})
export class RecordsModule {}
