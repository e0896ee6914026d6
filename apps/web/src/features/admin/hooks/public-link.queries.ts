import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import type { Id } from '../../apps/api/apps.api';
import {
  createPublicLinkOrThrow,
  getPublicLinkOrThrow,
  type PublicLink,
  type PublicLinkInput,
  rotatePublicLinkOrThrow,
  updatePublicLinkOrThrow,
} from '../api/public-link.api';

export function usePublicLink(entityId: Id) {
  return useQuery({ queryKey: queryKeys.publicLink(entityId), queryFn: ({ signal }) => getPublicLinkOrThrow(entityId, signal) });
}

/** Create, rotate or change the link; the cache keeps the answer (with the one-time URL when there is one). */
export function usePublicLinkAction(entityId: Id) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: { kind: 'create'; body: PublicLinkInput } | { kind: 'rotate' } | { kind: 'update'; body: PublicLinkInput }): Promise<PublicLink> =>
      action.kind === 'create'
        ? createPublicLinkOrThrow(entityId, action.body)
        : action.kind === 'rotate'
          ? rotatePublicLinkOrThrow(entityId)
          : updatePublicLinkOrThrow(entityId, action.body),
    onSuccess: (link) => queryClient.setQueryData(queryKeys.publicLink(entityId), link),
  });
}
