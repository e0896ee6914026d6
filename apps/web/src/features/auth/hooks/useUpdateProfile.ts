import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import { updateProfileOrThrow } from '../api/auth.api';

/** PATCH /api/auth/me; the session in the cache takes the answer (name, language) at once. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateProfileOrThrow,
    onSuccess: (session) => queryClient.setQueryData(queryKeys.session(), session),
  });
}
