import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { AppError } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import type { Actor, RequestContext } from '../../common/request-context';
import { AuditService } from '../audit/audit.service';
import { type Bucket, RateLimiter } from '../limits/rate-limiter.service';
import { type ActorRow, AuthRepository, type UserRow } from './auth.repository';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password';
import { sessionCache } from './session-cache';

export const SESSION_COOKIE = 'sid';
/** Readable by the page's script, which echoes it in the X-CSRF-Token header of every write. */
export const CSRF_COOKIE = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const TOKEN_PREFIX = 'crm_';

export interface Me {
  user: { id: string; email: string; name: string; isAdmin: boolean; language: string | null };
  workspace: { id: string; name: string };
}

export const hashSecret = (token: string) => createHash('sha256').update(token).digest('hex');

/** What failed sign-ins of a member are counted under (their account's throttle bucket). */
export const throttleKey = (user: { id: string; email: string | null; username: string | null }) => user.email ?? user.username ?? user.id;

function toActor(row: ActorRow, kind: Actor['kind']): Actor {
  return {
    kind,
    userId: row.user_id,
    workspaceId: row.workspace_id,
    workspaceName: row.workspace_name,
    email: row.email ?? '',
    name: row.name,
    isAdmin: !!Number(row.is_admin),
    sessionId: kind === 'session' ? row.credential_id : null,
    tokenId: kind === 'token' ? row.credential_id : null,
    appIds: row.app_ids ? (JSON.parse(row.app_ids) as string[]) : null,
    readOnly: !!Number(row.read_only ?? 0),
    aclVersion: Number(row.acl_version),
  };
}

/** The places one sign-in attempt holds in the throttle. */
export interface SignInAttempt {
  account: Bucket;
  address: Bucket;
}

function loginInputOrThrow(input: { email: unknown; password: unknown }): { login: string; password: string } {
  if (typeof input.email !== 'string' || typeof input.password !== 'string' || input.email.length > 255 || input.password.length > 1024) {
    throw new AppError('VALIDATION_FAILED', 'email and password are required strings', {
      errors: [
        ...(typeof input.email !== 'string' ? [{ path: '/email', code: 'required', message: 'email is required' }] : []),
        ...(typeof input.password !== 'string' ? [{ path: '/password', code: 'required', message: 'password is required' }] : []),
      ],
    });
  }
  return { login: input.email.trim().toLowerCase(), password: input.password };
}

function toMe(row: ActorRow): Me {
  return {
    user: { id: row.user_id, email: row.email ?? '', name: row.name, isAdmin: !!Number(row.is_admin), language: row.language ?? null },
    workspace: { id: row.workspace_id, name: row.workspace_name },
  };
}

