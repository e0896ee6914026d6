import { api, callOrThrow } from '../../api/client';
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

type Body = { name?: string; kind?: ViewKind; config?: ViewConfig; shared?: boolean };
// The document types `config.filter` as an open object; a view's filter is any json-logic condition.
const wire = (b: Body) => b as Omit<Body, 'config'> & { config?: Record<string, unknown> };

export async function listViewsOrThrow(entityId: Id, signal?: AbortSignal): Promise<SavedView[]> {
  const { items } = await callOrThrow(api.GET('/api/entities/{entityId}/views', { params: { path: { entityId: String(entityId) } }, signal }));
  return items as SavedView[];
}

export async function createViewOrThrow(entityId: Id, body: { name: string; kind: ViewKind; config: ViewConfig; shared?: boolean }): Promise<SavedView> {
  return (await callOrThrow(
    api.POST('/api/entities/{entityId}/views', { params: { path: { entityId: String(entityId) } }, body: wire(body) as never }),
  )) as SavedView;
}

export async function updateViewOrThrow(viewId: string, body: { name?: string; config?: ViewConfig }): Promise<SavedView> {
  return (await callOrThrow(api.PATCH('/api/views/{viewId}', { params: { path: { viewId } }, body: wire(body) as never }))) as SavedView;
}

export async function deleteViewOrThrow(viewId: string): Promise<void> {
  await callOrThrow(api.DELETE('/api/views/{viewId}', { params: { path: { viewId } } }));
}
