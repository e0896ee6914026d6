import { api, callOrThrow } from '../../api/client';
import type { Id } from '../apps/api/apps.api';
import type { RecordPage, RecordRow } from './records.api';

/** A record in the recycle bin: who moved it there and when. */
export type BinnedRecord = RecordRow & { deletedAt: string | null; deletedBy: string | null };

export interface BinBulkAnswer {
  ids: number[];
  failed: { id: number; code: string; detail: string }[];
}

const path = (entityId: Id) => ({ entityId: String(entityId) });

export async function listBinOrThrow(args: { entityId: Id; cursor: string | null; limit: number; signal?: AbortSignal }): Promise<RecordPage> {
  const query = { limit: args.limit, ...(args.cursor ? { cursor: args.cursor } : {}) };
  return (await callOrThrow(
    api.GET('/api/entities/{entityId}/recycle-bin', { params: { path: path(args.entityId), query }, signal: args.signal }),
  )) as RecordPage;
}

/** Restore (or purge for good) the given records; each is done on its own, the refused ones say why. */
export function binBulkOrThrow(args: { entityId: Id; ids: number[]; action: 'restore' | 'purge' }): Promise<BinBulkAnswer> {
  const body = { ids: args.ids };
  const p = { params: { path: path(args.entityId) }, body };
  return callOrThrow(
    args.action === 'restore' ? api.POST('/api/entities/{entityId}/recycle-bin/restore', p) : api.POST('/api/entities/{entityId}/recycle-bin/purge', p),
  );
}
