import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, callOrThrow } from '../../api/client';
import { queryKeys } from '../../api/query-keys';

export interface SearchGroup {
  entityId: string;
  entityName: string;
  items: { id: number; title: string; matched: string[] }[];
  nextCursor: string | null;
}

/** The app's records the member may read whose text matches `q`, grouped by entity (GET /api/apps/{appId}/search). */
export async function searchOrThrow(args: {
  appId: string;
  q: string;
  limit?: number;
  entityId?: string;
  cursor?: string;
  signal?: AbortSignal;
}): Promise<SearchGroup[]> {
  const query = {
    q: args.q,
    ...(args.limit ? { limit: args.limit } : {}),
    ...(args.entityId ? { entityId: args.entityId } : {}),
    ...(args.cursor ? { cursor: args.cursor } : {}),
  };
  const answer = await callOrThrow(api.GET('/api/apps/{appId}/search', { params: { path: { appId: args.appId }, query }, signal: args.signal }));
  return answer.groups;
}

/** `value` once it has stayed the same for `ms`. */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}

export function useSearch(appId: string, q: string, limit = 5) {
  const text = q.trim();
  return useQuery({
    queryKey: [...queryKeys.search(appId, text), limit],
    queryFn: ({ signal }) => searchOrThrow({ appId, q: text, limit, signal }),
    enabled: !!appId && text.length > 0,
    placeholderData: keepPreviousData,
  });
}

/** More hits of one entity, after the first group's cursor. */
export function useMoreHits(appId: string, q: string, group: SearchGroup) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.search(appId, q), 'more', group.entityId, group.nextCursor],
    queryFn: async ({ pageParam, signal }) =>
      (await searchOrThrow({ appId, q, limit: 20, entityId: group.entityId, cursor: pageParam, signal }))[0] ?? { ...group, items: [], nextCursor: null },
    initialPageParam: group.nextCursor ?? '',
    getNextPageParam: (last) => last.nextCursor,
    enabled: false,
  });
}
