import type { FormDefinition } from '@crm/forms';
import { ApiError, api, callOrThrow, type Schema } from '../../api/client';
import type { Id } from '../apps/api/apps.api';
import type { RecordPage } from './records.api';

/** The record page's server calls (docs/user-guide.md, "The record page"): comments, history, related lists, the form layout. */

export type RecordComment = Schema<'RecordComment'>;
export type HistoryEntry = Schema<'HistoryEntry'>;

const path = (entityId: Id, recordId: Id | number) => ({ entityId: String(entityId), id: Number(recordId) });

export async function listCommentsOrThrow(args: { entityId: Id; recordId: Id; signal?: AbortSignal }): Promise<RecordComment[]> {
  const out: RecordComment[] = [];
  let cursor: string | undefined;
  // A record's thread is read whole, 200 at a time (the API pages; a thread rarely passes one page).
  for (let i = 0; i < 20; i++) {
    const page = await callOrThrow(
      api.GET('/api/entities/{entityId}/records/{id}/comments', {
        params: { path: path(args.entityId, args.recordId), query: { limit: 200, ...(cursor ? { cursor } : {}) } },
        signal: args.signal,
      }),
    );
    out.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

export function addCommentOrThrow(args: { entityId: Id; recordId: Id; body: string; mentions: string[] }): Promise<RecordComment> {
  return callOrThrow(
    api.POST('/api/entities/{entityId}/records/{id}/comments', {
      params: { path: path(args.entityId, args.recordId) },
      body: { body: args.body, mentions: args.mentions },
    }),
  );
}

/** Up to 20 active members who can read the record, matching `q` (name, email, user name). */
export async function mentionableOrThrow(args: {
  entityId: Id;
  recordId: Id;
  q: string;
  signal?: AbortSignal;
}): Promise<{ id: string; name: string; email: string | null }[]> {
  const res = await callOrThrow(
    api.GET('/api/entities/{entityId}/records/{id}/comments/mentionable', {
      params: { path: path(args.entityId, args.recordId), query: { q: args.q.slice(0, 100) } },
      signal: args.signal,
    }),
  );
  return res.items;
}

export async function deleteCommentOrThrow(args: { entityId: Id; recordId: Id; commentId: string }): Promise<void> {
  await callOrThrow(
    api.DELETE('/api/entities/{entityId}/records/{id}/comments/{commentId}', {
      params: { path: { ...path(args.entityId, args.recordId), commentId: args.commentId } },
    }),
  );
}

export async function historyOrThrow(args: { entityId: Id; recordId: Id; signal?: AbortSignal }): Promise<HistoryEntry[]> {
  const res = await callOrThrow(
    api.GET('/api/entities/{entityId}/records/{id}/history', { params: { path: path(args.entityId, args.recordId) }, signal: args.signal }),
  );
  return res.items;
}

/** A page of the records of `source` whose relation `field` points at this record. */
export async function relatedOrThrow(args: {
  entityId: Id;
  recordId: Id;
  source: Id;
  field: string;
  cursor: string | null;
  signal?: AbortSignal;
}): Promise<RecordPage> {
  const query = { entityId: String(args.source), field: args.field, limit: 10, ...(args.cursor ? { cursor: args.cursor } : {}) };
  return (await callOrThrow(
    api.GET('/api/entities/{entityId}/records/{id}/related', { params: { path: path(args.entityId, args.recordId), query }, signal: args.signal }),
  )) as RecordPage;
}

/** The published form as the member may see it (the fields they can read, its layout); null when no form is published. */
export async function memberFormOrNull(args: {
  entityId: Id;
  locale: string;
  signal?: AbortSignal;
}): Promise<{ visible: Set<string>; form: FormDefinition } | null> {
  try {
    const locale = args.locale === 'zh-CN' ? 'zh-CN' : 'en';
    const res = await callOrThrow(
      api.GET('/api/entities/{entityId}/form/schema', { params: { path: { entityId: String(args.entityId) }, query: { locale } }, signal: args.signal }),
    );
    const props = (res.schema as { properties?: Record<string, unknown> }).properties ?? {};
    return { visible: new Set(Object.keys(props)), form: res.form as unknown as FormDefinition };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code === 'FORM_NOT_FOUND') return null;
    throw error;
  }
}
