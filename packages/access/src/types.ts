/** What a member may do to records of an entity. */
export const ACTIONS = ['view', 'create', 'edit', 'delete', 'import', 'export', 'bulk_edit', 'print', 'view_all_instances', 'manage_instances'] as const;
export type Action = (typeof ACTIONS)[number];

/** Which records a group's actions reach. Conditions are json-logic over the entity's fields. */
export type RowScope = { kind: 'all' } | { kind: 'own' } | { kind: 'department' } | { kind: 'condition'; condition: unknown };

export const PRESETS = ['submit_only', 'manage_own', 'view_all', 'manage_all'] as const;
export type Preset = (typeof PRESETS)[number];

export interface FieldRule {
  visible: boolean;
  editable: boolean;
}

/** A permission group (权限组) of one entity, as stored. */
export interface PermissionGroup {
  id: string;
  name: string;
  preset: Preset | null;
  members: string[];
  departments: string[];
  roles: string[];
  actions: Action[];
  rowScope: RowScope;
  /** Field key → rule; a field not listed is visible and editable. */
  fields: Record<string, FieldRule>;
}

/** Who asks: resolved by the server from the session or token. */
export interface Subject {
  userId: string;
  /** Departments the member belongs to directly. */
  departmentIds: string[];
  roleIds: string[];
  /** Workspace admin, or admin of the entity's app: everything, unscoped. */
  isAdmin: boolean;
}

/** One way a record can be in scope; several are OR-ed. */
export type ScopeTerm = { kind: 'own' } | { kind: 'department' } | { kind: 'condition'; condition: unknown };

/** null: not allowed at all; 'all': every record; otherwise any of the terms. */
export type Scope = null | 'all' | ScopeTerm[];
