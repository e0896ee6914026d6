import { Injectable } from '@nestjs/common';
import { Db } from '../../database/db';

export interface AppRow {
  id: string;
  workspace_id: string;
  key: string;
  name: string;
  description: string | null;
  icon: string | null;
  color: string | null;
  position: number;
  created_at: string;
  updated_at: string;
  deleted_at?: string | null;
}

export type AppPatch = Partial<Pick<AppRow, 'name' | 'description' | 'icon' | 'color'>>;

const COLS = 'id, workspace_id, `key`, name, description, icon, color, position, created_at, updated_at, deleted_at';
/** The workspace home's order: the admin's arrangement, then the oldest first. */
const ORDER = 'ORDER BY position, created_at, id';

@Injectable()
export class AppsRepository {
  constructor(private readonly db: Db) {}

  list(workspaceId: string): Promise<AppRow[]> {
    return this.db.query<AppRow>(`SELECT ${COLS} FROM apps WHERE workspace_id = ? AND deleted_at IS NULL ${ORDER}`, [workspaceId]);
  }

  /** The trash: deleted apps, the latest first. */
  listDeleted(workspaceId: string): Promise<AppRow[]> {
    return this.db.query<AppRow>(`SELECT ${COLS} FROM apps WHERE workspace_id = ? AND deleted_at IS NOT NULL ORDER BY deleted_at DESC, id`, [workspaceId]);
  }

  async find(workspaceId: string, id: string): Promise<AppRow | undefined> {
    return (await this.db.query<AppRow>(`SELECT ${COLS} FROM apps WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, [workspaceId, id]))[0];
  }

  async findDeleted(workspaceId: string, id: string): Promise<AppRow | undefined> {
    return (await this.db.query<AppRow>(`SELECT ${COLS} FROM apps WHERE workspace_id = ? AND id = ? AND deleted_at IS NOT NULL`, [workspaceId, id]))[0];
  }

  async findByKey(workspaceId: string, key: string): Promise<{ id: string } | undefined> {
    return (await this.db.query<{ id: string }>('SELECT id FROM apps WHERE workspace_id = ? AND `key` = ?', [workspaceId, key]))[0];
  }

  /** A new app goes last on the workspace home. */
  async insert(row: AppRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [last] = await tx.query<{ p: number | null }>('SELECT MAX(position) AS p FROM apps WHERE workspace_id = ?', [row.workspace_id]);
      row.position = Number(last?.p ?? 0) + 1;
      await tx.run(
        'INSERT INTO apps (id, workspace_id, `key`, name, description, icon, color, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [row.id, row.workspace_id, row.key, row.name, row.description, row.icon, row.color, row.position, row.created_at, row.updated_at],
      );
    });
  }

  async update(workspaceId: string, id: string, patch: AppPatch, now: string): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const column of ['name', 'description', 'icon', 'color'] as const) {
      if (patch[column] === undefined) continue;
      sets.push(`${column} = ?`);
      params.push(patch[column]);
    }
    sets.push('updated_at = ?');
    params.push(now, workspaceId, id);
    await this.db.run(`UPDATE apps SET ${sets.join(', ')} WHERE workspace_id = ? AND id = ?`, params);
  }

  /** Positions 1..n in the given order (ids of the workspace's live apps). */
  async setOrder(workspaceId: string, ids: string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const [i, id] of ids.entries()) await tx.run('UPDATE apps SET position = ? WHERE workspace_id = ? AND id = ?', [i + 1, workspaceId, id]);
    });
  }

  async softDelete(workspaceId: string, id: string, now: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('UPDATE apps SET deleted_at = ? WHERE workspace_id = ? AND id = ?', [now, workspaceId, id]);
      await tx.run('UPDATE entities SET deleted_at = ? WHERE workspace_id = ? AND app_id = ? AND deleted_at IS NULL', [now, workspaceId, id]);
    });
  }

  /** Forever: the app's row, only from the trash (its entities are purged first, through DDL plans). */
  async purge(workspaceId: string, id: string): Promise<void> {
    await this.db.run('DELETE FROM apps WHERE workspace_id = ? AND id = ? AND deleted_at IS NOT NULL', [workspaceId, id]);
  }

  /** Back from the trash with the entities that went with it (the same `deleted_at`); ones deleted before stay deleted. */
  async restore(workspaceId: string, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        'UPDATE entities SET deleted_at = NULL WHERE workspace_id = ? AND app_id = ? AND deleted_at = (SELECT a.deleted_at FROM apps a WHERE a.id = ?)',
        [workspaceId, id, id],
      );
      await tx.run('UPDATE apps SET deleted_at = NULL WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    });
  }

  async navigation(workspaceId: string, id: string): Promise<string | null> {
    const rows = await this.db.query<{ navigation: string | null }>('SELECT navigation FROM apps WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    return rows[0]?.navigation ?? null;
  }

  async setNavigation(workspaceId: string, id: string, navigation: string, now: string): Promise<void> {
    await this.db.run('UPDATE apps SET navigation = ?, updated_at = ? WHERE workspace_id = ? AND id = ?', [navigation, now, workspaceId, id]);
  }
}
