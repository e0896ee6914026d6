import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AppAdminsService } from './app-admins.service';
import { DepartmentsRepository } from './departments.repository';
import { DepartmentsService } from './departments.service';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';
import { OrgRepository } from './org.repository';
import { RolesRepository } from './roles.repository';
import { RolesService } from './roles.service';

/** Members, departments, roles and app admins; the access layer above asks `OrgRepository.membershipsOf` and `DepartmentsService.descendantsOf`. */
@Module({
  imports: [AuthModule],
  providers: [OrgRepository, MembersRepository, MembersService, DepartmentsRepository, DepartmentsService, RolesRepository, RolesService, AppAdminsService],
  exports: [OrgRepository, DepartmentsService, MembersService, RolesService, AppAdminsService],
})
export class OrgModule {}
