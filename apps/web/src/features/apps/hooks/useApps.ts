import { useResource } from '../../../api/useResource';
import { listAppsOrThrow } from '../api/apps.api';

export function useApps() {
  return useResource('apps', listAppsOrThrow);
}
