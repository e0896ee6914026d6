import { apiRequestOrThrow } from '../../api/client';
import type { Id } from '../apps/api/apps.api';

export type ViewKind = 'table' | 'kanban' | 'calendar';

/** What a saved view remembers (docs/api.md, Saved views). */
export interface ViewConfig {
  columns?: { key: string; width?: number }[];
  sort?: string;
  filter?: unknown;
  search?: string;
  groupBy?: string | null;
  kanban?: { field: string; sumField?: string | null };
  calendar?: { field: string; mode?: 'month' | 'week' };
}

export interface SavedView {
  id: string;
  entityId: string;
  name: string;
  kind: ViewKind;
  shared: boolean;
  ownerId: string | null;
  position: number;
  config: ViewConfig;
}

export async function listViewsOrThrow(entityId: Id, signal?: AbortSignal): Promise<SavedView[]> {
  return (await apiRequestOrThrow<{ items: SavedView[] }>(`/entities/${encodeURIComponent(entityId)}/views`, { signal })).items;
}

export function createViewOrThrow(entityId: Id, body: { name: string; kind: ViewKind; config: ViewConfig; shared?: boolean }): Promise<SavedView> {
  return apiRequestOrThrow<SavedView>(`/entities/${encodeURIComponent(entityId)}/views`, { method: 'POST', body });
}

export function updateViewOrThrow(viewId: string, body: { name?: string; config?: ViewConfig }): Promise<SavedView> {
  return apiRequestOrThrow<SavedView>(`/views/${encodeURIComponent(viewId)}`, { method: 'PATCH', body });
}

export function deleteViewOrThrow(viewId: string): Promise<void> {
  return apiRequestOrThrow<void>(`/views/${encodeURIComponent(viewId)}`, { method: 'DELETE' });
}
