import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { queryKeys } from '../../../api/query-keys';
import type { Entity, Id } from '../../apps/api/apps.api';
import {
  bulkDeleteOrThrow,
  bulkUpdateOrThrow,
  getRecordOrThrow,
  listRecordsOrThrow,
  recordGroupsOrThrow,
  updateRecordOrThrow,
  type ListParams,
  type RecordRow,
} from '../records.api';
import { createViewOrThrow, deleteViewOrThrow, listViewsOrThrow, updateViewOrThrow, type ViewConfig, type ViewKind } from '../views.api';

/** Relations a list expands so they show by their display field: every relation field (the API takes 10). */
export function expandKeysOf(entity: Entity): string[] {
  return entity.fields
    .filter((f) => f.type === 'relation')
    .map((f) => f.key)
    .slice(0, 10);
}

/**
 * A list walked page by page over the API's keyset cursors (each page `limit` rows), for the
 * virtual table and kanban columns: `fetchNextPage` when the view nears the end of what it holds.
 * The key carries the entity's metadata version and the query, so a new filter starts afresh.
 */
export function useRecordList({ entity, params, limit = 100, enabled = true }: { entity: Entity; params: ListParams; limit?: number; enabled?: boolean }) {
  const query = useInfiniteQuery({
    queryKey: queryKeys.recordList({ entityId: entity.id, version: entity.version, params, limit }),
    queryFn: ({ pageParam, signal }) => listRecordsOrThrow({ entityId: entity.id, limit, cursor: pageParam, params, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    enabled,
  });
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  return { query, rows };
}

export function useRecordGroups({ entity, field, sum, filter }: { entity: Entity; field: string | null; sum?: string | null; filter?: unknown }) {
  return useQuery({
    queryKey: queryKeys.recordGroups({ entityId: entity.id, version: entity.version, field: field ?? '', sum: sum ?? null, filter: filter ?? null }),
    queryFn: ({ signal }) => recordGroupsOrThrow({ entityId: entity.id, field: field!, sum, filter, signal }),
    enabled: !!field,
    placeholderData: keepPreviousData,
  });
}

export function useRecord({ entity, recordId }: { entity: Entity; recordId: Id }) {
  return useQuery({
    queryKey: queryKeys.record({ entityId: entity.id, version: entity.version, recordId }),
    queryFn: ({ signal }) => getRecordOrThrow({ entityId: entity.id, recordId, expand: expandKeysOf(entity), signal }),
  });
}

/** One record's changed values through the normal write path; every list of the entity is read again after. */
export function useUpdateRecord(entity: Entity) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { record: Pick<RecordRow, 'id' | 'version'>; values: Record<string, unknown> }) =>
      updateRecordOrThrow({ entityId: entity.id, recordId: args.record.id, version: args.record.version, values: args.values }),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.recordLists(entity.id) }),
  });
}

export function useBulkActions(entity: Entity) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.recordLists(entity.id) });
  const update = useMutation({
    mutationFn: (args: { ids: number[]; values: Record<string, unknown> }) => bulkUpdateOrThrow({ entityId: entity.id, ...args }),
    onSettled: refresh,
  });
  const remove = useMutation({ mutationFn: (ids: number[]) => bulkDeleteOrThrow({ entityId: entity.id, ids }), onSettled: refresh });
  return { update, remove };
}

export function useViews(entityId: Id) {
  return useQuery({ queryKey: queryKeys.views(entityId), queryFn: ({ signal }) => listViewsOrThrow(entityId, signal) });
}

export function useSaveView(entityId: Id) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { id?: string; name: string; kind: ViewKind; config: ViewConfig; shared?: boolean }) =>
      args.id ? updateViewOrThrow(args.id, { name: args.name, config: args.config }) : createViewOrThrow(entityId, args),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.views(entityId) }),
  });
}

export function useDeleteView(entityId: Id) {
  const client = useQueryClient();
  return useMutation({ mutationFn: (id: string) => deleteViewOrThrow(id), onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.views(entityId) }) });
}
