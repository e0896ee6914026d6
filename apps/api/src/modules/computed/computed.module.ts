import { Global, Module } from '@nestjs/common';
import { EntitiesModule } from '../entities/entities.module';
import { RecordsRepository } from '../records/records.repository';
import { ComputedDesignService } from './computed-design.service';
import { ComputedPlans } from './computed-plans';
import { ComputedRepository } from './computed.repository';
import { ComputedService } from './computed.service';

/**
 * Computed fields: the write-path hooks (records) and the design-time checks (entities).
 * Global, like access: the records and entities services call into it.
 */
@Global()
@Module({
  imports: [EntitiesModule],
  providers: [ComputedRepository, ComputedPlans, ComputedService, ComputedDesignService, RecordsRepository],
  exports: [ComputedService, ComputedDesignService],
})
export class ComputedModule {}
