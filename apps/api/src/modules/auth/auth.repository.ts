import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';
import { sessionCache } from './session-cache';

export interface UserRow {
  id: string;
  workspace_id: string;
  email: string | null;
  username: string | null;
  name: string;
  password_hash: string;
  is_admin: number;
  status: string;
}

/** The acting member behind a session or token, with the workspace's ACL version. */
export interface ActorRow {
  credential_id: string;
  user_id: string;
  workspace_id: string;
  email: string | null;
  name: string;
  is_admin: number;
  workspace_name: string;
  /** The member's UI language (profile), null until chosen. */
  language?: string | null;
  acl_version: number;
  csrf_hash?: string | null;
  /** Sessions: when it ends (storage time). */
  expires_at?: string | Date;
  app_ids?: string | null;
  read_only?: number;
}

@Injectable()
export class AuthRepository {
  constructor(private readonly db: Db) {}

  /** Whether the first start already created a workspace. */
  async anyWorkspace(): Promise<boolean> {
    return (await this.db.query('SELECT id FROM workspaces LIMIT 1')).length > 0;
  }

  /** First start: the workspace and its admin, in one transaction. */
  async createWorkspaceWithAdmin(a: {
    workspaceId: string;
    workspaceName: string;
    userId: string;
    email: string;
    name: string;
    passwordHash: string;
    now: string;
  }) {
    await this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)', [a.workspaceId, a.workspaceName, a.now]);
      await tx.run(
        'INSERT INTO users (id, workspace_id, email, name, password_hash, is_admin, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)',
        [a.userId, a.workspaceId, a.email, a.name, a.passwordHash, 'active', a.now, a.now],
      );
    });
  }

  /** By email, or by username when the login has no "@" (both are unique across workspaces). */
  async findUserByLogin(login: string): Promise<UserRow | undefined> {
    const col = login.includes('@') ? 'email' : 'username';
    const rows = await this.db.query<UserRow>(`SELECT id, workspace_id, email, username, name, password_hash, is_admin, status FROM users WHERE ${col} = ?`, [
      login,
    ]);
    return rows[0];
  }

  async findUserById(exec: Executor | null, id: string): Promise<UserRow | undefined> {
    const lock = exec && exec.dialect === 'mysql' ? ' FOR UPDATE' : '';
    const rows = await (exec ?? this.db).query<UserRow>(
      `SELECT id, workspace_id, email, username, name, password_hash, is_admin, status FROM users WHERE id = ?${lock}`,
      [id],
    );
    return rows[0];
  }

  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async setPassword(exec: Executor, userId: string, passwordHash: string, status: string, now: string): Promise<void> {
    await exec.run('UPDATE users SET password_hash = ?, status = ?, updated_at = ? WHERE id = ?', [passwordHash, status, now, userId]);
  }

  /** Ends the member's sessions, except `keepSessionId` (the one changing its own password). */
  async endSessions(exec: Executor, userId: string, keepSessionId: string | null = null): Promise<number> {
    const res = keepSessionId
      ? await exec.run('DELETE FROM sessions WHERE user_id = ? AND id <> ?', [userId, keepSessionId])
      : await exec.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
    sessionCache.clearWith(exec);
    return res.affected;
  }

  async insertUserToken(
    exec: Executor,
    t: { id: string; userId: string; kind: 'invite' | 'reset'; tokenHash: string; expiresAt: string; createdAt: string },
  ): Promise<void> {
    await exec.run('INSERT INTO user_tokens (id, user_id, kind, token_hash, expires_at, used_at, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)', [
      t.id,
      t.userId,
      t.kind,
      t.tokenHash,
      t.expiresAt,
      t.createdAt,
    ]);
  }

  /** Cancels the member's outstanding invite/reset links (marks them used). */
  async cancelUserTokens(exec: Executor, userId: string, now: string): Promise<number> {
    return (await exec.run('UPDATE user_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL', [now, userId])).affected;
  }

  async findLiveUserToken(tokenHash: string, kind: 'invite' | 'reset', now: string): Promise<{ id: string; user_id: string } | undefined> {
    const rows = await this.db.query<{ id: string; user_id: string }>(
      'SELECT id, user_id FROM user_tokens WHERE token_hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?',
      [tokenHash, kind, now],
    );
    return rows[0];
  }

  /** One use only: false when another request used it first. */
  async consumeUserToken(exec: Executor, id: string, now: string): Promise<boolean> {
    return (await exec.run('UPDATE user_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?', [now, id, now])).affected === 1;
  }

  async insertSession(s: {
    id: string;
    tokenHash: string;
    csrfHash: string;
    userId: string;
    workspaceId: string;
    expiresAt: string;
    createdAt: string;
    ip: string;
  }): Promise<void> {
    await this.db.run('INSERT INTO sessions (id, token_hash, csrf_hash, user_id, workspace_id, expires_at, created_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      s.id,
      s.tokenHash,
      s.csrfHash,
      s.userId,
      s.workspaceId,
      s.expiresAt,
      s.createdAt,
      s.ip.slice(0, 64),
    ]);
  }

  /** One indexed query per request: session, member (still active) and workspace ACL version. */
  async findActiveSession(tokenHash: string, now: string): Promise<ActorRow | undefined> {
    const rows = await this.db.query<ActorRow>(
      `SELECT s.id AS credential_id, s.csrf_hash, s.expires_at, u.id AS user_id, u.workspace_id, u.email, u.name, u.language, u.is_admin, w.name AS workspace_name, w.acl_version
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN workspaces w ON w.id = u.workspace_id
        WHERE s.token_hash = ? AND s.expires_at > ? AND u.status = 'active'`,
      [tokenHash, now],
    );
    return rows[0];
  }

  async findActiveToken(tokenHash: string, now: string): Promise<ActorRow | undefined> {
    const rows = await this.db.query<ActorRow>(
      `SELECT t.id AS credential_id, t.app_ids, t.read_only, u.id AS user_id, u.workspace_id, u.email, u.name, u.language, u.is_admin, w.name AS workspace_name, w.acl_version
         FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN workspaces w ON w.id = u.workspace_id
        WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.status = 'active'`,
      [tokenHash, now],
    );
    return rows[0];
  }

  async findProfile(userId: string): Promise<{ name: string; language: string | null } | undefined> {
    return (await this.db.query<{ name: string; language: string | null }>('SELECT name, language FROM users WHERE id = ?', [userId]))[0];
  }

  /** Name and language of a member; sessions cache the name, so they are cleared. */
  async updateProfile(exec: Executor, userId: string, patch: { name?: string; language?: string | null }, now: string): Promise<void> {
    const sets: string[] = ['updated_at = ?'];
    const params: unknown[] = [now];
    for (const column of ['name', 'language'] as const) {
      if (patch[column] === undefined) continue;
      sets.push(`${column} = ?`);
      params.push(patch[column]);
    }
    await exec.run(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`, [...params, userId]);
    sessionCache.clearWith(exec);
  }

  async touchToken(id: string, now: string): Promise<void> {
    await this.db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', [now, id]);
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE id = ?', [id]);
    sessionCache.clear();
  }

  async deleteUserSessions(userId: string): Promise<number> {
    const n = (await this.db.run('DELETE FROM sessions WHERE user_id = ?', [userId])).affected;
    sessionCache.clear();
    return n;
  }
}
