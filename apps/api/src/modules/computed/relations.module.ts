import { Module } from '@nestjs/common';
import { EntitiesModule } from '../entities/entities.module';
import { RecordsModule } from '../records/records.module';
import { RelationsController } from './relations.controller';
import { RelationsService } from './relations.service';

/** Relation pickers and related lists: reads of another entity through the records list. */
@Module({
  imports: [EntitiesModule, RecordsModule],
  controllers: [RelationsController],
  providers: [RelationsService],
})
export class RelationsModule {}
