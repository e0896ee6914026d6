import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';

const INSERT_CHUNK = 200;

export interface NotificationRow {
  id: number;
  kind: string;
  source_type: string;
  source_id: string | null;
  data: string;
  created_at: string;
  read_at: string | null;
}

/** In-app notifications: the only SQL of the notifications module. */
@Injectable()
export class NotificationsRepository {
  constructor(readonly db: Db) {}

  /** Inserts each notification once: a repeated delivery (same dedupe key) adds nothing. */
  async insertOnce(
    tx: Executor,
    rows: { workspaceId: string; memberId: string; kind: string; dedupeKey: string; sourceType: string; sourceId: string | null; data: string; at: string }[],
  ): Promise<number> {
    // A multi-row insert (200 a statement); a row whose dedupe key exists is skipped, and not counted.
    let added = 0;
    const verb = tx.dialect === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const params = chunk.flatMap((r) => [r.workspaceId, r.memberId, r.kind, r.dedupeKey, r.sourceType, r.sourceId, r.data, r.at]);
      const values = chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, NULL)').join(', ');
      added += (
        await tx.run(
          `${verb} INTO notifications (workspace_id, member_id, kind, dedupe_key, source_type, source_id, data, created_at, read_at) VALUES ${values}`,
          params,
        )
      ).affected;
    }
    return added;
  }

  async list(workspaceId: string, memberId: string, opts: { unreadOnly: boolean; beforeId: number | null; limit: number }): Promise<NotificationRow[]> {
    const where = ['workspace_id = ?', 'member_id = ?'];
    const params: unknown[] = [workspaceId, memberId];
    if (opts.unreadOnly) where.push('read_at IS NULL');
    if (opts.beforeId !== null) {
      where.push('id < ?');
      params.push(opts.beforeId);
    }
    return this.db.query<NotificationRow>(
      `SELECT id, kind, source_type, source_id, data, created_at, read_at FROM notifications WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${opts.limit}`,
      params,
    );
  }

  /** The unread count: one indexed query, never a stored counter that could drift. */
  async unreadCount(workspaceId: string, memberId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM notifications WHERE workspace_id = ? AND member_id = ? AND read_at IS NULL', [
      workspaceId,
      memberId,
    ]);
    return Number(rows[0]?.n ?? 0);
  }

  async markRead(workspaceId: string, memberId: string, ids: number[] | 'all', at: string): Promise<number> {
    if (ids === 'all')
      return (
        await this.db.run('UPDATE notifications SET read_at = ? WHERE workspace_id = ? AND member_id = ? AND read_at IS NULL', [at, workspaceId, memberId])
      ).affected;
    if (!ids.length) return 0;
    return (
      await this.db.run(
        `UPDATE notifications SET read_at = ? WHERE workspace_id = ? AND member_id = ? AND read_at IS NULL AND id IN (${ids.map(() => '?').join(', ')})`,
        [at, workspaceId, memberId, ...ids],
      )
    ).affected;
  }
}
