import { Module } from '@nestjs/common';
import { LimitsModule } from '../limits/limits.module';
import { AccountService } from './account.service';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { BootstrapService } from './bootstrap.service';
import { ProfileService } from './profile.service';

/** Sessions, API-token authentication, sign-in throttling, invite and reset links, the first admin. The HTTP guard is the app module's. */
@Module({
  imports: [LimitsModule],
  providers: [AuthRepository, AuthService, AccountService, BootstrapService, ProfileService],
  exports: [AuthService, AccountService, ProfileService],
})
export class AuthModule {}
