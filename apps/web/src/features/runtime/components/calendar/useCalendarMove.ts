import type { InfiniteData, QueryKey } from '@tanstack/react-query';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../../api/query-keys';
import type { Entity } from '../../../apps/api/apps.api';
import { updateRecordOrThrow, type RecordPage, type RecordRow } from '../../records.api';

type Pages = InfiniteData<RecordPage, string | null>;

/**
 * Rescheduling writes the new date through the normal write path (PATCH with the version read).
 * The event moves at once in the cached range; a refused write puts the range back as it was and
 * hands the server's problem to `onRefused`.
 */
export function useCalendarMove({ entity, field, listKey, onRefused }: { entity: Entity; field: string; listKey: QueryKey; onRefused: (e: unknown) => void }) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ record, to }: { record: RecordRow; to: string }) =>
      updateRecordOrThrow({ entityId: entity.id, recordId: record.id, version: record.version, values: { [field]: to } }),
    onMutate: async ({ record, to }) => {
      await client.cancelQueries({ queryKey: listKey });
      const snapshot = client.getQueryData<Pages>(listKey);
      client.setQueryData<Pages>(
        listKey,
        (d) => d && { ...d, pages: d.pages.map((p) => ({ ...p, items: p.items.map((r) => (r.id === record.id ? { ...r, [field]: to } : r)) })) },
      );
      return { snapshot };
    },
    onError: (error, _vars, context) => {
      client.setQueryData(listKey, context?.snapshot);
      onRefused(error);
    },
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.recordLists(entity.id) }),
  });
}
