import { useQuery } from '@tanstack/react-query';
import { api, callOrThrow, type Schema } from '../../../api/client';
import { queryKeys } from '../../../api/query-keys';
import type { Entity } from '../../apps/api/apps.api';

export type MyAccess = Schema<'MyAccess'>;
export type AccessAction = keyof MyAccess['actions'];

/**
 * What the member may do with the entity's records (GET /api/entities/:id/my-access), so a view
 * shows only the actions the server would allow. `can` is false until the answer is in: an action
 * appears once it is known to be allowed, never flashes and disappears. A row scope can still
 * narrow an allowed action to some records; the server decides per record.
 */
export function useMyAccess(entity: Pick<Entity, 'id'>) {
  const q = useQuery({
    queryKey: queryKeys.myAccess(entity.id),
    queryFn: ({ signal }) => callOrThrow(api.GET('/api/entities/{entityId}/my-access', { params: { path: { entityId: String(entity.id) } }, signal })),
    staleTime: 60_000,
  });
  return { query: q, can: (action: AccessAction) => q.data?.actions[action] ?? false };
}
