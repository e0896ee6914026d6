import type { PermissionGroup } from '@crm/access';
import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';

export interface GroupRow {
  id: string;
  entity_id: string;
  definition: string;
  position: number;
}

/** A parameterised WHERE fragment over a record table (alias r). */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

const NOTHING: SqlFragment = { sql: '1 = 0', params: [] };

/** The row-scope fragments (alias r) that EntityAccess combines: SQL stays in this file. */
export const scopeSql = {
  ownedBy: (userId: string): SqlFragment => ({ sql: 'r.owner_id = ?', params: [userId] }),
  /** Records owned by a member of any of these departments (the caller passes the sub-departments too). */
  ownedInDepartments: (departmentIds: string[]): SqlFragment =>
    departmentIds.length
      ? {
          sql: `r.owner_id IN (SELECT dm.user_id FROM department_members dm WHERE dm.department_id IN (${departmentIds.map(() => '?').join(', ')}))`,
          params: departmentIds,
        }
      : NOTHING,
  /** OR of the terms; no term at all reaches nothing. */
  anyOf: (terms: SqlFragment[]): SqlFragment =>
    terms.length ? { sql: `(${terms.map((t) => t.sql).join(' OR ')})`, params: terms.flatMap((t) => t.params) } : NOTHING,
};

/** Stores permission groups and reads them for the access checks. */
@Injectable()
export class AccessRepository {
  constructor(private readonly db: Db) {}

  get dialect() {
    return this.db.dialect;
  }

  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async groups(entityId: string): Promise<PermissionGroup[]> {
    const rows = await this.db.query<GroupRow>('SELECT id, entity_id, definition, position FROM permission_groups WHERE entity_id = ? ORDER BY position, id', [
      entityId,
    ]);
    return rows.map((r) => ({ ...(JSON.parse(r.definition) as Omit<PermissionGroup, 'id'>), id: r.id }));
  }

  async workspaceGroups(workspaceId: string): Promise<{ entityId: string; appId: string; group: PermissionGroup }[]> {
    const rows = await this.db.query<GroupRow & { app_id: string }>(
      'SELECT pg.id, pg.entity_id, e.app_id, pg.definition, pg.position FROM permission_groups pg JOIN entities e ON e.id = pg.entity_id WHERE pg.workspace_id = ? AND e.deleted_at IS NULL',
      [workspaceId],
    );
    return rows.map((r) => ({ entityId: r.entity_id, appId: r.app_id, group: { ...(JSON.parse(r.definition) as Omit<PermissionGroup, 'id'>), id: r.id } }));
  }

  async findGroup(workspaceId: string, id: string): Promise<{ entityId: string; group: PermissionGroup } | undefined> {
    const rows = await this.db.query<GroupRow>('SELECT id, entity_id, definition, position FROM permission_groups WHERE workspace_id = ? AND id = ?', [
      workspaceId,
      id,
    ]);
    if (!rows.length) return undefined;
    return { entityId: rows[0].entity_id, group: { ...(JSON.parse(rows[0].definition) as Omit<PermissionGroup, 'id'>), id: rows[0].id } };
  }

  async insertGroup(tx: Executor, g: { id: string; workspaceId: string; entityId: string; group: PermissionGroup; now: string }): Promise<void> {
    const pos = await tx.query<{ p: number | null }>('SELECT MAX(position) AS p FROM permission_groups WHERE entity_id = ?', [g.entityId]);
    const { id: _id, ...definition } = g.group;
    await tx.run('INSERT INTO permission_groups (id, workspace_id, entity_id, definition, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      g.id,
      g.workspaceId,
      g.entityId,
      JSON.stringify(definition),
      Number(pos[0]?.p ?? 0) + 1,
      g.now,
      g.now,
    ]);
  }

  async updateGroup(tx: Executor, group: PermissionGroup, now: string): Promise<void> {
    const { id, ...definition } = group;
    await tx.run('UPDATE permission_groups SET definition = ?, updated_at = ? WHERE id = ?', [JSON.stringify(definition), now, id]);
  }

  async deleteGroup(tx: Executor, id: string): Promise<void> {
    await tx.run('DELETE FROM permission_groups WHERE id = ?', [id]);
  }

  async userIdsExist(workspaceId: string, table: 'users' | 'departments' | 'roles', ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM ${table} WHERE workspace_id = ? AND id IN (${ids.map(() => '?').join(', ')})`, [
      workspaceId,
      ...ids,
    ]);
    return new Set(rows.map((r) => r.id));
  }
}
