import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AppAdminsController } from './app-admins.controller';
import { AppAdminsService } from './app-admins.service';
import { DepartmentsController } from './departments.controller';
import { DepartmentsRepository } from './departments.repository';
import { DepartmentsService } from './departments.service';
import { MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';
import { OrgRepository } from './org.repository';
import { RolesController } from './roles.controller';
import { RolesRepository } from './roles.repository';
import { RolesService } from './roles.service';

/**
 * Members, departments, roles and app admins. Global so that the access layer can ask
 * `OrgRepository.subjectOf / isAppAdmin / appAdminAppIds` and `DepartmentsService.descendantsOf`.
 */
@Global()
@Module({
  imports: [AuthModule],
  controllers: [MembersController, DepartmentsController, RolesController, AppAdminsController],
  providers: [OrgRepository, MembersRepository, MembersService, DepartmentsRepository, DepartmentsService, RolesRepository, RolesService, AppAdminsService],
  exports: [OrgRepository, DepartmentsService],
})
export class OrgModule {}
