import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';

export type OrgTable = 'users' | 'departments' | 'roles';

/** A member's direct memberships. */
export interface Membership {
  departmentIds: string[];
  roleIds: string[];
  adminAppIds: string[];
}

/** Lock the row being changed (MySQL); SQLite serialises transactions anyway. */
export const forUpdate = (exec: Executor) => (exec.dialect === 'mysql' ? ' FOR UPDATE' : '');

export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Inserts (a, b) pairs into a two-column link table, in chunks. */
export async function insertPairs(
  exec: Executor,
  table: 'department_members' | 'role_members' | 'app_admins',
  cols: [string, string],
  pairs: [string, string][],
): Promise<void> {
  for (let i = 0; i < pairs.length; i += 500) {
    const part = pairs.slice(i, i + 500);
    await exec.run(`INSERT INTO ${table} (${cols[0]}, ${cols[1]}) VALUES ${part.map(() => '(?, ?)').join(', ')}`, part.flat());
  }
}

/**
 * What the rest of the server asks about the organisation: a member's departments and roles,
 * app admins, and which ids exist. Also the app-admin table itself.
 */
@Injectable()
export class OrgRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  /**
   * The member's direct departments and roles and the apps they administer, in this workspace:
   * the one membership query (permissions cache it by ACL version; sub-departments come from
   * DepartmentsService.descendantsOf).
   */
  async membershipsOf(workspaceId: string, userId: string): Promise<Membership> {
    const rows = await this.db.query<{ kind: string; id: string }>(
      `SELECT 'd' AS kind, dm.department_id AS id FROM department_members dm JOIN departments d ON d.id = dm.department_id WHERE dm.user_id = ? AND d.workspace_id = ?
       UNION ALL
       SELECT 'r' AS kind, rm.role_id AS id FROM role_members rm JOIN roles r ON r.id = rm.role_id WHERE rm.user_id = ? AND r.workspace_id = ?
       UNION ALL
       SELECT 'a' AS kind, aa.app_id AS id FROM app_admins aa JOIN apps a ON a.id = aa.app_id WHERE aa.user_id = ? AND a.workspace_id = ?`,
      [userId, workspaceId, userId, workspaceId, userId, workspaceId],
    );
    const pick = (k: string) => rows.filter((r) => r.kind === k).map((r) => r.id);
    return { departmentIds: pick('d'), roleIds: pick('r'), adminAppIds: pick('a') };
  }

  /** The ids among `ids` that exist in the workspace (any status, for members). */
  async existing(exec: Executor | null, table: OrgTable, workspaceId: string, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      const rows = await (exec ?? this.db).query<{ id: string }>(`SELECT id FROM ${table} WHERE workspace_id = ? AND id IN (${placeholders(part.length)})`, [
        workspaceId,
        ...part,
      ]);
      for (const r of rows) found.add(r.id);
    }
    return found;
  }

  /** Apps of the workspace among `ids` (deleted apps excluded). */
  async existingApps(workspaceId: string, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM apps WHERE workspace_id = ? AND deleted_at IS NULL AND id IN (${placeholders(ids.length)})`,
      [workspaceId, ...ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  async appAdmins(exec: Executor | null, appId: string): Promise<{ id: string; name: string; email: string | null; username: string | null }[]> {
    return (exec ?? this.db).query(
      'SELECT u.id, u.name, u.email, u.username FROM app_admins a JOIN users u ON u.id = a.user_id WHERE a.app_id = ? ORDER BY u.name, u.id',
      [appId],
    );
  }

  async setAppAdmins(tx: Executor, appId: string, userIds: string[]): Promise<void> {
    await tx.run('DELETE FROM app_admins WHERE app_id = ?', [appId]);
    await insertPairs(
      tx,
      'app_admins',
      ['app_id', 'user_id'],
      userIds.map((u) => [appId, u]),
    );
  }
}
