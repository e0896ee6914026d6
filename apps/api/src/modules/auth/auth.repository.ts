import { Injectable } from '@nestjs/common';
import { Db } from '../../database/db';

export interface UserRow {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  password_hash: string;
  is_admin: number;
  status: string;
}

export interface SessionActorRow {
  session_id: string;
  user_id: string;
  workspace_id: string;
  email: string;
  name: string;
  is_admin: number;
  workspace_name: string;
}

@Injectable()
export class AuthRepository {
  constructor(private readonly db: Db) {}

  async findUserByEmail(email: string): Promise<UserRow | undefined> {
    const rows = await this.db.query<UserRow>('SELECT id, workspace_id, email, name, password_hash, is_admin, status FROM users WHERE email = ?', [email]);
    return rows[0];
  }

  async insertSession(s: { id: string; tokenHash: string; userId: string; workspaceId: string; expiresAt: string; createdAt: string; ip: string }): Promise<void> {
    await this.db.run('INSERT INTO sessions (id, token_hash, user_id, workspace_id, expires_at, created_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      s.id,
      s.tokenHash,
      s.userId,
      s.workspaceId,
      s.expiresAt,
      s.createdAt,
      s.ip.slice(0, 64),
    ]);
  }

  async findActiveSession(tokenHash: string, now: string): Promise<SessionActorRow | undefined> {
    const rows = await this.db.query<SessionActorRow>(
      `SELECT s.id AS session_id, u.id AS user_id, u.workspace_id, u.email, u.name, u.is_admin, w.name AS workspace_name
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN workspaces w ON w.id = u.workspace_id
        WHERE s.token_hash = ? AND s.expires_at > ? AND u.status = 'active'`,
      [tokenHash, now],
    );
    return rows[0];
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE id = ?', [id]);
  }
}
