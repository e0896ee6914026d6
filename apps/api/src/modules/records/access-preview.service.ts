import { ACTIONS, type Action, type FieldSet, groupsForSubject, type Scope } from '@crm/access';
import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import { AccessService } from '../access/access.service';
import { EntityRuntime } from '../entities/entity-runtime.service';
import { MembersService } from '../org/members.service';
import type { RecordDto } from './record-codec';
import { RecordsQueryService } from './records-query.service';

/** Which records one action reaches: none, every one, or any of the listed terms. */
export type ScopeDto =
  { kind: 'none' } | { kind: 'all' } | { kind: 'terms'; terms: ({ kind: 'own' } | { kind: 'department' } | { kind: 'condition'; condition: unknown })[] };

export interface AccessPreviewDto {
  member: { id: string; name: string; status: string; isAdmin: boolean };
  /** Workspace admin or admin of this app: everything, unscoped. */
  administers: boolean;
  /** The entity shows up for the member at all (a group grants view or create, or they administer it). */
  visible: boolean;
  /** The permission groups of this entity that apply to the member. */
  groups: { id: string; name: string }[];
  actions: { action: Action; allowed: boolean; scope: ScopeDto }[];
  /** Per field: readable, and editable when creating and when editing. */
  fields: { key: string; label: string; readable: boolean; editableOnCreate: boolean; editableOnEdit: boolean }[];
  /** The records the member would see (first page, their readable fields only) and how many, up to 10 000. */
  records: { items: RecordDto[]; count: number; capped: boolean } | null;
}

/** The caller's own actions on an entity (GET /api/entities/:id/my-access). */
export interface MyAccessDto {
  administers: boolean;
  actions: Record<Action, boolean>;
}

/** Actions a read-only API token never has. */
const READS: readonly Action[] = ['view', 'export', 'print', 'view_all_instances'];

const scopeDto = (scope: Scope): ScopeDto => (scope === null ? { kind: 'none' } : scope === 'all' ? { kind: 'all' } : { kind: 'terms', terms: scope });

/**
 * "View as member" (issue 10, organisation and permissions): what a member would see of an
 * entity and may change, computed by the very code that enforces it (AccessService and the
 * records read path, run with the member as the actor). App admins only.
 */
@Injectable()
export class AccessPreviewService {
  constructor(
    private readonly runtime: EntityRuntime,
    private readonly access: AccessService,
    private readonly members: MembersService,
    private readonly reads: RecordsQueryService,
  ) {}

  /** The caller's actions on the entity, by the same access the write and read paths enforce. */
  async mine(ctx: RequestContext, entityId: string): Promise<MyAccessDto> {
    const { acc } = await this.reads.entityAccess(ctx, entityId);
    const allowed = (a: Action) => (acc.isAdmin || acc.can(a)) && (!ctx.actor.readOnly || READS.includes(a));
    return { administers: acc.isAdmin, actions: Object.fromEntries(ACTIONS.map((a) => [a, allowed(a)])) as Record<Action, boolean> };
  }

  async preview(ctx: RequestContext, entityId: string, memberId: unknown, limit: unknown): Promise<AccessPreviewDto> {
    const c = await this.runtime.getOrThrow(ctx.actor.workspaceId, entityId);
    await this.access.requireDesignerOrThrow(ctx, c.meta);
    if (typeof memberId !== 'string' || !memberId) {
      throw new AppError('VALIDATION_FAILED', 'memberId is required', { errors: [{ path: '/memberId', code: 'required', message: 'memberId is required' }] });
    }
    const size = limit === undefined || limit === '' ? 20 : Number(limit);
    if (!Number.isInteger(size) || size < 1 || size > 100) throw new AppError('INVALID_REQUEST', 'limit must be a whole number from 1 to 100');
    const member = await this.members.getOrThrow(ctx, memberId);
    // The member as the actor: a signed-in session of theirs, all apps, not read-only.
    const as: RequestContext = {
      ...ctx,
      actor: {
        ...ctx.actor,
        kind: 'session',
        userId: member.id,
        name: member.name,
        email: member.email ?? '',
        isAdmin: member.isAdmin,
        sessionId: null,
        tokenId: null,
        appIds: null,
        readOnly: false,
      },
    };
    const acc = await this.access.forEntity(as, c);
    const visible = acc.isAdmin || acc.can('view') || acc.can('create');
    const subject = { userId: member.id, departmentIds: member.departments.map((d) => d.id), roleIds: member.roles.map((r) => r.id), isAdmin: false };
    const groups = groupsForSubject({ groups: await this.access.groupsOf(c.meta.id, ctx.actor.aclVersion), subject });
    const writableOn = (action: Action) => acc.access.writable(action);
    const create = acc.can('create') ? writableOn('create') : (new Set<string>() as FieldSet);
    const edit = acc.can('edit') ? writableOn('edit') : (new Set<string>() as FieldSet);
    const has = (set: FieldSet, key: string) => set === 'all' || set.has(key);
    const canView = acc.isAdmin || acc.can('view');
    return {
      member: { id: member.id, name: member.name, status: member.status, isAdmin: member.isAdmin },
      administers: acc.isAdmin,
      visible,
      groups: groups.map((g) => ({ id: g.id, name: g.name })),
      actions: ACTIONS.map((action) => ({
        action,
        allowed: acc.isAdmin || acc.can(action),
        scope: acc.isAdmin ? { kind: 'all' } : scopeDto(acc.access.scope(action)),
      })),
      fields: c.meta.fields.map((f) => ({
        key: f.key,
        label: f.label,
        readable: canView && acc.readable(f.key),
        editableOnCreate: acc.isAdmin || (acc.can('create') && has(create, f.key)),
        editableOnEdit: acc.isAdmin || (acc.can('edit') && has(edit, f.key)),
      })),
      records: canView ? { ...(await this.reads.list(as, entityId, { limit: String(size) })), ...(await this.reads.count(as, entityId, {})) } : null,
    };
  }
}
