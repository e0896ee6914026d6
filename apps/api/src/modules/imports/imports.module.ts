import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { EntitiesModule } from '../entities/entities.module';
import { JobsModule } from '../jobs/jobs.module';
import { RecordsModule } from '../records/records.module';
import { ExportsService } from './exports.service';
import { ImportJob } from './import-job';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';

/**
 * Import of CSV and .xlsx files and export of views (docs/import-export.md): the engine is
 * packages/import; this module stores sessions and files, implements the engine's lookups over
 * the workspace, and writes through the records pipeline in the `import.run` job.
 */
@Module({
  imports: [EntitiesModule, AccessModule, RecordsModule, JobsModule],
  providers: [ImportsRepository, ImportsService, ExportsService, ImportJob],
  exports: [ImportsService, ExportsService],
})
export class ImportsModule {}
