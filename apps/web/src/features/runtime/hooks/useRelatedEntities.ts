import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { queryKeys } from '../../../api/query-keys';
import { getEntityOrThrow, type Entity } from '../../apps/api/apps.api';

/** The entities the relations of `entity` point at, by id (for display fields and related-field filters). */
export function useRelatedEntities(entity: Entity): Map<string, Entity> {
  const ids = useMemo(() => [...new Set(entity.fields.filter((f) => f.type === 'relation').map((f) => String(f.settings.targetEntityId)))], [entity.fields]);
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: queryKeys.entity(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => getEntityOrThrow(id, signal),
      staleTime: 5_000,
    })),
  });
  // A new map only when an entity (or its version) changed, so tables do not rebuild their columns each render.
  const signature = results.map((r) => (r.data ? `${r.data.id}:${r.data.version}` : '')).join(',');
  const data = results.map((r) => r.data);
  return useMemo(() => {
    const out = new Map<string, Entity>();
    for (const e of data) if (e) out.set(String(e.id), e);
    return out;
  }, [signature]);
}
