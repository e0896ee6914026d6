import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../../common/errors';
import { clientIpOf, type CrmRequest, IS_PUBLIC } from '../../common/request-context';
import { AuthService, CSRF_HEADER, SESSION_COOKIE } from './auth.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route needs a live session cookie or an API token unless marked @Public(). Cookie
 * writes must echo the CSRF token (double submit, bound to the session); token requests
 * carry no ambient credentials, so they need none. A read-only token cannot write.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ec: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ec.getHandler(), ec.getClass()])) return true;
    const req = ec.switchToHttp().getRequest<CrmRequest>();
    const authz = req.header('authorization');
    if (authz) {
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      const actor = m
        ? await this.auth.tokenActor(m[1], { ip: clientIpOf(req), requestId: req.requestId ?? '', method: req.method, path: req.originalUrl })
        : null;
      if (!actor) throw new AppError('UNAUTHENTICATED', 'The API token is invalid, expired or revoked');
      if (actor.readOnly && !SAFE_METHODS.has(req.method)) throw new AppError('FORBIDDEN', 'This API token is read-only');
      req.actor = actor;
      return true;
    }
    const found = await this.auth.sessionActor((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]);
    if (!found) throw new AppError('UNAUTHENTICATED', 'Sign in first: this call needs a session');
    if (!SAFE_METHODS.has(req.method) && !this.auth.csrfMatches(req.header(CSRF_HEADER), found.csrfHash)) {
      throw new AppError('CSRF_FAILED', `Writes with a session cookie need the ${CSRF_HEADER} header (the value of the "csrf" cookie)`);
    }
    req.actor = found.actor;
    return true;
  }
}
