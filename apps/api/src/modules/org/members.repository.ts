import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';
import { forUpdate, insertPairs, placeholders } from './org.repository';

export type MemberStatus = 'active' | 'disabled' | 'invited';

export interface MemberRow {
  id: string;
  workspace_id: string;
  email: string | null;
  username: string | null;
  name: string;
  is_admin: number;
  status: MemberStatus;
  created_at: string;
  updated_at: string;
}

export interface MembershipRow {
  user_id: string;
  id: string;
  name: string;
}

const COLS = 'id, workspace_id, email, username, name, is_admin, status, created_at, updated_at';

@Injectable()
export class MembersRepository {
  constructor(private readonly db: Db) {}

  list(workspaceId: string): Promise<MemberRow[]> {
    return this.db.query<MemberRow>(`SELECT ${COLS} FROM users WHERE workspace_id = ? ORDER BY name, id`, [workspaceId]);
  }

  /**
   * One page of the directory by name then id (keyset after `after`): members whose name, email
   * or user name contains `q` (case-insensitive; `%` and `_` match themselves), of one status if given.
   */
  search(workspaceId: string, q: { q: string; status: MemberStatus | null; after: { name: string; id: string } | null; limit: number }): Promise<MemberRow[]> {
    const where = ['workspace_id = ?'];
    const params: unknown[] = [workspaceId];
    if (q.q) {
      const like = `%${q.q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
      where.push("(LOWER(name) LIKE ? ESCAPE '!' OR LOWER(COALESCE(email, '')) LIKE ? ESCAPE '!' OR LOWER(COALESCE(username, '')) LIKE ? ESCAPE '!')");
      params.push(like, like, like);
    }
    if (q.status) {
      where.push('status = ?');
      params.push(q.status);
    }
    if (q.after) {
      where.push('(name > ? OR (name = ? AND id > ?))');
      params.push(q.after.name, q.after.name, q.after.id);
    }
    return this.db.query<MemberRow>(`SELECT ${COLS} FROM users WHERE ${where.join(' AND ')} ORDER BY name, id LIMIT ${q.limit}`, params);
  }

  /** With a transaction on MySQL the row stays locked until it ends. */
  async find(exec: Executor | null, workspaceId: string, id: string): Promise<MemberRow | undefined> {
    const x = exec ?? this.db;
    return (await x.query<MemberRow>(`SELECT ${COLS} FROM users WHERE workspace_id = ? AND id = ?${exec ? forUpdate(exec) : ''}`, [workspaceId, id]))[0];
  }

  /** Email and username are unique across workspaces (either signs in). */
  async loginTaken(exec: Executor | null, email: string | null, username: string | null): Promise<{ email: boolean; username: boolean }> {
    const rows = await (exec ?? this.db).query<{ email: string | null; username: string | null }>(
      'SELECT email, username FROM users WHERE email = ? OR username = ?',
      [email, username],
    );
    return { email: !!email && rows.some((r) => r.email === email), username: !!username && rows.some((r) => r.username === username) };
  }

  /** Departments and roles of the given members (all members of the workspace when null), with names. */
  async memberships(exec: Executor | null, workspaceId: string, userIds: string[] | null): Promise<{ departments: MembershipRow[]; roles: MembershipRow[] }> {
    const x = exec ?? this.db;
    const only = userIds ? ` AND m.user_id IN (${placeholders(userIds.length)})` : '';
    const params = [workspaceId, ...(userIds ?? [])];
    if (userIds && !userIds.length) return { departments: [], roles: [] };
    const departments = await x.query<MembershipRow>(
      `SELECT m.user_id, d.id, d.name FROM department_members m JOIN departments d ON d.id = m.department_id WHERE d.workspace_id = ?${only} ORDER BY d.name, d.id`,
      params,
    );
    const roles = await x.query<MembershipRow>(
      `SELECT m.user_id, r.id, r.name FROM role_members m JOIN roles r ON r.id = m.role_id WHERE r.workspace_id = ?${only} ORDER BY r.name, r.id`,
      params,
    );
    return { departments, roles };
  }

  async insert(tx: Executor, row: MemberRow & { password_hash: string }): Promise<void> {
    await tx.run(
      'INSERT INTO users (id, workspace_id, email, username, name, password_hash, is_admin, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [row.id, row.workspace_id, row.email, row.username, row.name, row.password_hash, row.is_admin, row.status, row.created_at, row.updated_at],
    );
  }

  async update(tx: Executor, id: string, patch: { name?: string; is_admin?: number; status?: MemberStatus }, now: string): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [col, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      sets.push(`${col} = ?`);
      params.push(v);
    }
    sets.push('updated_at = ?');
    await tx.run(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`, [...params, now, id]);
  }

  async setDepartments(tx: Executor, userId: string, departmentIds: string[]): Promise<void> {
    await tx.run('DELETE FROM department_members WHERE user_id = ?', [userId]);
    await insertPairs(
      tx,
      'department_members',
      ['department_id', 'user_id'],
      departmentIds.map((d) => [d, userId]),
    );
  }

  async setRoles(tx: Executor, userId: string, roleIds: string[]): Promise<void> {
    await tx.run('DELETE FROM role_members WHERE user_id = ?', [userId]);
    await insertPairs(
      tx,
      'role_members',
      ['role_id', 'user_id'],
      roleIds.map((r) => [r, userId]),
    );
  }

  /** Active admins of the workspace: there must always be one. */
  async activeAdminCount(tx: Executor, workspaceId: string): Promise<number> {
    const rows = await tx.query<{ c: number }>("SELECT COUNT(*) AS c FROM users WHERE workspace_id = ? AND is_admin = 1 AND status = 'active'", [workspaceId]);
    return Number(rows[0]?.c ?? 0);
  }
}
