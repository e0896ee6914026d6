import { Module } from '@nestjs/common';
import { OrgModule } from '../org/org.module';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';

/** The one enforcement point of permissions (EntityAccess); the groups are designed in modules/permissions. */
@Module({
  imports: [OrgModule],
  providers: [AccessRepository, AccessService],
  exports: [AccessService, AccessRepository],
})
export class AccessModule {}
