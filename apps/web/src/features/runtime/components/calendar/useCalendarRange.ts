import type { Dayjs } from 'dayjs';
import { useEffect, useMemo } from 'react';
import { queryKeys } from '../../../../api/query-keys';
import type { Entity, Field } from '../../../apps/api/apps.api';
import { useRecordList } from '../../hooks/records.queries';
import type { ListParams, RecordRow } from '../../records.api';
import { type CalendarFieldType, dayKeyOf, rangeFilter } from './calendar-range';

const PAGE = 200;
/** At most this many pages of a range are read (1 000 events); more is said, never silently cut. */
const MAX_PAGES = 5;

/** The records of the visible days (the view's filter AND the range), by local day. */
export function useCalendarRange({ entity, field, filter, days }: { entity: Entity; field: Field | undefined; filter: unknown; days: Dayjs[] }) {
  const type = (field?.type ?? 'date') as CalendarFieldType;
  const params = useMemo<ListParams>(() => {
    const range = field ? rangeFilter({ field: field.key, type, days }) : null;
    return { filter: filter ? { and: [filter, range] } : range, sort: field?.key ?? 'id' };
  }, [filter, field, type, days]);
  const { query, rows } = useRecordList({ entity, params, limit: PAGE, enabled: !!field });
  const pages = query.data?.pages.length ?? 0;
  useEffect(() => {
    if (query.hasNextPage && !query.isFetchingNextPage && pages < MAX_PAGES) void query.fetchNextPage();
  }, [query, pages]);
  const byDay = useMemo(() => {
    const m = new Map<string, RecordRow[]>();
    for (const r of rows) {
      const k = field ? dayKeyOf({ type, value: r[field.key] }) : null;
      if (k) m.set(k, [...(m.get(k) ?? []), r]);
    }
    return m;
  }, [rows, field, type]);
  const listKey = queryKeys.recordList({ entityId: entity.id, version: entity.version, params, limit: PAGE });
  return { query, rows, byDay, listKey, type, truncated: query.hasNextPage && pages >= MAX_PAGES };
}
