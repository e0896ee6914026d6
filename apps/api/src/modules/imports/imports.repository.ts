import { Injectable } from '@nestjs/common';
import { nowStorage } from '../../common/ids';
import { Db, type Executor } from '../../database/db';

export type ImportStatus = 'draft' | 'queued' | 'running' | 'done' | 'failed' | 'aborted';

/** One import session row (migration 1763900000400); JSON columns as text. */
export interface ImportRow {
  id: string;
  workspace_id: string;
  entity_id: string;
  created_by: string;
  kind: 'import' | 'export';
  file_name: string;
  format: 'csv' | 'xlsx';
  size: number;
  storage_dir: string;
  table_options: string;
  info: string | null;
  settings: string | null;
  actor: string | null;
  status: ImportStatus;
  phase: string | null;
  total_rows: number | null;
  rows_read: number;
  rows_done: number;
  last_row: number;
  created_count: number;
  updated_count: number;
  error_rows: number;
  error_count: number;
  job_id: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** Columns a service may change after the insert. */
export type ImportPatch = Partial<
  Pick<
    ImportRow,
    | 'table_options'
    | 'info'
    | 'settings'
    | 'actor'
    | 'status'
    | 'phase'
    | 'total_rows'
    | 'rows_read'
    | 'rows_done'
    | 'last_row'
    | 'created_count'
    | 'updated_count'
    | 'error_rows'
    | 'error_count'
    | 'job_id'
    | 'last_error'
    | 'finished_at'
    | 'file_name'
    | 'size'
  >
>;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const NUMERIC = ['size', 'total_rows', 'rows_read', 'rows_done', 'last_row', 'created_count', 'updated_count', 'error_rows', 'error_count', 'job_id'] as const;

function fromDb(row: Record<string, unknown>): ImportRow {
  const out = { ...row } as Record<string, unknown>;
  for (const k of NUMERIC) if (out[k] !== null && out[k] !== undefined) out[k] = Number(out[k]);
  return out as unknown as ImportRow;
}

/** Import and export sessions, and the directory lookups an import needs (members, departments). */
@Injectable()
export class ImportsRepository {
  constructor(readonly db: Db) {}

  async insert(
    row: Pick<
      ImportRow,
      'id' | 'workspace_id' | 'entity_id' | 'created_by' | 'kind' | 'file_name' | 'format' | 'size' | 'storage_dir' | 'table_options' | 'status'
    > &
      ImportPatch,
  ): Promise<void> {
    const now = nowStorage();
    const full: Record<string, unknown> = { ...row, created_at: now, updated_at: now };
    const keys = Object.keys(full);
    await this.db.run(
      `INSERT INTO import_sessions (${keys.join(', ')}) VALUES (${placeholders(keys.length)})`,
      keys.map((k) => full[k]),
    );
  }

  async find(workspaceId: string, id: string): Promise<ImportRow | undefined> {
    const rows = await this.db.query('SELECT * FROM import_sessions WHERE id = ? AND workspace_id = ?', [id, workspaceId]);
    return rows[0] ? fromDb(rows[0]) : undefined;
  }

  async findById(exec: Executor | null, id: string): Promise<ImportRow | undefined> {
    const rows = await (exec ?? this.db).query('SELECT * FROM import_sessions WHERE id = ?', [id]);
    return rows[0] ? fromDb(rows[0]) : undefined;
  }

  async update(exec: Executor | null, id: string, patch: ImportPatch, onlyStatus?: readonly string[]): Promise<boolean> {
    const full: Record<string, unknown> = { ...patch, updated_at: nowStorage() };
    const keys = Object.keys(full);
    const guard = onlyStatus ? ` AND status IN (${placeholders(onlyStatus.length)})` : '';
    const res = await (exec ?? this.db).run(`UPDATE import_sessions SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?${guard}`, [
      ...keys.map((k) => full[k]),
      id,
      ...(onlyStatus ?? []),
    ]);
    return res.affected > 0;
  }

  /** Active members of the workspace by email or name (compared in lower case on both dialects). */
  async members(workspaceId: string, emails: string[], names: string[]): Promise<{ id: string; name: string; email: string | null }[]> {
    const terms: string[] = [];
    const params: unknown[] = [workspaceId];
    if (emails.length) {
      terms.push(`LOWER(email) IN (${placeholders(emails.length)})`);
      params.push(...emails.map((e) => e.toLowerCase()));
    }
    if (names.length) {
      terms.push(`LOWER(name) IN (${placeholders(names.length)})`);
      params.push(...names.map((n) => n.toLowerCase()));
    }
    if (!terms.length) return [];
    return this.db.query(`SELECT id, name, email FROM users WHERE workspace_id = ? AND status = 'active' AND (${terms.join(' OR ')})`, params);
  }

  /** Members of the workspace by id, whatever their status (exports name who was set). */
  async membersByIds(workspaceId: string, ids: string[]): Promise<{ id: string; name: string }[]> {
    if (!ids.length) return [];
    return this.db.query(`SELECT id, name FROM users WHERE workspace_id = ? AND id IN (${placeholders(ids.length)})`, [workspaceId, ...ids]);
  }

  /** Every department of the workspace (a tree of at most a few thousand rows). */
  departments(workspaceId: string): Promise<{ id: string; name: string; parent_id: string | null }[]> {
    return this.db.query('SELECT id, name, parent_id FROM departments WHERE workspace_id = ?', [workspaceId]);
  }

  /** The member (when still active) and the workspace's ACL version, for a job acting as them. */
  async activeMember(workspaceId: string, userId: string): Promise<{ aclVersion: number; isAdmin: boolean } | null> {
    const rows = await this.db.query<{ acl_version: unknown; is_admin: unknown }>(
      "SELECT w.acl_version, u.is_admin FROM users u JOIN workspaces w ON w.id = u.workspace_id WHERE u.id = ? AND u.workspace_id = ? AND u.status = 'active'",
      [userId, workspaceId],
    );
    return rows[0] ? { aclVersion: Number(rows[0].acl_version), isAdmin: !!Number(rows[0].is_admin) } : null;
  }
}
