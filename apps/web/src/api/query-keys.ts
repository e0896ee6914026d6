import type { Id } from '../features/apps/api/apps.api';

/**
 * Every react-query key in one place. Keys of data shaped by an entity's definition carry the
 * entity's metadata `version`, so a published change is a new key and shows at once instead of
 * mixing old columns with new data.
 */
export const queryKeys = {
  session: () => ['session'] as const,
  apps: () => ['apps'] as const,
  app: (appId: Id) => ['apps', String(appId)] as const,
  entities: (appId: Id) => ['apps', String(appId), 'entities'] as const,
  entity: (entityId: Id) => ['entities', String(entityId)] as const,
  org: () => ['org'] as const,
  members: () => ['org', 'members'] as const,
  departments: () => ['org', 'departments'] as const,
  roles: () => ['org', 'roles'] as const,
  appAdmins: (appId: Id) => ['org', 'app-admins', String(appId)] as const,
  tokens: (userId: string) => ['org', 'tokens', userId] as const,
  permissionGroups: (entityId: Id) => ['entities', String(entityId), 'permission-groups'] as const,
  accessPreview: (entityId: Id, memberId: string) => ['entities', String(entityId), 'access-preview', memberId] as const,
  audit: (filters: Record<string, string | undefined>) => ['audit', filters] as const,
  records: (args: { entityId: Id; version: number; limit: number; cursor: string | null }) =>
    ['entities', String(args.entityId), 'v', args.version, 'records', args.limit, args.cursor] as const,
  record: (args: { entityId: Id; version: number; recordId: Id }) =>
    ['entities', String(args.entityId), 'v', args.version, 'record', String(args.recordId)] as const,
  importSession: (id: string) => ['imports', id] as const,
};
