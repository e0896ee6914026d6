import { useCallback, useState } from 'react';
import { useResource } from '../../../api/useResource';
import type { Id } from '../../apps/api/apps.api';
import { listRecordsOrThrow } from '../api/records.api';

/**
 * Cursor pagination with a way back: the API only hands out `nextCursor`, so the cursors of the
 * pages already seen are kept on a stack (null = first page).
 */
export function useRecordPages({ entityId, pageSize }: { entityId: Id; pageSize: number }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useResource(
    `entities/${entityId}/records?limit=${pageSize}&cursor=${cursor ?? ''}`,
    (signal) => listRecordsOrThrow({ entityId, limit: pageSize, cursor, signal }),
    { keepPreviousData: true },
  );

  const nextCursor = page.loading ? null : (page.data?.nextCursor ?? null);
  const goNext = useCallback(() => {
    if (nextCursor !== null) setCursors((stack) => [...stack, nextCursor]);
  }, [nextCursor]);
  const goPrevious = useCallback(() => setCursors((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack)), []);

  return {
    page,
    pageNumber: cursors.length,
    hasNext: nextCursor !== null,
    hasPrevious: cursors.length > 1,
    goNext,
    goPrevious,
  };
}
