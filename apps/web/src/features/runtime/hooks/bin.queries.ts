import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { queryKeys } from '../../../api/query-keys';
import type { Entity } from '../../apps/api/apps.api';
import { binBulkOrThrow, listBinOrThrow, type BinnedRecord } from '../bin.api';

const PAGE = 50;

/** The entity's recycle bin, newest deletion first, page by page (keyset). */
export function useRecycleBin(entity: Entity) {
  const query = useInfiniteQuery({
    queryKey: [...queryKeys.recycleBin({ entityId: entity.id, version: entity.version }), PAGE],
    queryFn: ({ pageParam, signal }) => listBinOrThrow({ entityId: entity.id, cursor: pageParam, limit: PAGE, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    retry: false,
  });
  const rows = useMemo(() => (query.data?.pages.flatMap((p) => p.items) ?? []) as BinnedRecord[], [query.data]);
  return { query, rows };
}

/** Whether the member may open the bin (a delete scope): one record asked, 403 means no. */
export function useBinAllowed(entity: Entity): boolean {
  const q = useQuery({
    queryKey: [...queryKeys.recycleBin({ entityId: entity.id, version: entity.version }), 'probe'],
    queryFn: ({ signal }) => listBinOrThrow({ entityId: entity.id, cursor: null, limit: 1, signal }),
    retry: false,
    staleTime: 60_000,
  });
  return q.isSuccess;
}

export function useBinBulk(entity: Entity) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { ids: number[]; action: 'restore' | 'purge' }) => binBulkOrThrow({ entityId: entity.id, ...args }),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.recordLists(entity.id) }),
  });
}
