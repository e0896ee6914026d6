import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../../common/errors';
import { type CrmRequest, IS_PUBLIC } from '../../common/request-context';
import { AuthService, SESSION_COOKIE } from './auth.service';

/** Every route needs a live session unless marked @Public(). */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ec: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ec.getHandler(), ec.getClass()])) return true;
    const req = ec.switchToHttp().getRequest<CrmRequest>();
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    const found = await this.auth.actorForToken(token);
    if (!found) throw new AppError('UNAUTHENTICATED', 'Sign in first: this call needs a session');
    req.actor = found.actor;
    return true;
  }
}
