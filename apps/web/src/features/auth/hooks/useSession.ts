import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, onUnauthorized } from '../../../api/client';
import { queryKeys } from '../../../api/query-keys';
import { getSessionOrThrow, type Session } from '../api/auth.api';

/** GET /auth/me: the session, or null when signed out. Any later 401 anywhere signs the tab out. */
export function useSession() {
  const queryClient = useQueryClient();
  useEffect(() => onUnauthorized(() => queryClient.setQueryData(queryKeys.session(), null)), [queryClient]);
  return useQuery<Session | null>({
    queryKey: queryKeys.session(),
    queryFn: async ({ signal }) => {
      try {
        return await getSessionOrThrow(signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Infinity,
  });
}

/** The signed-in session inside the shell (the gate renders the shell only with one). */
export function useSignedInSession(): Session {
  const { data } = useSession();
  if (!data) throw new Error('useSignedInSession outside the signed-in shell');
  return data;
}
