import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';

export interface AuditEntry {
  workspaceId: string;
  actorId: string | null;
  actorKind: 'user' | 'token' | 'anonymous' | 'system';
  /** Dotted verb: record.create, record.update, field.add, member.invite, auth.login_failed, … */
  action: string;
  targetType: string;
  targetId: string | null;
  entityId?: string | null;
  recordId?: number | null;
  changes?: Record<string, unknown>;
  requestId: string | null;
  ip: string | null;
  at: string;
}

export interface AuditRow {
  id: number;
  actor_id: string | null;
  actor_kind: string;
  action: string;
  target_type: string;
  target_id: string | null;
  entity_id: string | null;
  record_id: number | null;
  changes: string;
  request_id: string | null;
  ip: string | null;
  created_at: string;
}

export interface AuditQuery {
  workspaceId: string;
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  entityId?: string;
  recordId?: number;
  from?: string;
  to?: string;
  beforeId?: number;
  limit: number;
  /** An API token narrowed to these apps: only entries about them, their entities and records. */
  appIds?: string[] | null;
}

/** The action of a bulk import's one entry; its records' histories show it as their creation. */
export const BULK_CREATE = 'record.bulk_create';

/** Consecutive record ids, both ends included. */
export interface IdRange {
  first: number;
  last: number;
}

const COLS = 'id, actor_id, actor_kind, action, target_type, target_id, entity_id, record_id, changes, request_id, ip, created_at';

/** Append-only: this repository has no update or delete. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async insert(exec: Executor | null, entries: AuditEntry[]): Promise<void> {
    const x = exec ?? this.db;
    for (let i = 0; i < entries.length; i += 1000) {
      const part = entries.slice(i, i + 1000);
      await x.run(
        `INSERT INTO audit_log (workspace_id, actor_id, actor_kind, action, target_type, target_id, entity_id, record_id, changes, request_id, ip, created_at) VALUES ${part
          .map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .join(', ')}`,
        part.flatMap((e) => [
          e.workspaceId,
          e.actorId,
          e.actorKind,
          e.action,
          e.targetType,
          e.targetId,
          e.entityId ?? null,
          e.recordId ?? null,
          JSON.stringify(e.changes ?? {}),
          e.requestId,
          e.ip ? e.ip.slice(0, 64) : null,
          e.at,
        ]),
      );
    }
  }

  /**
   * One entry for many records (a bulk import) and the id ranges it covers, so that each
   * record's history finds it by one index seek (`recordHistory`).
   */
  async insertForRanges(exec: Executor, entry: AuditEntry, entityId: string, ranges: IdRange[]): Promise<number> {
    const res = await exec.run(
      'INSERT INTO audit_log (workspace_id, actor_id, actor_kind, action, target_type, target_id, entity_id, record_id, changes, request_id, ip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        entry.workspaceId,
        entry.actorId,
        entry.actorKind,
        entry.action,
        entry.targetType,
        entry.targetId,
        entry.entityId ?? null,
        entry.recordId ?? null,
        JSON.stringify(entry.changes ?? {}),
        entry.requestId,
        entry.ip ? entry.ip.slice(0, 64) : null,
        entry.at,
      ],
    );
    const auditId = res.insertId;
    for (let i = 0; i < ranges.length; i += 1000) {
      const part = ranges.slice(i, i + 1000);
      await exec.run(
        `INSERT INTO audit_record_ranges (entity_id, first_id, last_id, audit_id) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}`,
        part.flatMap((r) => [entityId, r.first, r.last, auditId]),
      );
    }
    return auditId;
  }

  async query(q: AuditQuery): Promise<AuditRow[]> {
    const where = ['workspace_id = ?'];
    const params: unknown[] = [q.workspaceId];
    const cmp = (col: string, op: string, v: unknown) => {
      if (v === undefined || v === '' || v === 0) return;
      where.push(`${col} ${op} ?`);
      params.push(v);
    };
    const eq = (col: string, v: unknown) => cmp(col, '=', v);
    eq('actor_id', q.actorId);
    eq('target_type', q.targetType);
    eq('target_id', q.targetId);
    eq('entity_id', q.entityId);
    if (q.recordId) {
      // A record's entries are its own and the bulk import that created it (found by id range;
      // ranges of one entity never overlap, so per entity at most one holds the id).
      const bulk = (
        await this.db.query<{ audit_id: number | string }>(
          `SELECT audit_id FROM audit_record_ranges WHERE ${q.entityId ? 'entity_id = ? AND ' : ''}first_id <= ? AND last_id >= ?`,
          q.entityId ? [q.entityId, q.recordId, q.recordId] : [q.recordId, q.recordId],
        )
      ).map((r) => Number(r.audit_id));
      where.push(bulk.length ? `(record_id = ? OR id IN (${bulk.map(() => '?').join(', ')}))` : 'record_id = ?');
      params.push(q.recordId, ...bulk);
    }
    // "record." selects every record action; "record.update" one.
    if (q.action?.endsWith('.')) cmp('action', 'LIKE', `${q.action}%`);
    else eq('action', q.action);
    cmp('created_at', '>=', q.from);
    cmp('created_at', '<', q.to);
    cmp('id', '<', q.beforeId);
    if (q.appIds) {
      const marks = q.appIds.map(() => '?').join(', ');
      const ofApps = `SELECT id FROM entities WHERE workspace_id = ? AND app_id IN (${marks})`;
      where.push(`(entity_id IN (${ofApps}) OR (target_type = 'entity' AND target_id IN (${ofApps})) OR (target_type = 'app' AND target_id IN (${marks})))`);
      params.push(q.workspaceId, ...q.appIds, q.workspaceId, ...q.appIds, ...q.appIds);
    }
    return this.db.query<AuditRow>(`SELECT ${COLS} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${q.limit + 1}`, params);
  }

  /**
   * A record's own entries, and the bulk entry whose id range holds it: ranges never overlap,
   * so the one with the greatest first id not above the record's id is the only candidate.
   */
  recordHistory(entityId: string, recordId: number, limit: number): Promise<AuditRow[]> {
    const cols = COLS.split(', ')
      .map((c) => `a.${c}`)
      .join(', ');
    return this.db.query<AuditRow>(
      `SELECT ${COLS} FROM audit_log WHERE entity_id = ? AND record_id = ? AND target_type = 'record'
       UNION ALL
       SELECT ${cols} FROM (SELECT audit_id, last_id FROM audit_record_ranges WHERE entity_id = ? AND first_id <= ? ORDER BY first_id DESC LIMIT 1) g
         JOIN audit_log a ON a.id = g.audit_id WHERE g.last_id >= ?
       ORDER BY id DESC LIMIT ${limit}`,
      [entityId, recordId, entityId, recordId, recordId],
    );
  }
}
