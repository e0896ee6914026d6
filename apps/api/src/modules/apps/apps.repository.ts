import { Injectable } from '@nestjs/common';
import { Db } from '../../database/db';

export interface AppRow {
  id: string;
  workspace_id: string;
  key: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

const COLS = 'id, workspace_id, `key`, name, description, created_at, updated_at';

@Injectable()
export class AppsRepository {
  constructor(private readonly db: Db) {}

  list(workspaceId: string): Promise<AppRow[]> {
    return this.db.query<AppRow>(`SELECT ${COLS} FROM apps WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY created_at, id`, [workspaceId]);
  }

  async find(workspaceId: string, id: string): Promise<AppRow | undefined> {
    return (await this.db.query<AppRow>(`SELECT ${COLS} FROM apps WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, [workspaceId, id]))[0];
  }

  async findByKey(workspaceId: string, key: string): Promise<{ id: string } | undefined> {
    return (await this.db.query<{ id: string }>('SELECT id FROM apps WHERE workspace_id = ? AND `key` = ?', [workspaceId, key]))[0];
  }

  async insert(row: AppRow): Promise<void> {
    await this.db.run('INSERT INTO apps (id, workspace_id, `key`, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      row.id,
      row.workspace_id,
      row.key,
      row.name,
      row.description,
      row.created_at,
      row.updated_at,
    ]);
  }

  async update(workspaceId: string, id: string, patch: { name?: string; description?: string | null }, now: string): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [];
    if (patch.name !== undefined) {
      sets.push('name = ?');
      params.push(patch.name);
    }
    if (patch.description !== undefined) {
      sets.push('description = ?');
      params.push(patch.description);
    }
    sets.push('updated_at = ?');
    params.push(now, workspaceId, id);
    await this.db.run(`UPDATE apps SET ${sets.join(', ')} WHERE workspace_id = ? AND id = ?`, params);
  }

  async softDelete(workspaceId: string, id: string, now: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('UPDATE apps SET deleted_at = ? WHERE workspace_id = ? AND id = ?', [now, workspaceId, id]);
      await tx.run('UPDATE entities SET deleted_at = ? WHERE workspace_id = ? AND app_id = ? AND deleted_at IS NULL', [now, workspaceId, id]);
    });
  }
}
