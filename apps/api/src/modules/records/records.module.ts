import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { EntitiesModule } from '../entities/entities.module';
import { OrgModule } from '../org/org.module';
import { AccessPreviewService } from './access-preview.service';
import { RecordEvents } from './record-events';
import { RecordHistoryService } from './record-history.service';
import { RecordWritesRepository } from './record-writes.repository';
import { RecordsQueryService } from './records-query.service';
import { RecordsRepository } from './records.repository';
import { RecordsService } from './records.service';
import { RecordWritePipeline } from './write-pipeline';

/**
 * Records: the read path and the one write pipeline. Forms, computed fields and files register
 * into the pipeline's stages (`RecordWritePipeline.register`); later features subscribe to
 * its record events (`RecordEvents.subscribe`).
 */
@Module({
  imports: [EntitiesModule, AccessModule, OrgModule],
  providers: [
    AccessPreviewService,
    RecordsRepository,
    RecordWritesRepository,
    RecordsQueryService,
    RecordHistoryService,
    RecordsService,
    RecordWritePipeline,
    RecordEvents,
  ],
  exports: [
    AccessPreviewService,
    RecordsRepository,
    RecordWritesRepository,
    RecordsQueryService,
    RecordHistoryService,
    RecordsService,
    RecordWritePipeline,
    RecordEvents,
  ],
})
export class RecordsModule {}
