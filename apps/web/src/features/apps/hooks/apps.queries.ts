import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import {
  createAppOrThrow,
  deleteAppOrThrow,
  getAppOrThrow,
  getEntityOrThrow,
  listAppsOrThrow,
  listEntitiesOrThrow,
  updateAppOrThrow,
  type AppInput,
  type Id,
} from '../api/apps.api';

export function useApps() {
  return useQuery({ queryKey: queryKeys.apps(), queryFn: ({ signal }) => listAppsOrThrow(signal) });
}

export function useApp(appId: Id) {
  return useQuery({ queryKey: queryKeys.app(appId), queryFn: ({ signal }) => getAppOrThrow(appId, signal) });
}

export function useEntities(appId: Id) {
  return useQuery({ queryKey: queryKeys.entities(appId), queryFn: ({ signal }) => listEntitiesOrThrow(appId, signal) });
}

/** One entity's definition; short-lived so a published change (a new `version`) is picked up soon. */
export function useEntity(entityId: Id) {
  return useQuery({ queryKey: queryKeys.entity(entityId), queryFn: ({ signal }) => getEntityOrThrow(entityId, signal), staleTime: 5_000 });
}

export function useCreateApp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AppInput) => createAppOrThrow(body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apps() }),
  });
}

export function useUpdateApp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ appId, ...body }: { appId: Id; name?: string; description?: string }) => updateAppOrThrow(appId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apps() }),
  });
}

export function useDeleteApp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (appId: Id) => deleteAppOrThrow(appId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apps() }),
  });
}
