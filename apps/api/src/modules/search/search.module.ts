import { Module } from '@nestjs/common';
import { EntitiesModule } from '../entities/entities.module';
import { RecordsModule } from '../records/records.module';
import { SearchService } from './search.service';

/** Global search across an app's records, under each member's permissions. */
@Module({
  imports: [EntitiesModule, RecordsModule],
  providers: [SearchService],
  exports: [SearchService],
})
export class SearchModule {}
