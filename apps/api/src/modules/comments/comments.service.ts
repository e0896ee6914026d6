import { Injectable } from '@nestjs/common';
import { AppError, ERROR_STATUS, notFound } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import { JobOutbox } from '../jobs/job-outbox';
import { RecordsQueryService } from '../records/records-query.service';
import { MENTION_JOB } from './comment-jobs';
import { MembersService } from '../org/members.service';
import { type CommentRow, CommentsRepository, type MemberBrief } from './comments.repository';

/** The size cap of one comment, in characters (docs/api.md, Comments). */
export const COMMENT_MAX = 4000;
/** At most this many members @mentioned by one comment. */
export const MENTIONS_MAX = 20;

export interface CommentDto {
  id: string;
  authorId: string;
  body: string;
  mentions: string[];
  createdAt: string;
}

const toDto = (r: CommentRow): CommentDto => ({
  id: r.id,
  authorId: r.author_id,
  body: r.body,
  mentions: JSON.parse(r.mentions) as string[],
  createdAt: storageToIso(r.created_at)!,
});

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, { errors: [{ path, code: 'invalid_value', message }] });

/**
 * Comments on a record, under the record's read permission: whoever may read the record reads
 * and adds comments; only the author deletes one. An @mention of a member asks for a job that
 * sends them an in-app notification (`mentioned`) after the comment commits.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly repo: CommentsRepository,
    private readonly reads: RecordsQueryService,
    private readonly outbox: JobOutbox,
    private readonly members: MembersService,
  ) {}

  async list(ctx: RequestContext, entityId: string, recordId: number, q: { cursor?: unknown; limit?: unknown }) {
    await this.reads.getOrThrow(ctx, entityId, recordId);
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new AppError('INVALID_REQUEST', 'limit must be an integer from 1 to 200');
    const after = cursorOrThrow(q.cursor);
    const rows = await this.repo.list(ctx.actor.workspaceId, entityId, recordId, after, limit + 1);
    const items = rows.slice(0, limit).map(toDto);
    const last = rows.length > limit ? rows[limit - 1] : null;
    return { items, nextCursor: last ? Buffer.from(JSON.stringify([last.created_at, last.id])).toString('base64url') : null };
  }

  async add(ctx: RequestContext, entityId: string, recordId: number, raw: unknown): Promise<CommentDto> {
    const { c } = await this.reads.entityAccess(ctx, entityId);
    await this.reads.getOrThrow(ctx, entityId, recordId);
    const { body, mentions } = await this.inputOrThrow(ctx, raw, entityId, recordId);
    const row = { id: newId(), workspaceId: ctx.actor.workspaceId, entityId, recordId, authorId: ctx.actor.userId, body, mentions, at: nowStorage() };
    await this.repo.db.transaction(async (tx) => {
      await this.repo.insert(tx, row);
      const to = mentions.filter((m) => m !== ctx.actor.userId);
      if (to.length)
        await this.outbox.add(tx, {
          name: MENTION_JOB,
          key: `${MENTION_JOB}:${row.id}`,
          payload: { workspaceId: row.workspaceId, commentId: row.id, appId: c.meta.appId, entityId, recordId, authorId: row.authorId, to },
        });
    });
    return toDto({ id: row.id, author_id: row.authorId, body, mentions: JSON.stringify(mentions), created_at: row.at });
  }

  async remove(ctx: RequestContext, entityId: string, recordId: number, commentId: string): Promise<void> {
    await this.reads.getOrThrow(ctx, entityId, recordId);
    const row = await this.repo.find(ctx.actor.workspaceId, entityId, recordId, commentId.slice(0, 64));
    if (!row) throw notFound('NOT_FOUND', 'Comment');
    if (row.author_id !== ctx.actor.userId) throw new AppError('FORBIDDEN', 'Only the author may delete a comment');
    await this.repo.db.transaction((tx) => this.repo.remove(tx, row.id));
  }

  /**
   * The members a comment on this record may @mention: active, not the caller, able to read the
   * record (each checked by the records read path as that member), whose name, email or user name
   * contains `q`; at most 20 of the first 50 matches by name.
   */
  async mentionable(
    ctx: RequestContext,
    entityId: string,
    recordId: number,
    raw: { q?: unknown },
  ): Promise<{ items: { id: string; name: string; email: string | null }[] }> {
    await this.reads.getOrThrow(ctx, entityId, recordId);
    const page = await this.members.search(ctx, { q: typeof raw.q === 'string' ? raw.q : '', status: 'active', limit: 50 });
    const candidates = page.items.filter((m) => m.id !== ctx.actor.userId).map((m) => ({ id: m.id, name: m.name, email: m.email, isAdmin: m.isAdmin }));
    const items: { id: string; name: string; email: string | null }[] = [];
    for (const m of candidates) {
      if (items.length >= 20) break;
      if (await this.canRead(ctx, m, entityId, recordId)) items.push({ id: m.id, name: m.name, email: m.email });
    }
    return { items };
  }

  /** Whether this member may read the record: the read path run with them as the actor (row scopes, app narrowing and all). */
  private async canRead(ctx: RequestContext, m: MemberBrief, entityId: string, recordId: number): Promise<boolean> {
    const as: RequestContext = {
      ...ctx,
      actor: {
        ...ctx.actor,
        kind: 'session',
        userId: m.id,
        name: m.name,
        email: m.email ?? '',
        isAdmin: m.isAdmin,
        sessionId: null,
        tokenId: null,
        appIds: null,
        readOnly: true,
      },
    };
    try {
      await this.reads.getOrThrow(as, entityId, recordId);
      return true;
    } catch (err) {
      if (err instanceof AppError && (ERROR_STATUS[err.code] === 404 || ERROR_STATUS[err.code] === 403)) return false;
      throw err;
    }
  }

  private async inputOrThrow(ctx: RequestContext, raw: unknown, entityId: string, recordId: number): Promise<{ body: string; mentions: string[] }> {
    const b = (raw ?? {}) as { body?: unknown; mentions?: unknown };
    if (typeof b.body !== 'string' || !b.body.trim()) throw invalid('/body', 'body: write the comment (text, not empty)');
    const body = b.body.trim();
    if (body.length > COMMENT_MAX) throw invalid('/body', `body: a comment is at most ${COMMENT_MAX} characters; this one has ${body.length}`);
    const m = b.mentions ?? [];
    if (!Array.isArray(m) || !m.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 64))
      throw invalid('/mentions', 'mentions: a list of member ids');
    const mentions = [...new Set(m as string[])];
    if (mentions.length > MENTIONS_MAX) throw invalid('/mentions', `mentions: at most ${MENTIONS_MAX} members per comment`);
    const active = await this.repo.activeMembers(ctx.actor.workspaceId, mentions);
    const unknown = mentions.findIndex((x) => !active.has(x));
    if (unknown >= 0) throw invalid(`/mentions/${unknown}`, `mentions: ${mentions[unknown]} is not an active member of this workspace`);
    // A mention of someone who cannot read the record would tell them it exists (and what the comment says): refused, naming them.
    const blind: { path: string; code: string; message: string }[] = [];
    for (const [i, id] of mentions.entries()) {
      const member = active.get(id)!;
      if (id !== ctx.actor.userId && !(await this.canRead(ctx, member, entityId, recordId)))
        blind.push({ path: `/mentions/${i}`, code: 'cannot_read', message: `mentions: ${member.name} cannot see this record` });
    }
    if (blind.length)
      throw new AppError(
        'VALIDATION_FAILED',
        `${blind.map((x) => x.message.slice('mentions: '.length).replace(' cannot see this record', '')).join(', ')} cannot see this record: remove the mention, or ask an admin to give them access first`,
        { errors: blind },
      );
    return { body, mentions };
  }
}

function cursorOrThrow(raw: unknown): { at: string; id: string } | null {
  if (raw === undefined || raw === '') return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(String(raw), 'base64url').toString()) as unknown[];
    if (typeof at === 'string' && typeof id === 'string') return { at, id };
  } catch {
    // answered below
  }
  throw new AppError('INVALID_CURSOR', 'cursor must be one from a previous page');
}