@Injectable()
export class AuthService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly audit: AuditService,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Checks the password and opens a session; `email` may also be a username (no "@"). Unknown
   * login, wrong password and an invited or disabled member take the same time (a hash is
   * always checked) and give the same answer. Each attempt first reserves a place in the
   * throttle of its account and of its address, before the password is even looked at, so no
   * number of parallel attempts gets more guesses than the limit.
   */
  async loginOrThrow(input: {
    email: unknown;
    password: unknown;
    ip: string;
    requestId: string;
  }): Promise<{ token: string; csrf: string; expiresAt: Date; me: Me }> {
    const { login, password } = loginInputOrThrow(input);
    const user = await this.repo.findUserByLogin(login);
    // One count per account, whether it is tried by email or by username.
    const attempt = await this.reserveSignInOrThrow(user ? throttleKey(user) : login, input.ip);
    const ok = await verifyPassword(password, user?.password_hash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !ok || user.status !== 'active') {
      if (user) await this.auditLoginFailed(user, input);
      throw new AppError('INVALID_CREDENTIALS', 'Wrong email or password');
    }
    await this.signInSucceeded(attempt);
    return this.openSession(user, input);
  }

  /**
   * Reserves one attempt for the account (email or username) and the address; 429 when either
   * has had its limit within the window. A reservation stays counted as a failure unless
   * `signInSucceeded` gives it back.
   */
  async reserveSignInOrThrow(login: string, ip: string): Promise<SignInAttempt> {
    const t = this.config.loginThrottle;
    const attempt = {
      account: RateLimiter.bucket('login:account', login, t.perAccount, t.windowMinutes * 60),
      address: RateLimiter.addressBucket('login:address', ip, t.perIp, t.windowMinutes * 60),
    };
    const res = await this.limiter.reserve([attempt.account, attempt.address]);
    if (!res.ok) {
      const minutes = Math.ceil(res.retryAfterSeconds / 60);
      throw new AppError('TOO_MANY_ATTEMPTS', `Too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, {
        retryAfterSeconds: res.retryAfterSeconds,
      });
    }
    return attempt;
  }

  /** The right password: the account's failures are forgotten and the address gets its place back. */
  async signInSucceeded(attempt: SignInAttempt): Promise<void> {
    await this.limiter.reset(attempt.account);
    await this.limiter.release(attempt.address);
  }

  private async auditLoginFailed(user: UserRow, input: { ip: string; requestId: string }): Promise<void> {
    await this.audit.writeRaw([
      {
        workspaceId: user.workspace_id,
        actorId: null,
        actorKind: 'anonymous',
        action: 'auth.login_failed',
        targetType: 'member',
        targetId: user.id,
        changes: {},
        requestId: input.requestId,
        ip: input.ip,
        at: nowStorage(),
      },
    ]);
  }

  private async openSession(user: UserRow, input: { ip: string; requestId: string }): Promise<{ token: string; csrf: string; expiresAt: Date; me: Me }> {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.sessionTtlHours * 3600_000);
    const now = nowStorage();
    await this.repo.insertSession({
      id: newId(),
      tokenHash: hashSecret(token),
      csrfHash: hashSecret(csrf),
      userId: user.id,
      workspaceId: user.workspace_id,
      expiresAt: nowStorage(expiresAt),
      createdAt: now,
      ip: input.ip,
    });
    const row = (await this.repo.findActiveSession(hashSecret(token), now))!;
    await this.audit.writeRaw([
      {
        workspaceId: user.workspace_id,
        actorId: user.id,
        actorKind: 'user',
        action: 'auth.login',
        targetType: 'member',
        targetId: user.id,
        changes: {},
        requestId: input.requestId,
        ip: input.ip,
        at: now,
      },
    ]);
    return { token, csrf, expiresAt, me: toMe(row) };
  }

  /** The member behind a session cookie, or null. */
  async sessionActor(token: string | undefined): Promise<{ actor: Actor; me: Me; csrfHash: string | null } | null> {
    if (!token || token.length > 200) return null;
    const tokenHash = hashSecret(token);
    const now = new Date();
    const row =
      (sessionCache.get(tokenHash, now.getTime()) as ActorRow | undefined) ??
      (await sessionCache.load<ActorRow>(tokenHash, async () => {
        const found = await this.repo.findActiveSession(tokenHash, nowStorage(now));
        return found && { value: found, expiresAt: Date.parse(storageToIso(found.expires_at) ?? '') || 0 };
      }));
    return row ? { actor: toActor(row, 'session'), me: toMe(row), csrfHash: row.csrf_hash ?? null } : null;
  }

  /** The member behind an API token (`Authorization: Bearer crm_…`), or null; each use is audited. */
  async tokenActor(token: string, meta: { ip: string; requestId: string; method: string; path: string }): Promise<Actor | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const now = nowStorage();
    const row = await this.repo.findActiveToken(hashSecret(token), now);
    if (!row) return null;
    await this.repo.touchToken(row.credential_id, now);
    await this.audit.writeRaw([
      {
        workspaceId: row.workspace_id,
        actorId: row.user_id,
        actorKind: 'token',
        action: 'token.use',
        targetType: 'token',
        targetId: row.credential_id,
        changes: { method: meta.method, path: meta.path.slice(0, 500) },
        requestId: meta.requestId,
        ip: meta.ip,
        at: now,
      },
    ]);
    return toActor(row, 'token');
  }

  csrfMatches(sent: string | undefined, expectedHash: string | null): boolean {
    if (!sent || !expectedHash || sent.length > 200) return false;
    const a = Buffer.from(hashSecret(sent), 'hex');
    const b = Buffer.from(expectedHash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async logout(ctx: RequestContext): Promise<void> {
    if (ctx.actor.sessionId) await this.repo.deleteSession(ctx.actor.sessionId);
    await this.audit.write(ctx, { action: 'auth.logout', targetType: 'member', targetId: ctx.actor.userId });
  }

  /** Ends every session of the member (this one included). */
  async logoutEverywhere(ctx: RequestContext): Promise<number> {
    const n = await this.repo.deleteUserSessions(ctx.actor.userId);
    await this.audit.write(ctx, { action: 'auth.logout_all', targetType: 'member', targetId: ctx.actor.userId, changes: { sessions: n } });
    return n;
  }

  cookieOptions(expires?: Date, httpOnly = true) {
    return {
      httpOnly,
      sameSite: 'lax' as const,
      secure: this.config.publicUrl?.startsWith('https:') ?? false,
      path: '/',
      ...(expires ? { expires } : {}),
    };
  }
}
