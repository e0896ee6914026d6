import { apiRequestOrThrow } from '../../api/client';
import type { Id } from '../apps/api/apps.api';

/** A stored record: system columns plus one property per field key. */
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
  [fieldKey: string]: unknown;
}

export interface RecordPage {
  items: RecordRow[];
  nextCursor: string | null;
}

export function listRecordsOrThrow(args: { entityId: Id; limit: number; cursor: string | null; signal?: AbortSignal }): Promise<RecordPage> {
  return apiRequestOrThrow<RecordPage>(`/entities/${encodeURIComponent(args.entityId)}/records`, {
    query: { limit: args.limit, cursor: args.cursor },
    signal: args.signal,
  });
}

export function getRecordOrThrow(args: { entityId: Id; recordId: Id; signal?: AbortSignal }): Promise<RecordRow> {
  return apiRequestOrThrow<RecordRow>(`/entities/${encodeURIComponent(args.entityId)}/records/${encodeURIComponent(args.recordId)}`, { signal: args.signal });
}
