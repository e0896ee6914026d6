import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';
import { insertPairs } from './org.repository';

export interface RoleRow {
  id: string;
  workspace_id: string;
  name: string;
  created_at: string;
  member_count?: number;
}

@Injectable()
export class RolesRepository {
  constructor(private readonly db: Db) {}

  list(workspaceId: string): Promise<RoleRow[]> {
    return this.db.query<RoleRow>(
      `SELECT r.id, r.workspace_id, r.name, r.created_at, (SELECT COUNT(*) FROM role_members m WHERE m.role_id = r.id) AS member_count
         FROM roles r WHERE r.workspace_id = ? ORDER BY r.name, r.id`,
      [workspaceId],
    );
  }

  async find(exec: Executor | null, workspaceId: string, id: string): Promise<RoleRow | undefined> {
    return (
      await (exec ?? this.db).query<RoleRow>('SELECT id, workspace_id, name, created_at FROM roles WHERE workspace_id = ? AND id = ?', [workspaceId, id])
    )[0];
  }

  /** Case-insensitive on both dialects (MySQL's collation already is; SQLite's is not). */
  async findByName(exec: Executor, workspaceId: string, name: string): Promise<RoleRow | undefined> {
    return (
      await exec.query<RoleRow>('SELECT id, workspace_id, name, created_at FROM roles WHERE workspace_id = ? AND LOWER(name) = LOWER(?)', [workspaceId, name])
    )[0];
  }

  async memberIds(exec: Executor | null, roleId: string): Promise<string[]> {
    return (await (exec ?? this.db).query<{ user_id: string }>('SELECT user_id FROM role_members WHERE role_id = ? ORDER BY user_id', [roleId])).map(
      (r) => r.user_id,
    );
  }

  async insert(tx: Executor, row: RoleRow): Promise<void> {
    await tx.run('INSERT INTO roles (id, workspace_id, name, created_at) VALUES (?, ?, ?, ?)', [row.id, row.workspace_id, row.name, row.created_at]);
  }

  async rename(tx: Executor, id: string, name: string): Promise<void> {
    await tx.run('UPDATE roles SET name = ? WHERE id = ?', [name, id]);
  }

  async delete(tx: Executor, id: string): Promise<void> {
    await tx.run('DELETE FROM role_members WHERE role_id = ?', [id]);
    await tx.run('DELETE FROM roles WHERE id = ?', [id]);
  }

  async setMembers(tx: Executor, roleId: string, userIds: string[]): Promise<void> {
    await tx.run('DELETE FROM role_members WHERE role_id = ?', [roleId]);
    await insertPairs(
      tx,
      'role_members',
      ['role_id', 'user_id'],
      userIds.map((u) => [roleId, u]),
    );
  }
}
