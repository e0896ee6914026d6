import { api, callOrThrow, type Schema } from '../../api/client';
import type { Id } from '../apps/api/apps.api';

/** A stored record: system columns plus one property per field key. */
export type RecordRow = Schema<'Record'>;
export type RecordPage = Schema<'RecordPage'>;

export function listRecordsOrThrow(args: { entityId: Id; limit: number; cursor: string | null; signal?: AbortSignal }): Promise<RecordPage> {
  const query = { limit: args.limit, ...(args.cursor ? { cursor: args.cursor } : {}) };
  return callOrThrow(api.GET('/api/entities/{entityId}/records', { params: { path: { entityId: args.entityId }, query }, signal: args.signal }));
}

export function getRecordOrThrow(args: { entityId: Id; recordId: Id | number; signal?: AbortSignal }): Promise<RecordRow> {
  const path = { entityId: args.entityId, id: Number(args.recordId) };
  return callOrThrow(api.GET('/api/entities/{entityId}/records/{id}', { params: { path }, signal: args.signal }));
}
