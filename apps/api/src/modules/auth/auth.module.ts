import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccountService } from './account.service';
import { AuthController } from './auth.controller';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { BootstrapService } from './bootstrap.service';
import { SessionGuard } from './session.guard';

@Module({
  controllers: [AuthController],
  providers: [AuthRepository, AuthService, AccountService, BootstrapService, { provide: APP_GUARD, useClass: SessionGuard }],
  exports: [AuthService, AccountService],
})
export class AuthModule {}
