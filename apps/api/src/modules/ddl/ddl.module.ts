import { Module } from '@nestjs/common';
import { DdlRunnerService } from './ddl-runner.service';
import { DdlRepository } from './ddl.repository';
import { SchemaRepository } from './schema.repository';

/** Persisted DDL plans and their runner. Tests inject faults through the kernel's config module (DDL_FAULTS). */
@Module({
  providers: [DdlRepository, SchemaRepository, DdlRunnerService],
  exports: [DdlRepository, SchemaRepository, DdlRunnerService],
})
export class DdlModule {}
