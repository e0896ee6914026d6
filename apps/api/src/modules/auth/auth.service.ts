import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { AppError } from '../../common/errors';
import { newId, nowStorage } from '../../common/ids';
import type { Actor } from '../../common/request-context';
import { AuthRepository } from './auth.repository';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password';

export const SESSION_COOKIE = 'sid';

export interface Me {
  user: { id: string; email: string; name: string; isAdmin: boolean };
  workspace: { id: string; name: string };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

@Injectable()
export class AuthService {
  constructor(
    private readonly repo: AuthRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Checks the password and opens a session; unknown email and wrong password look the same. */
  async loginOrThrow(input: { email: unknown; password: unknown; ip: string }): Promise<{ token: string; expiresAt: Date; me: Me }> {
    if (typeof input.email !== 'string' || typeof input.password !== 'string' || input.email.length > 255 || input.password.length > 1024) {
      throw new AppError('VALIDATION_FAILED', 'email and password are required strings', {
        errors: [
          ...(typeof input.email !== 'string' ? [{ path: '/email', code: 'required', message: 'email is required' }] : []),
          ...(typeof input.password !== 'string' ? [{ path: '/password', code: 'required', message: 'password is required' }] : []),
        ],
      });
    }
    const user = await this.repo.findUserByEmail(input.email.trim().toLowerCase());
    const ok = await verifyPassword(input.password, user?.password_hash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !ok || user.status !== 'active') throw new AppError('INVALID_CREDENTIALS', 'Wrong email or password');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.sessionTtlHours * 3600_000);
    await this.repo.insertSession({ id: newId(), tokenHash: hashToken(token), userId: user.id, workspaceId: user.workspace_id, expiresAt: nowStorage(expiresAt), createdAt: nowStorage(), ip: input.ip });
    const session = await this.repo.findActiveSession(hashToken(token), nowStorage());
    return { token, expiresAt, me: toMe(session!) };
  }

  async actorForToken(token: string | undefined): Promise<{ actor: Actor; me: Me } | null> {
    if (!token || token.length > 200) return null;
    const row = await this.repo.findActiveSession(hashToken(token), nowStorage());
    if (!row) return null;
    return {
      actor: { userId: row.user_id, workspaceId: row.workspace_id, email: row.email, isAdmin: !!Number(row.is_admin), sessionId: row.session_id },
      me: toMe(row),
    };
  }

  async logout(actor: Actor): Promise<void> {
    await this.repo.deleteSession(actor.sessionId);
  }

  cookieOptions(expires?: Date) {
    return {
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: this.config.publicUrl?.startsWith('https:') ?? false,
      path: '/',
      ...(expires ? { expires } : {}),
    };
  }
}

function toMe(row: { user_id: string; email: string; name: string; is_admin: number; workspace_id: string; workspace_name: string }): Me {
  return {
    user: { id: row.user_id, email: row.email, name: row.name, isAdmin: !!Number(row.is_admin) },
    workspace: { id: row.workspace_id, name: row.workspace_name },
  };
}
