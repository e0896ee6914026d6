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

  query(q: AuditQuery): Promise<AuditRow[]> {
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
    eq('record_id', q.recordId);
    // "record." selects every record action; "record.update" one.
    if (q.action?.endsWith('.')) cmp('action', 'LIKE', `${q.action}%`);
    else eq('action', q.action);
    cmp('created_at', '>=', q.from);
    cmp('created_at', '<', q.to);
    cmp('id', '<', q.beforeId);
    return this.db.query<AuditRow>(`SELECT ${COLS} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${q.limit + 1}`, params);
  }

  recordHistory(entityId: string, recordId: number, limit: number): Promise<AuditRow[]> {
    return this.db.query<AuditRow>(`SELECT ${COLS} FROM audit_log WHERE entity_id = ? AND record_id = ? AND target_type = 'record' ORDER BY id DESC LIMIT ${limit}`, [entityId, recordId]);
  }
}
