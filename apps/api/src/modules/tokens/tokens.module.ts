import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OrgModule } from '../org/org.module';
import { TokensRepository } from './tokens.repository';
import { TokensService } from './tokens.service';

/** API tokens: shown once, stored hashed, app-narrowed or read-only. */
@Module({
  imports: [AuthModule, OrgModule],
  providers: [TokensRepository, TokensService],
  exports: [TokensService],
})
export class TokensModule {}
