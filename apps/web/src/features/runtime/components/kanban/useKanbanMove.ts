import type { InfiniteData } from '@tanstack/react-query';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../../api/query-keys';
import type { Entity } from '../../../apps/api/apps.api';
import { updateRecordOrThrow, type ListParams, type RecordGroups, type RecordPage, type RecordRow } from '../../records.api';

export const KANBAN_PAGE = 30;

/** The list query of one column: the view's filter AND the column's value. */
export function columnParams(base: ListParams, field: string, value: string | null): ListParams {
  const own = value === null ? { is_empty: [{ var: field }] } : { '==': [{ var: field }, value] };
  return { ...base, filter: base.filter ? { and: [base.filter, own] } : own };
}

type Pages = InfiniteData<RecordPage, string | null>;

/**
 * Moving a card writes the new value through the normal write path (PATCH with the version read).
 * The card moves at once (both columns' cached pages and the counts); a refused write puts every
 * cache back as it was and hands the server's problem to `onRefused`.
 */
export function useKanbanMove({
  entity,
  base,
  field,
  sumField,
  onRefused,
}: {
  entity: Entity;
  base: ListParams;
  field: string;
  sumField: string | null;
  onRefused: (e: unknown) => void;
}) {
  const client = useQueryClient();
  const listKey = (value: string | null) =>
    queryKeys.recordList({ entityId: entity.id, version: entity.version, params: columnParams(base, field, value), limit: KANBAN_PAGE });
  const groupsKey = queryKeys.recordGroups({ entityId: entity.id, version: entity.version, field, sum: sumField, filter: base.filter ?? null });

  return useMutation({
    mutationFn: ({ record, to }: { record: RecordRow; from: string | null; to: string | null }) =>
      updateRecordOrThrow({ entityId: entity.id, recordId: record.id, version: record.version, values: { [field]: to } }),
    onMutate: async ({ record, from, to }) => {
      const keys = [listKey(from), listKey(to), groupsKey];
      await Promise.all(keys.map((queryKey) => client.cancelQueries({ queryKey })));
      const snapshot = keys.map((k) => [k, client.getQueryData(k)] as const);
      client.setQueryData<Pages>(listKey(from), (d) => d && { ...d, pages: d.pages.map((p) => ({ ...p, items: p.items.filter((r) => r.id !== record.id) })) });
      client.setQueryData<Pages>(listKey(to), (d) => {
        if (!d?.pages.length) return d;
        const [first, ...rest] = d.pages;
        return { ...d, pages: [{ ...first!, items: [{ ...record, [field]: to }, ...first!.items] }, ...rest] };
      });
      const amount = sumField ? Number(record[sumField] ?? 0) : 0;
      client.setQueryData<RecordGroups>(
        groupsKey,
        (g) =>
          g && {
            ...g,
            groups: g.groups.map((x) =>
              x.value === from
                ? { ...x, count: x.count - 1, ...(x.sum !== undefined ? { sum: x.sum - amount } : {}) }
                : x.value === to
                  ? { ...x, count: x.count + 1, ...(x.sum !== undefined ? { sum: x.sum + amount } : {}) }
                  : x,
            ),
          },
      );
      return { snapshot };
    },
    onError: (error, _vars, context) => {
      for (const [k, data] of context?.snapshot ?? []) client.setQueryData(k, data);
      onRefused(error);
    },
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.recordLists(entity.id) }),
  });
}
