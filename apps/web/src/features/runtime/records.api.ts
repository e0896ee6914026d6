import { api, callOrThrow } from '../../api/client';
import type { Id } from '../apps/api/apps.api';

/** A stored record: system columns plus one property per field key; `expand` holds related records by relation key. */
export interface RecordRow {
  id: number;
  version: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  ownerId: string | null;
  /** The published form version the record was last written with (null: none). */
  formVersion: number | null;
  expand?: Record<string, RecordRow | RecordRow[] | null>;
  [fieldKey: string]: unknown;
}

export interface RecordPage {
  items: RecordRow[];
  nextCursor: string | null;
}

/** What a list asks for: a json-logic filter, a sort text (`-amount,account.name`), relations to expand. */
export interface ListParams {
  filter?: unknown;
  sort?: string;
  expand?: string[];
}

const entityPath = (entityId: Id) => ({ entityId: String(entityId) });
const idsFilter = (ids: number[]) => ({ in: [{ var: 'id' }, ids] });

/** A page of records; the query goes in the body (filters can be long). */
export async function listRecordsOrThrow(args: {
  entityId: Id;
  limit: number;
  cursor: string | null;
  params?: ListParams;
  signal?: AbortSignal;
}): Promise<RecordPage> {
  const p = args.params ?? {};
  const body = {
    limit: args.limit,
    ...(args.cursor ? { cursor: args.cursor } : {}),
    ...(p.filter ? { filter: p.filter as Record<string, unknown> } : {}),
    ...(p.sort ? { sort: p.sort } : {}),
    ...(p.expand?.length ? { expand: p.expand.join(',') } : {}),
  };
  return (await callOrThrow(
    api.POST('/api/entities/{entityId}/records/query', { params: { path: entityPath(args.entityId) }, body, signal: args.signal }),
  )) as RecordPage;
}

export async function getRecordOrThrow(args: { entityId: Id; recordId: Id | number; expand?: string[]; signal?: AbortSignal }): Promise<RecordRow> {
  const path = { entityId: String(args.entityId), id: Number(args.recordId) };
  const query = args.expand?.length ? { expand: args.expand.join(',') } : {};
  return (await callOrThrow(api.GET('/api/entities/{entityId}/records/{id}', { params: { path, query }, signal: args.signal }))) as RecordRow;
}

/** A partial update through the normal write path; `version` is the one the member read (409 when stale). */
export async function updateRecordOrThrow(args: { entityId: Id; recordId: number; version: number; values: Record<string, unknown> }): Promise<RecordRow> {
  const path = { entityId: String(args.entityId), id: args.recordId };
  return (await callOrThrow(
    api.PATCH('/api/entities/{entityId}/records/{id}', { params: { path }, body: { version: args.version, ...args.values } }),
  )) as RecordRow;
}

export function bulkUpdateOrThrow(args: { entityId: Id; ids: number[]; values: Record<string, unknown> }): Promise<{ updated: number; ids: number[] }> {
  return callOrThrow(
    api.POST('/api/entities/{entityId}/records/bulk-update', {
      params: { path: entityPath(args.entityId) },
      body: { filter: idsFilter(args.ids), values: args.values },
    }),
  );
}

export function bulkDeleteOrThrow(args: { entityId: Id; ids: number[] }): Promise<{ deleted: number; ids: number[] }> {
  return callOrThrow(
    api.POST('/api/entities/{entityId}/records/bulk-delete', { params: { path: entityPath(args.entityId) }, body: { filter: idsFilter(args.ids) } }),
  );
}

export interface RecordGroups {
  field: string;
  sumField: string | null;
  total: number;
  groups: { value: string | null; count: number; sum?: number }[];
}

/** Counts (and a sum) per value of a choice field: kanban columns and table group headers. */
export function recordGroupsOrThrow(args: { entityId: Id; field: string; sum?: string | null; filter?: unknown; signal?: AbortSignal }): Promise<RecordGroups> {
  const query = { field: args.field, ...(args.sum ? { sum: args.sum } : {}), ...(args.filter ? { filter: JSON.stringify(args.filter) } : {}) };
  return callOrThrow(api.GET('/api/entities/{entityId}/records/groups', { params: { path: entityPath(args.entityId), query }, signal: args.signal }));
}
