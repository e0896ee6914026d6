import { type Action, type CompiledAccess, compileAccess, groupsForSubject, type PermissionGroup, type ScopeTerm, substituteVariables } from '@crm/access';
import { compileFilterOrThrow, conditionFieldKeys, type ResolveField } from '@crm/rules';
import { SYSTEM_FIELDS } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { BoundedCache } from '../../common/bounded-cache';
import { AppError, notFound } from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import { DepartmentsService } from '../org/departments.service';
import { type Membership, OrgRepository } from '../org/org.repository';
import { AccessRepository, type SqlFragment, scopeSql } from './access.repository';

const ACTION_WORDS: Record<Action, string> = {
  view: 'view',
  create: 'create',
  edit: 'edit',
  delete: 'delete',
  import: 'import',
  export: 'export',
  bulk_edit: 'bulk edit',
  print: 'print',
  view_all_instances: 'view all workflow instances of',
  manage_instances: 'manage workflow instances of',
};

/** Keys a client may never write: the server owns them (mass-assignment guard). */
export const SERVER_OWNED_KEYS = new Set([
  'id',
  'version',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'deletedAt',
  'deletedBy',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'deleted_at',
  'deleted_by',
  'owner',
  'owner_id',
  'workspace',
  'workspaceId',
  'workspace_id',
  'expand',
  'formVersion',
  'form_version',
]);

/**
 * What access needs of an entity: access sits below the metadata engine, so it declares this
 * shape and the entities module's CompiledEntity satisfies it.
 */
export interface AccessEntity {
  meta: { id: string; appId: string; name: string; version: number; fields: readonly { key: string }[] };
  byKey: ReadonlyMap<string, unknown>;
  resolveField: ResolveField;
}

/**
 * What one member may do to one entity, at one metadata and ACL version: the single place
 * every read and write path asks. Cached by (member, entity, entity version, ACL version),
 * so a permission change takes effect on the next request on every node.
 */
export class EntityAccess<E extends AccessEntity = AccessEntity> {
  constructor(
    readonly entity: E,
    readonly access: CompiledAccess,
    private readonly ctx: { userId: string; departmentIds: string[]; departmentTree: string[] },
    private readonly dialect: 'mysql' | 'sqlite',
  ) {}

  get isAdmin(): boolean {
    return this.access.isAdmin;
  }

  can(action: Action): boolean {
    return this.access.can(action);
  }

  requireOrThrow(action: Action): void {
    if (!this.access.can(action)) throw new AppError('FORBIDDEN', `You may not ${ACTION_WORDS[action]} records of ${this.entity.meta.name}`, { action });
  }

  /** The WHERE fragment (alias r) limiting rows for the action; null when every row is in scope. */
  scopeSqlOrThrow(action: Action, now = new Date()): SqlFragment | null {
    this.requireOrThrow(action);
    const scope = this.access.scope(action);
    if (scope === 'all') return null;
    return scopeSql.anyOf((scope ?? []).map((term) => this.termSql(term, now)));
  }

  private termSql(term: ScopeTerm, now: Date): SqlFragment {
    if (term.kind === 'own') return scopeSql.ownedBy(this.ctx.userId);
    if (term.kind === 'department') return scopeSql.ownedInDepartments(this.ctx.departmentTree);
    const filter = substituteVariables({
      condition: term.condition,
      values: { $user: this.ctx.userId, $user_departments: this.ctx.departmentIds, $today: now.toISOString().slice(0, 10), $now: now.toISOString() },
    });
    return compileFilterOrThrow({ filter, resolveField: this.entity.resolveField, dialect: this.dialect, now });
  }

  readable(key: string): boolean {
    return this.access.readable === 'all' || this.access.readable.has(key) || (SYSTEM_FIELDS as readonly string[]).includes(key);
  }

  /** Filters, sorts and expansions may only name fields the member can see (or they would leak them). */
  assertReadableOrThrow(keys: string[], what: string): void {
    const hidden = [...new Set(keys)].filter((k) => this.entity.byKey.has(k) && !this.readable(k));
    if (hidden.length) throw new AppError('FIELD_NOT_READABLE', `You may not ${what} by ${hidden.map((k) => `"${k}"`).join(', ')}`, { fields: hidden });
  }

  assertFilterReadableOrThrow(filter: unknown): void {
    if (filter !== null && filter !== undefined) this.assertReadableOrThrow(conditionFieldKeys(filter), 'filter');
  }

