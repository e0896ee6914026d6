import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import { getImportOrThrow } from '../import.api';

/** An import session from the server; polled while its job is queued or running, so progress survives a reload. */
export function useImportSession(id: string | null) {
  return useQuery({
    queryKey: queryKeys.importSession(id ?? ''),
    queryFn: ({ signal }) => getImportOrThrow(id!, signal),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data && ['queued', 'running'].includes(q.state.data.status) ? 700 : false),
  });
}
