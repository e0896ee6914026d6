import { Injectable } from '@nestjs/common';
import { Db } from '../../database/db';

export interface ViewRow {
  id: string;
  workspace_id: string;
  entity_id: string;
  owner_id: string | null;
  name: string;
  kind: string;
  config: string;
  position: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

const COLS = 'id, workspace_id, entity_id, owner_id, name, kind, config, position, created_by, created_at, updated_at';

/** The saved_views table. */
@Injectable()
export class ViewsRepository {
  constructor(private readonly db: Db) {}

  /** Shared views and the member's own, shared first, each in position order. */
  listVisible(workspaceId: string, entityId: string, userId: string): Promise<ViewRow[]> {
    return this.db.query<ViewRow>(
      `SELECT ${COLS} FROM saved_views WHERE workspace_id = ? AND entity_id = ? AND (owner_id IS NULL OR owner_id = ?) ORDER BY CASE WHEN owner_id IS NULL THEN 0 ELSE 1 END, position, created_at, id`,
      [workspaceId, entityId, userId],
    );
  }

  async find(workspaceId: string, id: string): Promise<ViewRow | undefined> {
    return (await this.db.query<ViewRow>(`SELECT ${COLS} FROM saved_views WHERE workspace_id = ? AND id = ?`, [workspaceId, id]))[0];
  }

  async insert(row: ViewRow): Promise<void> {
    await this.db.run(`INSERT INTO saved_views (${COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      row.id,
      row.workspace_id,
      row.entity_id,
      row.owner_id,
      row.name,
      row.kind,
      row.config,
      row.position,
      row.created_by,
      row.created_at,
      row.updated_at,
    ]);
  }

  async update(
    workspaceId: string,
    id: string,
    patch: { name: string; config: string; owner_id: string | null; position: number },
    now: string,
  ): Promise<void> {
    await this.db.run('UPDATE saved_views SET name = ?, config = ?, owner_id = ?, position = ?, updated_at = ? WHERE workspace_id = ? AND id = ?', [
      patch.name,
      patch.config,
      patch.owner_id,
      patch.position,
      now,
      workspaceId,
      id,
    ]);
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    await this.db.run('DELETE FROM saved_views WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
  }
}
