import type { FieldDefinition } from '@crm/schema';
import type { operations } from '@crm/api-client';
import { api, callOrThrow, type Schema } from '../../../api/client';

export type Id = string;

export type App = Schema<'App'>;

/** A field as the API sends it; the schema package's definition types its `settings` per type. */
export type Field = FieldDefinition & { id: Id };

/** An entity with its fields typed by the schema package (the API documents settings as an open object). */
export type Entity = Omit<Schema<'Entity'>, 'fields' | 'removedFields'> & { fields: Field[]; removedFields: Field[] };

export type AppInput = operations['appsCreate']['requestBody']['content']['application/json'];

export async function listAppsOrThrow(signal?: AbortSignal): Promise<App[]> {
  return (await callOrThrow(api.GET('/api/apps', { signal }))).items;
}

export function createAppOrThrow(body: AppInput): Promise<App> {
  return callOrThrow(api.POST('/api/apps', { body }));
}

export function updateAppOrThrow(appId: Id, body: Partial<Omit<AppInput, 'key'>>): Promise<App> {
  return callOrThrow(api.PATCH('/api/apps/{appId}', { params: { path: { appId } }, body }));
}

export async function deleteAppOrThrow(appId: Id): Promise<void> {
  await callOrThrow(api.DELETE('/api/apps/{appId}', { params: { path: { appId } } }));
}

export function getAppOrThrow(appId: Id, signal?: AbortSignal): Promise<App> {
  return callOrThrow(api.GET('/api/apps/{appId}', { params: { path: { appId } }, signal }));
}

export async function listEntitiesOrThrow(appId: Id, signal?: AbortSignal): Promise<Entity[]> {
  const page = await callOrThrow(api.GET('/api/apps/{appId}/entities', { params: { path: { appId } }, signal }));
  return page.items as Entity[];
}

export async function getEntityOrThrow(entityId: Id, signal?: AbortSignal): Promise<Entity> {
  return (await callOrThrow(api.GET('/api/entities/{entityId}', { params: { path: { entityId } }, signal }))) as Entity;
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
