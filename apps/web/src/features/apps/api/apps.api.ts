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
export type AppChange = operations['appsUpdate']['requestBody']['content']['application/json'];
export type Navigation = Schema<'Navigation'>;
export type NavGroup = Navigation['groups'][number];
export type EntitySettings = operations['entitiesUpdate']['requestBody']['content']['application/json'];

export async function listAppsOrThrow(signal?: AbortSignal): Promise<App[]> {
  return (await callOrThrow(api.GET('/api/apps', { signal }))).items;
}

export function createAppOrThrow(body: AppInput): Promise<App> {
  return callOrThrow(api.POST('/api/apps', { body }));
}

export function updateAppOrThrow(appId: Id, body: AppChange): Promise<App> {
  return callOrThrow(api.PATCH('/api/apps/{appId}', { params: { path: { appId } }, body }));
}

export async function deleteAppOrThrow(appId: Id): Promise<void> {
  await callOrThrow(api.DELETE('/api/apps/{appId}', { params: { path: { appId } } }));
}

/** The workspace home's order: every app id once. */
export async function reorderAppsOrThrow(appIds: Id[]): Promise<App[]> {
  return (await callOrThrow(api.PUT('/api/apps/order', { body: { appIds } }))).items;
}

export async function listTrashOrThrow(signal?: AbortSignal): Promise<App[]> {
  return (await callOrThrow(api.GET('/api/trash/apps', { signal }))).items;
}

/** Deletes an app in the trash forever (its entities' records and tables); `key` confirms it. */
export async function purgeAppOrThrow(appId: Id, key: string): Promise<void> {
  await callOrThrow(api.POST('/api/trash/apps/{appId}/purge', { params: { path: { appId } }, body: { key } }));
}

export function restoreAppOrThrow(appId: Id): Promise<App> {
  return callOrThrow(api.POST('/api/trash/apps/{appId}/restore', { params: { path: { appId } } }));
}

export function getNavigationOrThrow(appId: Id, signal?: AbortSignal): Promise<Navigation> {
  return callOrThrow(api.GET('/api/apps/{appId}/navigation', { params: { path: { appId } }, signal }));
}

export function saveNavigationOrThrow(appId: Id, body: Navigation): Promise<Navigation> {
  return callOrThrow(api.PUT('/api/apps/{appId}/navigation', { params: { path: { appId } }, body }));
}

export async function updateEntityOrThrow(entityId: Id, body: EntitySettings): Promise<Entity> {
  return (await callOrThrow(api.PATCH('/api/entities/{entityId}', { params: { path: { entityId } }, body }))) as Entity;
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
