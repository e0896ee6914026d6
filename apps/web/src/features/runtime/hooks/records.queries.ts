import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { queryKeys } from '../../../api/query-keys';
import type { Entity, Id } from '../../apps/api/apps.api';
import { getRecordOrThrow, listRecordsOrThrow } from '../records.api';

/**
 * Cursor pagination with a way back: the API only hands out `nextCursor`, so the cursors of the
 * pages already seen are kept on a stack (null = first page). The key carries the entity's
 * metadata version: after a publish the rows are fetched again with the new columns.
 */
export function useRecordPages({ entity, pageSize }: { entity: Entity; pageSize: number }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useQuery({
    queryKey: queryKeys.records({ entityId: entity.id, version: entity.version, limit: pageSize, cursor }),
    queryFn: ({ signal }) => listRecordsOrThrow({ entityId: entity.id, limit: pageSize, cursor, signal }),
    placeholderData: keepPreviousData,
  });

  const nextCursor = page.isPlaceholderData ? null : (page.data?.nextCursor ?? null);
  const goNext = useCallback(() => {
    if (nextCursor !== null) setCursors((stack) => [...stack, nextCursor]);
  }, [nextCursor]);
  const goPrevious = useCallback(() => setCursors((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack)), []);

  return { page, pageNumber: cursors.length, hasNext: nextCursor !== null, hasPrevious: cursors.length > 1, goNext, goPrevious };
}

export function useRecord({ entity, recordId }: { entity: Entity; recordId: Id }) {
  return useQuery({
    queryKey: queryKeys.record({ entityId: entity.id, version: entity.version, recordId }),
    queryFn: ({ signal }) => getRecordOrThrow({ entityId: entity.id, recordId, signal }),
  });
}