  /**
   * Writes whitelist fields: server-owned keys and fields not editable for the member are refused, named.
   * Several bodies (bulk import) are checked at once, each with its path prefix (`/records/3`).
   */
  assertWritableOrThrow(action: Action, body: Record<string, unknown> | { body: Record<string, unknown>; prefix: string }[], allowOwner: boolean): void {
    const w = this.access.writable(action);
    const errors: { path: string; code: string; message: string }[] = [];
    const refused = new Set<string>();
    for (const { body: b, prefix } of Array.isArray(body) ? body : [{ body, prefix: '' }]) {
      // for…in over the own keys: no key array per record (a bulk write checks thousands).
      for (const k in b) {
        if (!Object.prototype.hasOwnProperty.call(b, k)) continue;
        const no = k === 'ownerId' ? !allowOwner : SERVER_OWNED_KEYS.has(k) || (w !== 'all' && this.entity.byKey.has(k) && !w.has(k));
        if (!no) continue;
        refused.add(k);
        errors.push({ path: `${prefix}/${k}`, code: 'not_writable', message: `${k} cannot be written` });
      }
    }
    if (refused.size) {
      throw new AppError('FIELD_NOT_WRITABLE', `You may not write ${[...refused].map((k) => `"${k}"`).join(', ')}`, {
        fields: [...refused],
        errors: errors.slice(0, 200),
      });
    }
  }

  /** Removes fields the member may not read (also inside expansions, which the caller projects with the target's access). */
  project<T extends Record<string, unknown>>(record: T): T {
    if (this.access.readable === 'all') return record;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) if (!this.entity.byKey.has(k) || this.readable(k)) out[k] = v;
    return out as T;
  }

  /** Fields shown in the entity's definition to this member: readable or writable on create. */
  visibleFieldKeys(): Set<string> | 'all' {
    if (this.access.readable === 'all') return 'all';
    const w = this.access.writable('create');
    return new Set([...this.access.readable, ...(w === 'all' ? this.entity.meta.fields.map((f) => f.key) : w)]);
  }
}

@Injectable()
export class AccessService {
  private readonly memberships = new BoundedCache<string, Membership>(5000);
  private readonly groups = new BoundedCache<string, PermissionGroup[]>(2000);
  private readonly compiled = new BoundedCache<string, EntityAccess>(10000);
  private readonly workspaceGroups = new BoundedCache<string, { entityId: string; appId: string; group: PermissionGroup }[]>(200);

  constructor(
    private readonly repo: AccessRepository,
    private readonly org: OrgRepository,
    private readonly departments: DepartmentsService,
  ) {}

  /** The member's access to an entity; an API token narrowed to other apps sees no such entity. */
  async forEntity<E extends AccessEntity>(ctx: RequestContext, c: E): Promise<EntityAccess<E>> {
    const a = ctx.actor;
    if (a.appIds && !a.appIds.includes(c.meta.appId)) throw notFound('ENTITY_NOT_FOUND', `Entity ${c.meta.id}`);
    const key = `${a.userId}:${c.meta.id}:${c.meta.version}:${a.aclVersion}`;
    const hit = this.compiled.get(key);
    if (hit && hit.entity === c) return hit as EntityAccess<E>;
    const m = await this.membershipOf(a.workspaceId, a.userId, a.aclVersion);
    const groups = await this.groupsOf(c.meta.id, a.aclVersion);
    const isAdmin = a.isAdmin || m.adminAppIds.includes(c.meta.appId);
    const access = compileAccess({
      groups,
      subject: { userId: a.userId, departmentIds: m.departmentIds, roleIds: m.roleIds, isAdmin },
      fieldKeys: c.meta.fields.map((f) => f.key),
    });
    const tree = await this.departments.descendantsOf(a.workspaceId, m.departmentIds, a.aclVersion);
    const built = new EntityAccess(c, access, { userId: a.userId, departmentIds: m.departmentIds, departmentTree: tree }, this.repo.dialect);
    this.compiled.set(key, built);
    return built;
  }

  /**
   * The member's access to an entity they may see: an entity where no group of theirs grants
   * view or create (and they administer nothing) answers 404 like one that does not exist, on
   * every route, so its existence and name never leak through a 403.
   */
  async forVisibleEntityOrThrow<E extends AccessEntity>(ctx: RequestContext, c: E): Promise<EntityAccess<E>> {
    const acc = await this.forEntity(ctx, c);
    if (!acc.isAdmin && !acc.can('view') && !acc.can('create')) throw notFound('ENTITY_NOT_FOUND', `Entity ${c.meta.id}`);
    return acc;
  }

