import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { EntitiesModule } from '../entities/entities.module';
import { RecordsModule } from '../records/records.module';
import { ComputedDesignService } from './computed-design.service';
import { ComputedPlans } from './computed-plans';
import { ComputedWriteParticipant } from './computed-write.participant';
import { ComputedRepository } from './computed.repository';
import { ComputedService } from './computed.service';
import { RelationsService } from './relations.service';

/**
 * Computed fields (formulas, rollups) and relation reads (pickers, related lists). At start-up
 * it registers its write stages with the records pipeline and its design checks with the
 * entities' design hooks: nothing below imports it.
 */
@Module({
  imports: [EntitiesModule, AccessModule, RecordsModule],
  providers: [ComputedRepository, ComputedPlans, ComputedService, ComputedDesignService, ComputedWriteParticipant, RelationsService],
  exports: [ComputedService, RelationsService],
})
export class ComputedModule {}
