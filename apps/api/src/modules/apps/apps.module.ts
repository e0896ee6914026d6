import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AppsRepository } from './apps.repository';
import { AppsService } from './apps.service';

/** Apps: named groups of entities. */
@Module({
  imports: [AccessModule],
  providers: [AppsRepository, AppsService],
  exports: [AppsService],
})
export class AppsModule {}