  /**
   * The member's access to an entity whose records they may read (an admin of its app, or a
   * group granting view), or null: what a design-time reference to another entity (a relation
   * target, a rollup source, a data linkage) and a linkage lookup at run time are checked with.
   */
  async viewerAccessOrNull<E extends AccessEntity>(ctx: RequestContext, c: E): Promise<EntityAccess<E> | null> {
    let acc: EntityAccess<E>;
    try {
      acc = await this.forEntity(ctx, c);
    } catch (err) {
      if (err instanceof AppError && err.code === 'ENTITY_NOT_FOUND') return null;
      throw err;
    }
    return acc.isAdmin || acc.can('view') ? acc : null;
  }

  /**
   * Entities the member can open at all (a group of theirs grants view or create), and the
   * apps they administer; null for workspace admins (everything). A token narrowed to apps
   * reaches only those: a workspace admin's narrowed token administers exactly its apps.
   */
  async reach(ctx: RequestContext): Promise<{ entityIds: Set<string>; appIds: Set<string>; adminAppIds: Set<string> } | null> {
    const a = ctx.actor;
    if (a.isAdmin && !a.appIds) return null;
    if (a.isAdmin) return { entityIds: new Set(), appIds: new Set(a.appIds), adminAppIds: new Set(a.appIds) };
    const key = `${a.workspaceId}:${a.aclVersion}`;
    let all = this.workspaceGroups.get(key);
    if (!all) this.workspaceGroups.set(key, (all = await this.repo.workspaceGroups(a.workspaceId)));
    const m = await this.membershipOf(a.workspaceId, a.userId, a.aclVersion);
    const subject = { userId: a.userId, departmentIds: m.departmentIds, roleIds: m.roleIds, isAdmin: false };
    const entityIds = new Set<string>();
    const appIds = new Set<string>();
    for (const { entityId, appId, group } of all) {
      if (a.appIds && !a.appIds.includes(appId)) continue;
      if ((group.actions.includes('view') || group.actions.includes('create')) && groupsForSubject({ groups: [group], subject }).length) {
        entityIds.add(entityId);
        appIds.add(appId);
      }
    }
    const adminAppIds = new Set(m.adminAppIds.filter((id) => !a.appIds || a.appIds.includes(id)));
    for (const id of adminAppIds) appIds.add(id);
    return { entityIds, appIds, adminAppIds };
  }

  /** Workspace admin, or admin of this app; a token narrowed to other apps is neither. */
  async isAppAdmin(ctx: RequestContext, appId: string): Promise<boolean> {
    if (ctx.actor.appIds && !ctx.actor.appIds.includes(appId)) return false;
    if (ctx.actor.isAdmin) return true;
    return (await this.membershipOf(ctx.actor.workspaceId, ctx.actor.userId, ctx.actor.aclVersion)).adminAppIds.includes(appId);
  }

  async requireAppAdminOrThrow(ctx: RequestContext, appId: string): Promise<void> {
    if (!(await this.isAppAdmin(ctx, appId))) throw new AppError('FORBIDDEN', 'Only workspace admins and admins of this app can change its design');
  }

  /**
   * Design changes to an entity: its app's admins only. Anyone else gets 403 when they can see
   * the entity and 404 when they cannot (its existence must not leak).
   */
  async requireDesignerOrThrow(ctx: RequestContext, entity: { id: string; appId: string }): Promise<void> {
    if (await this.isAppAdmin(ctx, entity.appId)) return;
    const reach = await this.reach(ctx);
    if (!reach?.entityIds.has(entity.id)) throw notFound('ENTITY_NOT_FOUND', `Entity ${entity.id}`);
    throw new AppError('FORBIDDEN', 'Only workspace admins and admins of this app can change its design');
  }

  /** Workspace-wide actions (creating or deleting an app): never through a token narrowed to apps. */
  requireWorkspaceAdminOrThrow(ctx: RequestContext): void {
    if (!ctx.actor.isAdmin) throw new AppError('FORBIDDEN', 'Only workspace admins can do this');
    if (ctx.actor.appIds) throw new AppError('FORBIDDEN', 'An API token narrowed to apps cannot do this');
  }

  async groupsOf(entityId: string, aclVersion: number): Promise<PermissionGroup[]> {
    return this.groups.getOrLoad(`${entityId}:${aclVersion}`, () => this.repo.groups(entityId));
  }

  private membershipOf(workspaceId: string, userId: string, aclVersion: number): Promise<Membership> {
    return this.memberships.getOrLoad(`${userId}:${aclVersion}`, () => this.org.membershipsOf(workspaceId, userId));
  }
}
