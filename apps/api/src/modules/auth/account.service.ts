import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { AppError } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import type { Executor } from '../../database/db';
import { bumpAclVersion } from './acl-version.repository';
import { AuditService } from '../audit/audit.service';
import { AuthRepository, type UserRow } from './auth.repository';
import { AuthService, hashSecret, throttleKey } from './auth.service';
import { hashPassword, newPasswordProblem, verifyPassword } from './password';

export type LinkKind = 'invite' | 'reset';

const LINK_TTL_MS: Record<LinkKind, number> = { invite: 7 * 24 * 3600_000, reset: 24 * 3600_000 };
const AUDIT_ACTION: Record<LinkKind, string> = { invite: 'auth.invite_accepted', reset: 'auth.password_reset' };

export interface IssuedLink {
  url: string;
  expiresAt: string;
}

/**
 * Credentials around the password: one-use invite and reset links (random, stored as a
 * SHA-256 hash), accepting them, and changing one's own password. Links are built from the
 * configured public URL only, never from request headers (Host/Origin/X-Forwarded-*).
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `${PUBLIC_URL}/invite/<token>` or `/reset/<token>`; without PUBLIC_URL, http://localhost:PORT. */
  linkFor(kind: LinkKind, token: string): string {
    const base = (this.config.publicUrl ?? `http://localhost:${this.config.port}`).replace(/\/+$/, '');
    return `${base}/${kind}/${token}`;
  }

  /** Creates a link in the caller's transaction; earlier unused links of the member stop working. */
  async issueLink(tx: Executor, userId: string, kind: LinkKind): Promise<IssuedLink> {
    const now = new Date();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = nowStorage(new Date(now.getTime() + LINK_TTL_MS[kind]));
    await this.repo.cancelUserTokens(tx, userId, nowStorage(now));
    await this.repo.insertUserToken(tx, { id: newId(), userId, kind, tokenHash: hashSecret(token), expiresAt, createdAt: nowStorage(now) });
    return { url: this.linkFor(kind, token), expiresAt: storageToIso(expiresAt)! };
  }

  /** Sets a password an admin chose (an invited member becomes active); sessions and open links end. */
  async setPassword(tx: Executor, userId: string, passwordHash: string, status: string): Promise<number> {
    await this.repo.setPassword(tx, userId, passwordHash, status, nowStorage());
    return this.cutOff(tx, userId);
  }

  /** Ends every session of the member and cancels their open links (disable, password reset). */
  async cutOff(tx: Executor, userId: string): Promise<number> {
    await this.repo.cancelUserTokens(tx, userId, nowStorage());
    return this.repo.endSessions(tx, userId);
  }

  /**
   * Sets the password through an invite (the member becomes active) or reset link. The link
   * works once, until it expires; the member's sessions end.
   */
  async acceptLink(
    kind: LinkKind,
    body: unknown,
    meta: { ip: string; requestId: string },
  ): Promise<{ userId: string; email: string | null; username: string | null }> {
    const input = new InputChecker(body).only(['token', 'password']);
    const token = input.string('token', { required: true, max: 200, trim: false });
    const problem = newPasswordProblem(input.raw('password'));
    if (problem) input.issues.push({ path: '/password', ...problem, message: `password ${problem.message}` });
    input.doneOrThrow();
    const invalid = () => new AppError('INVALID_TOKEN', `This ${kind} link is invalid, already used or expired; ask an admin for a new one`);
    const found = await this.repo.findLiveUserToken(hashSecret(token!), kind, nowStorage());
    if (!found) throw invalid();
    const owner = await this.repo.findUserById(null, found.user_id);
    if (!owner) throw invalid();
    const hash = await hashPassword(input.raw('password') as string);
    const user = await this.repo.transaction(async (tx) => {
      // The workspace row first, then the member's: org changes take locks in this order.
      await bumpAclVersion(tx, owner.workspace_id);
      const u = await this.repo.findUserById(tx, found.user_id);
      if (!u || !this.canAccept(kind, u)) throw invalid();
      const now = nowStorage();
      if (!(await this.repo.consumeUserToken(tx, found.id, now))) throw invalid();
      await this.repo.setPassword(tx, u.id, hash, 'active', now);
      await this.repo.cancelUserTokens(tx, u.id, now);
      const sessions = await this.repo.endSessions(tx, u.id);
      const changes: Record<string, unknown> = { password: { from: '(hidden)', to: '(hidden)' }, sessionsEnded: sessions };
      if (u.status !== 'active') changes.status = { from: u.status, to: 'active' };
      await this.audit.writeRaw(
        [
          {
            workspaceId: u.workspace_id,
            actorId: u.id,
            actorKind: 'user',
            action: AUDIT_ACTION[kind],
            targetType: 'member',
            targetId: u.id,
            changes,
            requestId: meta.requestId || null,
            ip: meta.ip || null,
            at: now,
          },
        ],
        tx,
      );
      return u;
    });
    return { userId: user.id, email: user.email, username: user.username };
  }

  /**
   * Changes the signed-in member's password: the current one must match (wrong answers count
   * towards the sign-in throttle), and every other session of the member ends.
   */
  async changePassword(ctx: RequestContext, body: unknown): Promise<{ sessionsEnded: number }> {
    if (ctx.actor.kind !== 'session') throw new AppError('FORBIDDEN', 'Change the password in a signed-in session, not with an API token');
    const input = new InputChecker(body).only(['currentPassword', 'newPassword']);
    const current = input.string('currentPassword', { required: true, max: 1024, trim: false });
    const problem = newPasswordProblem(input.raw('newPassword'));
    if (problem) input.issues.push({ path: '/newPassword', ...problem, message: `newPassword ${problem.message}` });
    input.doneOrThrow();
    const user = await this.repo.findUserById(null, ctx.actor.userId);
    if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in first');
    const attempt = await this.auth.reserveSignInOrThrow(throttleKey(user), ctx.ip);
    if (!(await verifyPassword(current!, user.password_hash))) {
      await this.audit.write(ctx, { action: 'auth.password_change_failed', targetType: 'member', targetId: user.id });
      throw new AppError('INVALID_CREDENTIALS', 'The current password is wrong');
    }
    await this.auth.signInSucceeded(attempt);
    const hash = await hashPassword(input.raw('newPassword') as string);
    return this.repo.transaction(async (tx) => {
      const now = nowStorage();
      await this.repo.setPassword(tx, user.id, hash, user.status, now);
      await this.repo.cancelUserTokens(tx, user.id, now);
      const n = await this.repo.endSessions(tx, user.id, ctx.actor.sessionId);
      await this.audit.write(
        ctx,
        {
          action: 'auth.password_changed',
          targetType: 'member',
          targetId: user.id,
          changes: { password: { from: '(hidden)', to: '(hidden)' }, sessionsEnded: n },
        },
        tx,
      );
      return { sessionsEnded: n };
    });
  }

  /** An invite link activates an invited member; a reset link serves an invited or active one. */
  private canAccept(kind: LinkKind, u: UserRow): boolean {
    return kind === 'invite' ? u.status === 'invited' : u.status === 'invited' || u.status === 'active';
  }
}
