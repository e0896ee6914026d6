import { apiRequestOrThrow } from '../../api/client';
import type { Id } from '../apps/api/apps.api';

/** A stored record: system columns plus one property per field key; `expand` holds related records by relation key. */
export interface RecordRow {
  id: number;
  version: number;
  createdAt: string;
  createdBy: Id | null;
  updatedAt: string;
  updatedBy: Id | null;
  ownerId: Id | null;
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

const records = (entityId: Id) => `/entities/${encodeURIComponent(entityId)}/records`;

/** A page of records; the query goes in the body (filters can be long). */
export function listRecordsOrThrow(args: {
  entityId: Id;
  limit: number;
  cursor: string | null;
  params?: ListParams;
  signal?: AbortSignal;
}): Promise<RecordPage> {
  const p = args.params ?? {};
  return apiRequestOrThrow<RecordPage>(`${records(args.entityId)}/query`, {
    method: 'POST',
    body: {
      limit: args.limit,
      ...(args.cursor ? { cursor: args.cursor } : {}),
      ...(p.filter ? { filter: p.filter } : {}),
      ...(p.sort ? { sort: p.sort } : {}),
      ...(p.expand?.length ? { expand: p.expand.join(',') } : {}),
    },
    signal: args.signal,
  });
}

export function getRecordOrThrow(args: { entityId: Id; recordId: Id; expand?: string[]; signal?: AbortSignal }): Promise<RecordRow> {
  return apiRequestOrThrow<RecordRow>(`${records(args.entityId)}/${encodeURIComponent(args.recordId)}`, {
    query: { expand: args.expand?.length ? args.expand.join(',') : undefined },
    signal: args.signal,
  });
}

/** A partial update through the normal write path; `version` is the one the member read (409 when stale). */
export function updateRecordOrThrow(args: { entityId: Id; recordId: Id; version: number; values: Record<string, unknown> }): Promise<RecordRow> {
  return apiRequestOrThrow<RecordRow>(`${records(args.entityId)}/${encodeURIComponent(args.recordId)}`, {
    method: 'PATCH',
    body: { version: args.version, ...args.values },
  });
}

const idsFilter = (ids: number[]) => ({ in: [{ var: 'id' }, ids] });

export function bulkUpdateOrThrow(args: { entityId: Id; ids: number[]; values: Record<string, unknown> }): Promise<{ updated: number; ids: number[] }> {
  return apiRequestOrThrow(`${records(args.entityId)}/bulk-update`, { method: 'POST', body: { filter: idsFilter(args.ids), values: args.values } });
}

export function bulkDeleteOrThrow(args: { entityId: Id; ids: number[] }): Promise<{ deleted: number; ids: number[] }> {
  return apiRequestOrThrow(`${records(args.entityId)}/bulk-delete`, { method: 'POST', body: { filter: idsFilter(args.ids) } });
}

export interface RecordGroups {
  field: string;
  sumField: string | null;
  total: number;
  groups: { value: string | null; count: number; sum?: number }[];
}

/** Counts (and a sum) per value of a choice field: kanban columns and table group headers. */
export function recordGroupsOrThrow(args: { entityId: Id; field: string; sum?: string | null; filter?: unknown; signal?: AbortSignal }): Promise<RecordGroups> {
  return apiRequestOrThrow<RecordGroups>(`${records(args.entityId)}/groups`, {
    query: { field: args.field, sum: args.sum ?? undefined, filter: args.filter ? JSON.stringify(args.filter) : undefined },
    signal: args.signal,
  });
}
