import type { FieldDefinition } from '@crm/schema';
import { apiRequestOrThrow } from '../../../api/client';

export type Id = number | string;

export interface App {
  id: Id;
  key: string;
  name: string;
  description: string | null;
  /** Icon name and colour, when the server has them (the shell API); the list falls back to defaults. */
  icon?: string | null;
  color?: string | null;
  createdAt: string;
  updatedAt: string;
}

export type Field = FieldDefinition & { id: Id };

export interface Entity {
  id: Id;
  appId: Id;
  key: string;
  name: string;
  version: number;
  displayField: string | null;
  fields: Field[];
  removedFields: Field[];
}

interface ItemList<T> {
  items: T[];
}

export interface AppInput {
  key: string;
  name: string;
  description?: string;
}

export async function listAppsOrThrow(signal?: AbortSignal): Promise<App[]> {
  return (await apiRequestOrThrow<ItemList<App>>('/apps', { signal })).items;
}

export function createAppOrThrow(body: AppInput): Promise<App> {
  return apiRequestOrThrow<App>('/apps', { method: 'POST', body });
}

export function updateAppOrThrow(appId: Id, body: Partial<Omit<AppInput, 'key'>>): Promise<App> {
  return apiRequestOrThrow<App>(`/apps/${encodeURIComponent(appId)}`, { method: 'PATCH', body });
}

export function deleteAppOrThrow(appId: Id): Promise<void> {
  return apiRequestOrThrow<void>(`/apps/${encodeURIComponent(appId)}`, { method: 'DELETE' });
}

export function getAppOrThrow(appId: Id, signal?: AbortSignal): Promise<App> {
  return apiRequestOrThrow<App>(`/apps/${encodeURIComponent(appId)}`, { signal });
}

export async function listEntitiesOrThrow(appId: Id, signal?: AbortSignal): Promise<Entity[]> {
  return (await apiRequestOrThrow<ItemList<Entity>>(`/apps/${encodeURIComponent(appId)}/entities`, { signal })).items;
}

export function getEntityOrThrow(entityId: Id, signal?: AbortSignal): Promise<Entity> {
  return apiRequestOrThrow<Entity>(`/entities/${encodeURIComponent(entityId)}`, { signal });
}

/** A key from a name: ASCII words joined by `_`; a name without any (Chinese) gets `app_` + a short random tail. */
export function keyFromName(name: string, prefix = 'app'): string {
  const ascii = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^[0-9_]+/, '')
    .slice(0, 40);
  return ascii || `${prefix}_${Math.random().toString(36).slice(2, 8)}`;
}
