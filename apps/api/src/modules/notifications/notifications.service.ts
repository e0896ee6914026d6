import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors';
import { nowStorage, storageToIso } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import type { Executor } from '../../database/db';
import { NotificationsRepository } from './notifications.repository';

export interface NewNotification {
  workspaceId: string;
  memberId: string;
  /** What happened: `task`, `returned`, `finished`, `urged`, `cc`, `transferred`, `reminder`, `failed`, … */
  kind: string;
  /** Unique per notification: a repeated delivery of the same one adds nothing. */
  dedupeKey: string;
  /** What it is about (`workflow_instance`) and its id; `data` holds ids the client links to. */
  sourceType: string;
  sourceId: string | null;
  data: Record<string, unknown>;
}

/**
 * In-app notifications of every feature: stored rows per member, listed newest first, marked
 * read; the unread count is one query. Features add them from a job (`add(tx, …)` inside the
 * job's `ctx.complete`), so a notification is delivered once however often the job runs.
 */
@Injectable()
export class NotificationsService {
  constructor(private readonly repo: NotificationsRepository) {}

  add(tx: Executor, items: NewNotification[]): Promise<number> {
    const at = nowStorage();
    return this.repo.insertOnce(
      tx,
      items.map((n) => ({ ...n, dedupeKey: n.dedupeKey.slice(0, 160), data: JSON.stringify(n.data), at })),
    );
  }

  async list(ctx: RequestContext, q: { unread?: unknown; before?: unknown; limit?: unknown }) {
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw badQuery('limit', 'an integer from 1 to 200');
    const before = q.before === undefined || q.before === '' ? null : Number(q.before);
    if (before !== null && (!Number.isInteger(before) || before < 1)) throw badQuery('before', 'a notification id');
    if (q.unread !== undefined && q.unread !== 'true' && q.unread !== 'false') throw badQuery('unread', 'true or false');
    const rows = await this.repo.list(ctx.actor.workspaceId, ctx.actor.userId, { unreadOnly: q.unread === 'true', beforeId: before, limit: limit + 1 });
    const items = rows.slice(0, limit).map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      sourceType: r.source_type,
      sourceId: r.source_id,
      data: JSON.parse(r.data) as Record<string, unknown>,
      createdAt: storageToIso(r.created_at),
      readAt: storageToIso(r.read_at),
    }));
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1].id) : null };
  }

  async unreadCount(ctx: RequestContext): Promise<{ unread: number }> {
    return { unread: await this.repo.unreadCount(ctx.actor.workspaceId, ctx.actor.userId) };
  }

  /** Marks the member's own notifications read (`ids`, or `all: true`); ids of others change nothing. */
  async markRead(ctx: RequestContext, body: unknown): Promise<{ marked: number; unread: number }> {
    const b = (body ?? {}) as { ids?: unknown; all?: unknown };
    const all = b.all === true;
    const ids = b.ids;
    if (!all && (!Array.isArray(ids) || ids.length > 500 || !ids.every((i) => Number.isInteger(i) && (i as number) > 0)))
      throw new AppError('VALIDATION_FAILED', 'Send { "ids": [notification ids, at most 500] } or { "all": true }', {
        errors: [{ path: '/ids', code: 'invalid_type', message: 'an array of notification ids' }],
      });
    const marked = await this.repo.markRead(ctx.actor.workspaceId, ctx.actor.userId, all ? 'all' : (ids as number[]), nowStorage());
    return { marked, ...(await this.unreadCount(ctx)) };
  }
}

const badQuery = (key: string, what: string) =>
  new AppError('INVALID_REQUEST', `${key} must be ${what}`, { errors: [{ path: `/${key}`, code: 'invalid_value', message: `${key} must be ${what}` }] });
