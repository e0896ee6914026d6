import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { EntitiesModule } from '../entities/entities.module';
import { LimitsModule } from '../limits/limits.module';
import { RecordsModule } from '../records/records.module';
import { FormDesignService } from './form-design.service';
import { FormRuntime } from './form-runtime.service';
import { FormWriteParticipant } from './form-write.participant';
import { FormsRepository } from './forms.repository';
import { FormsService } from './forms.service';
import { PublicFormsService } from './public-forms.service';
import { PublicLinksService } from './public-links.service';

/**
 * Forms: design (draft, publish, versions, schemas, public-link settings), the compiled
 * published forms, their part in record writes (registered with the records pipeline at
 * start-up), and the anonymous side of public links.
 */
@Module({
  imports: [EntitiesModule, AccessModule, RecordsModule, LimitsModule],
  providers: [FormsRepository, FormRuntime, FormsService, FormDesignService, PublicLinksService, FormWriteParticipant, PublicFormsService],
  exports: [FormRuntime, FormsService, FormDesignService, PublicLinksService, PublicFormsService],
})
export class FormsModule {}
