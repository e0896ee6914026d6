import { useResource } from '../../../api/useResource';
import { listEntitiesOrThrow, type Id } from '../api/apps.api';

/** Entities of one app; idle while no app is selected. */
export function useEntities(appId: Id | null) {
  return useResource(appId === null ? null : `apps/${appId}/entities`, (signal) => listEntitiesOrThrow(appId!, signal));
}
