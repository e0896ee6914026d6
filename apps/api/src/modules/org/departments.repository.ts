import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';
import { insertPairs } from './org.repository';

export interface DepartmentRow {
  id: string;
  workspace_id: string;
  name: string;
  parent_id: string | null;
  head_user_id: string | null;
  created_at: string;
}

const COLS = 'id, workspace_id, name, parent_id, head_user_id, created_at';

@Injectable()
export class DepartmentsRepository {
  constructor(private readonly db: Db) {}

  list(exec: Executor | null, workspaceId: string): Promise<DepartmentRow[]> {
    return (exec ?? this.db).query<DepartmentRow>(`SELECT ${COLS} FROM departments WHERE workspace_id = ? ORDER BY name, id`, [workspaceId]);
  }

  async find(exec: Executor | null, workspaceId: string, id: string): Promise<DepartmentRow | undefined> {
    return (await (exec ?? this.db).query<DepartmentRow>(`SELECT ${COLS} FROM departments WHERE workspace_id = ? AND id = ?`, [workspaceId, id]))[0];
  }

  async aclVersion(workspaceId: string): Promise<number> {
    const rows = await this.db.query<{ v: number }>('SELECT acl_version AS v FROM workspaces WHERE id = ?', [workspaceId]);
    return Number(rows[0]?.v ?? 0);
  }

  /** Member count per department of the workspace. */
  async memberCounts(exec: Executor | null, workspaceId: string): Promise<Map<string, number>> {
    const rows = await (exec ?? this.db).query<{ id: string; c: number }>(
      'SELECT m.department_id AS id, COUNT(*) AS c FROM department_members m JOIN departments d ON d.id = m.department_id WHERE d.workspace_id = ? GROUP BY m.department_id',
      [workspaceId],
    );
    return new Map(rows.map((r) => [r.id, Number(r.c)]));
  }

  async memberIds(exec: Executor | null, departmentId: string): Promise<string[]> {
    const rows = await (exec ?? this.db).query<{ user_id: string }>('SELECT user_id FROM department_members WHERE department_id = ? ORDER BY user_id', [
      departmentId,
    ]);
    return rows.map((r) => r.user_id);
  }

  async insert(tx: Executor, row: DepartmentRow): Promise<void> {
    await tx.run(`INSERT INTO departments (${COLS}) VALUES (?, ?, ?, ?, ?, ?)`, [
      row.id,
      row.workspace_id,
      row.name,
      row.parent_id,
      row.head_user_id,
      row.created_at,
    ]);
  }

  /** Keys absent from `patch` stay; null clears parent or head. */
  async update(tx: Executor, id: string, patch: { name?: string; parent_id?: string | null; head_user_id?: string | null }): Promise<void> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    if (!entries.length) return;
    await tx.run(`UPDATE departments SET ${entries.map(([k]) => `${k} = ?`).join(', ')} WHERE id = ?`, [...entries.map(([, v]) => v), id]);
  }

  async delete(tx: Executor, id: string): Promise<void> {
    await tx.run('DELETE FROM departments WHERE id = ?', [id]);
  }

  async setMembers(tx: Executor, departmentId: string, userIds: string[]): Promise<void> {
    await tx.run('DELETE FROM department_members WHERE department_id = ?', [departmentId]);
    await insertPairs(
      tx,
      'department_members',
      ['department_id', 'user_id'],
      userIds.map((u) => [departmentId, u]),
    );
  }
}
