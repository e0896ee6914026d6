import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';

export interface CommentRow {
  id: string;
  author_id: string;
  body: string;
  mentions: string;
  created_at: string;
}

/** Record comments: the only SQL of the comments module. */
@Injectable()
export class CommentsRepository {
  constructor(readonly db: Db) {}

  async insert(
    tx: Executor,
    r: { id: string; workspaceId: string; entityId: string; recordId: number; authorId: string; body: string; mentions: string[]; at: string },
  ): Promise<void> {
    await tx.run(
      'INSERT INTO record_comments (id, workspace_id, entity_id, record_id, author_id, body, mentions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [r.id, r.workspaceId, r.entityId, r.recordId, r.authorId, r.body, JSON.stringify(r.mentions), r.at],
    );
  }

  /** Oldest first; `afterId`/`afterAt` continue a page (keyset on created_at, id). */
  list(workspaceId: string, entityId: string, recordId: number, after: { at: string; id: string } | null, limit: number): Promise<CommentRow[]> {
    const where = ['workspace_id = ?', 'entity_id = ?', 'record_id = ?'];
    const params: unknown[] = [workspaceId, entityId, recordId];
    if (after) {
      where.push('(created_at > ? OR (created_at = ? AND id > ?))');
      params.push(after.at, after.at, after.id);
    }
    return this.db.query<CommentRow>(
      `SELECT id, author_id, body, mentions, created_at FROM record_comments WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT ${limit}`,
      params,
    );
  }

  async find(workspaceId: string, entityId: string, recordId: number, id: string): Promise<CommentRow | null> {
    const rows = await this.db.query<CommentRow>(
      'SELECT id, author_id, body, mentions, created_at FROM record_comments WHERE workspace_id = ? AND entity_id = ? AND record_id = ? AND id = ?',
      [workspaceId, entityId, recordId, id],
    );
    return rows[0] ?? null;
  }

  async remove(tx: Executor, id: string): Promise<void> {
    await tx.run('DELETE FROM record_comments WHERE id = ?', [id]);
  }

  /** The active members of the workspace among these ids, with what an actor of theirs needs. */
  async activeMembers(workspaceId: string, ids: string[]): Promise<Map<string, MemberBrief>> {
    if (!ids.length) return new Map();
    const rows = await this.db.query<{ id: string; name: string; email: string | null; is_admin: number | boolean }>(
      `SELECT id, name, email, is_admin FROM users WHERE workspace_id = ? AND status = 'active' AND id IN (${ids.map(() => '?').join(', ')})`,
      [workspaceId, ...ids],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, email: r.email, isAdmin: !!Number(r.is_admin) }]));
  }
}

export interface MemberBrief {
  id: string;
  name: string;
  email: string | null;
  isAdmin: boolean;
}
