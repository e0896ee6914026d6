import { api, ApiError, callOrThrow, type Schema } from '../../../api/client';
import type { Id } from '../../apps/api/apps.api';

/** The form's public fill-in link (外链); `token` and `url` only in the answers to create and rotate. */
export type PublicLink = Schema<'PublicLink'>;
export type PublicLinkInput = Schema<'PublicLinkInput'>;

const at = (entityId: Id) => ({ params: { path: { entityId } } });

/** The link, or null when the form has none yet. */
export async function getPublicLinkOrThrow(entityId: Id, signal?: AbortSignal): Promise<PublicLink | null> {
  try {
    return await callOrThrow(api.GET('/api/entities/{entityId}/form/public-link', { ...at(entityId), signal }));
  } catch (error) {
    if (error instanceof ApiError && error.code === 'PUBLIC_LINK_NOT_FOUND') return null;
    throw error;
  }
}

export function createPublicLinkOrThrow(entityId: Id, body: PublicLinkInput): Promise<PublicLink> {
  return callOrThrow(api.POST('/api/entities/{entityId}/form/public-link', { ...at(entityId), body }));
}

export function rotatePublicLinkOrThrow(entityId: Id): Promise<PublicLink> {
  return callOrThrow(api.POST('/api/entities/{entityId}/form/public-link/rotate', at(entityId)));
}

export function updatePublicLinkOrThrow(entityId: Id, body: PublicLinkInput): Promise<PublicLink> {
  return callOrThrow(api.PATCH('/api/entities/{entityId}/form/public-link', { ...at(entityId), body }));
}
