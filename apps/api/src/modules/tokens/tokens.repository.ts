import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';

export interface ApiTokenRow {
  id: string;
  workspace_id: string;
  user_id: string;
  name: string;
  app_ids: string | null;
  read_only: number;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

const COLS = 'id, workspace_id, user_id, name, app_ids, read_only, created_at, last_used_at, expires_at, revoked_at';

/** API tokens; the secret is stored only as its SHA-256 hash, and is never read back. */
@Injectable()
export class TokensRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  listOf(workspaceId: string, userId: string): Promise<ApiTokenRow[]> {
    return this.db.query<ApiTokenRow>(`SELECT ${COLS} FROM api_tokens WHERE workspace_id = ? AND user_id = ? ORDER BY created_at DESC, id`, [
      workspaceId,
      userId,
    ]);
  }

  async find(workspaceId: string, id: string): Promise<ApiTokenRow | undefined> {
    return (await this.db.query<ApiTokenRow>(`SELECT ${COLS} FROM api_tokens WHERE workspace_id = ? AND id = ?`, [workspaceId, id]))[0];
  }

  async insert(tx: Executor, row: ApiTokenRow & { token_hash: string }): Promise<void> {
    await tx.run(
      'INSERT INTO api_tokens (id, workspace_id, user_id, name, token_hash, app_ids, read_only, created_at, last_used_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL)',
      [row.id, row.workspace_id, row.user_id, row.name, row.token_hash, row.app_ids, row.read_only, row.created_at, row.expires_at],
    );
  }

  /** False when it was already revoked. */
  async revoke(tx: Executor, id: string, now: string): Promise<boolean> {
    return (await tx.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, id])).affected === 1;
  }

  async userExists(workspaceId: string, userId: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 AS x FROM users WHERE workspace_id = ? AND id = ?', [workspaceId, userId])).length > 0;
  }
}
