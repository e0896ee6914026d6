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
  trash: () => ['trash', 'apps'] as const,
  navigation: (appId: Id) => ['apps', String(appId), 'navigation'] as const,
  publicLink: (entityId: Id) => ['entities', String(entityId), 'public-link'] as const,
  entities: (appId: Id) => ['apps', String(appId), 'entities'] as const,
  entity: (entityId: Id) => ['entities', String(entityId)] as const,
  org: () => ['org'] as const,
  members: () => ['org', 'members'] as const,
  departments: () => ['org', 'departments'] as const,
  roles: () => ['org', 'roles'] as const,
  appAdmins: (appId: Id) => ['org', 'app-admins', String(appId)] as const,
  tokens: (userId: string) => ['org', 'tokens', userId] as const,
  permissionGroups: (entityId: Id) => ['entities', String(entityId), 'permission-groups'] as const,
  /** The caller's own actions on an entity's records. */
  myAccess: (entityId: Id) => ['entities', String(entityId), 'my-access'] as const,
  accessPreview: (entityId: Id, memberId: string) => ['entities', String(entityId), 'access-preview', memberId] as const,
  audit: (filters: Record<string, string | undefined>) => ['audit', filters] as const,
  records: (args: { entityId: Id; version: number; limit: number; cursor: string | null }) =>
    ['entities', String(args.entityId), 'v', args.version, 'records', args.limit, args.cursor] as const,
  /** Every list of an entity (any page, filter or sort): what a write invalidates. */
  recordLists: (entityId: Id) => ['entities', String(entityId), 'v'] as const,
  recordList: (args: { entityId: Id; version: number; params: unknown; limit: number }) =>
    ['entities', String(args.entityId), 'v', args.version, 'list', args.params, args.limit] as const,
  recordGroups: (args: { entityId: Id; version: number; field: string; sum: string | null; filter: unknown }) =>
    ['entities', String(args.entityId), 'v', args.version, 'groups', args.field, args.sum, args.filter] as const,
  /** The recycle bin of an entity: under recordLists, so every write reads it again. */
  recycleBin: (args: { entityId: Id; version: number }) => ['entities', String(args.entityId), 'v', args.version, 'bin'] as const,
  search: (appId: Id, q: string) => ['apps', String(appId), 'search', q] as const,
  views: (entityId: Id) => ['entities', String(entityId), 'views'] as const,
  record: (args: { entityId: Id; version: number; recordId: Id }) =>
    ['entities', String(args.entityId), 'v', args.version, 'record', String(args.recordId)] as const,
  /** Under the entity's lists: a write that invalidates them reads the history again too. */
  recordHistory: (entityId: Id, recordId: Id) => ['entities', String(entityId), 'v', 'history', String(recordId)] as const,
  recordComments: (entityId: Id, recordId: Id) => ['entities', String(entityId), 'comments', String(recordId)] as const,
  relatedList: (entityId: Id, recordId: Id, source: Id, field: string) =>
    ['entities', String(entityId), 'v', 'related', String(recordId), String(source), field] as const,
  memberForm: (entityId: Id, version: number, locale: string) => ['entities', String(entityId), 'v', version, 'member-form', locale] as const,
  entityWorkflows: (entityId: Id) => ['entities', String(entityId), 'workflows'] as const,
  workflow: (workflowId: Id) => ['workflows', String(workflowId)] as const,
  workflowVersion: (workflowId: Id, version: number) => ['workflows', String(workflowId), 'versions', version] as const,
  /** Everything a workflow decision can change: the inbox lists and counts, tasks, instances, notifications. */
  inbox: () => ['inbox'] as const,
  inboxList: (box: string, filters: Record<string, string | undefined>) => ['inbox', 'list', box, filters] as const,
  inboxCounts: () => ['inbox', 'counts'] as const,
  task: (taskId: string) => ['inbox', 'task', taskId] as const,
  instance: (instanceId: string) => ['inbox', 'instance', instanceId] as const,
  notifications: () => ['inbox', 'notifications'] as const,
  importSession: (id: string) => ['imports', id] as const,
  exportJob: (id: string) => ['exports', id] as const,
};
