import { useResource } from '../../../api/useResource';
import { getEntityOrThrow, type Id } from '../api/apps.api';

export function useEntity(entityId: Id) {
  return useResource(`entities/${entityId}`, (signal) => getEntityOrThrow(entityId, signal));
}
