import type { FieldDefinition } from '@crm/schema';
import { apiRequestOrThrow } from '../../../api/client';

export type Id = number | string;

export interface App {
  id: Id;
  key: string;
  name: string;
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

export async function listAppsOrThrow(signal?: AbortSignal): Promise<App[]> {
  return (await apiRequestOrThrow<ItemList<App>>('/apps', { signal })).items;
}

export async function listEntitiesOrThrow(appId: Id, signal?: AbortSignal): Promise<Entity[]> {
  return (await apiRequestOrThrow<ItemList<Entity>>(`/apps/${encodeURIComponent(appId)}/entities`, { signal })).items;
}

export function getEntityOrThrow(entityId: Id, signal?: AbortSignal): Promise<Entity> {
  return apiRequestOrThrow<Entity>(`/entities/${encodeURIComponent(entityId)}`, { signal });
}
