import { Global, Module } from '@nestjs/common';
import { EntitiesModule } from '../entities/entities.module';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';
import { PermissionGroupsController } from './permission-groups.controller';
import { PermissionGroupsService } from './permission-groups.service';

@Global()
@Module({
  imports: [EntitiesModule],
  controllers: [PermissionGroupsController],
  providers: [AccessRepository, AccessService, PermissionGroupsService],
  exports: [AccessService],
})
export class AccessModule {}
