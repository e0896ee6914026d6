import { Module } from '@nestjs/common';
import { LimitsModule } from '../limits/limits.module';
import { AccountService } from './account.service';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { BootstrapService } from './bootstrap.service';

/** Sessions, API-token authentication, sign-in throttling, invite and reset links, the first admin. The HTTP guard is the app module's. */
@Module({
  imports: [LimitsModule],
  providers: [AuthRepository, AuthService, AccountService, BootstrapService],
  exports: [AuthService, AccountService],
})
export class AuthModule {}
