import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import {
  createAppOrThrow,
  deleteAppOrThrow,
  getAppOrThrow,
  getEntityOrThrow,
  getNavigationOrThrow,
  listAppsOrThrow,
  listEntitiesOrThrow,
  listTrashOrThrow,
  reorderAppsOrThrow,
  purgeAppOrThrow,
  restoreAppOrThrow,
  saveNavigationOrThrow,
  updateAppOrThrow,
  updateEntityOrThrow,
  type App,
  type AppChange,
  type AppInput,
  type EntitySettings,
  type Id,
  type Navigation,
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
    mutationFn: ({ appId, ...body }: { appId: Id } & AppChange) => updateAppOrThrow(appId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apps() }),
  });
}

export function useDeleteApp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (appId: Id) => deleteAppOrThrow(appId),
    onSuccess: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.apps() }), queryClient.invalidateQueries({ queryKey: queryKeys.trash() })]),
  });
}

/** Saves a new order of the workspace home; the list shows it at once and goes back if the server refuses. */
export function useReorderApps() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (apps: App[]) => reorderAppsOrThrow(apps.map((a) => a.id)),
    onMutate: async (apps: App[]) => {
      await queryClient.cancelQueries({ queryKey: queryKeys.apps() });
      const before = queryClient.getQueryData<App[]>(queryKeys.apps());
      queryClient.setQueryData(queryKeys.apps(), apps);
      return { before };
    },
    onError: (_error, _apps, context) => queryClient.setQueryData(queryKeys.apps(), context?.before),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.apps() }),
  });
}

export function useTrash(enabled: boolean) {
  return useQuery({ queryKey: queryKeys.trash(), queryFn: ({ signal }) => listTrashOrThrow(signal), enabled });
}

export function useRestoreApp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (appId: Id) => restoreAppOrThrow(appId),
    onSuccess: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.apps() }), queryClient.invalidateQueries({ queryKey: queryKeys.trash() })]),
  });
}

/** The app's menu (groups of entities), as the sidebar and the navigation editor show it. */
export function useNavigation(appId: Id) {
  return useQuery({ queryKey: queryKeys.navigation(appId), queryFn: ({ signal }) => getNavigationOrThrow(appId, signal) });
}

export function useSaveNavigation(appId: Id) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (navigation: Navigation) => saveNavigationOrThrow(appId, navigation),
    onSuccess: (saved) => queryClient.setQueryData(queryKeys.navigation(appId), saved),
  });
}

export function useUpdateEntity(entityId: Id) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: EntitySettings) => updateEntityOrThrow(entityId, body),
    onSuccess: (entity) => {
      queryClient.setQueryData(queryKeys.entity(entityId), entity);
      return queryClient.invalidateQueries({ queryKey: queryKeys.entities(entity.appId) });
    },
  });
}

export function usePurgeApp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ appId, key }: { appId: Id; key: string }) => purgeAppOrThrow(appId, key),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.trash() }),
  });
}
