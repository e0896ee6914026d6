import { AccessError, normalizeGroupOrThrow, type PermissionGroup, substituteVariables } from '@crm/access';
import { compileFilterOrThrow } from '@crm/rules';
import { Injectable } from '@nestjs/common';
import { notFound } from '../../common/errors';
import { newId, nowStorage } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import { AuditService } from '../audit/audit.service';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { AccessRepository } from '../access/access.repository';
import { AccessService } from '../access/access.service';
import { bumpAclVersion } from '../auth/acl-version.repository';

/** Permission groups (权限组) of an entity: managed by workspace and app admins; each change moves the ACL version. */
@Injectable()
export class PermissionGroupsService {
  constructor(
    private readonly repo: AccessRepository,
    private readonly access: AccessService,
    private readonly runtime: EntityRuntime,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: RequestContext, entityId: string): Promise<PermissionGroup[]> {
    const c = await this.entityForAdminOrThrow(ctx, entityId);
    return this.repo.groups(c.meta.id);
  }

  async create(ctx: RequestContext, entityId: string, body: unknown): Promise<PermissionGroup> {
    const c = await this.entityForAdminOrThrow(ctx, entityId);
    const group = await this.validateOrThrow(ctx, c, body, newId());
    await this.repo.transaction(async (tx) => {
      await this.repo.insertGroup(tx, { id: group.id, workspaceId: ctx.actor.workspaceId, entityId: c.meta.id, group, now: nowStorage() });
      await bumpAclVersion(tx, ctx.actor.workspaceId);
      await this.audit.write(
        ctx,
        { action: 'permission_group.create', targetType: 'permission_group', targetId: group.id, entityId: c.meta.id, changes: { to: group } },
        tx,
      );
    });
    return group;
  }

  async update(ctx: RequestContext, id: string, body: unknown): Promise<PermissionGroup> {
    const found = await this.repo.findGroup(ctx.actor.workspaceId, id);
    if (!found) throw notFound('NOT_FOUND', `Permission group ${id.slice(0, 40)}`);
    const c = await this.entityForAdminOrThrow(ctx, found.entityId);
    const { id: _id, ...current } = found.group;
    const merged = { ...current, ...(body && typeof body === 'object' ? (body as object) : {}) };
    const group = await this.validateOrThrow(ctx, c, merged, id);
    await this.repo.transaction(async (tx) => {
      await this.repo.updateGroup(tx, group, nowStorage());
      await bumpAclVersion(tx, ctx.actor.workspaceId);
      await this.audit.write(
        ctx,
        { action: 'permission_group.update', targetType: 'permission_group', targetId: id, entityId: c.meta.id, changes: { from: found.group, to: group } },
        tx,
      );
    });
    return group;
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    const found = await this.repo.findGroup(ctx.actor.workspaceId, id);
    if (!found) throw notFound('NOT_FOUND', `Permission group ${id.slice(0, 40)}`);
    await this.entityForAdminOrThrow(ctx, found.entityId);
    await this.repo.transaction(async (tx) => {
      await this.repo.deleteGroup(tx, id);
      await bumpAclVersion(tx, ctx.actor.workspaceId);
      await this.audit.write(
        ctx,
        { action: 'permission_group.delete', targetType: 'permission_group', targetId: id, entityId: found.entityId, changes: { from: found.group } },
        tx,
      );
    });
  }

  private async entityForAdminOrThrow(ctx: RequestContext, entityId: string): Promise<CompiledEntity> {
    const c = await this.runtime.getOrThrow(ctx.actor.workspaceId, entityId);
    await this.access.requireDesignerOrThrow(ctx, c.meta);
    return c;
  }

  /** Shape (access package), then references: named members, departments and roles exist; the condition compiles. */
  private async validateOrThrow(ctx: RequestContext, c: CompiledEntity, body: unknown, id: string): Promise<PermissionGroup> {
    const group = normalizeGroupOrThrow({ input: body, id, fieldKeys: c.meta.fields.map((f) => f.key) });
    const issues: { path: string; code: string; message: string }[] = [];
    for (const [list, table] of [
      ['members', 'users'],
      ['departments', 'departments'],
      ['roles', 'roles'],
    ] as const) {
      const found = await this.repo.userIdsExist(ctx.actor.workspaceId, table, group[list]);
      group[list].forEach((x, i) => {
        if (!found.has(x)) issues.push({ path: `/${list}/${i}`, code: 'not_found', message: `${list.slice(0, -1)} ${x} does not exist` });
      });
    }
    if (group.rowScope.kind === 'condition') {
      try {
        const now = new Date();
        const filter = substituteVariables({
          condition: group.rowScope.condition,
          values: { $user: 'u', $user_departments: ['d'], $today: now.toISOString().slice(0, 10), $now: now.toISOString() },
        });
        compileFilterOrThrow({ filter, resolveField: c.resolveField, dialect: 'sqlite', now });
      } catch (err) {
        issues.push({ path: '/rowScope/condition', code: 'invalid_condition', message: (err as Error).message });
      }
    }
    if (issues.length) throw new AccessError('INVALID_GROUP', `Invalid permission group: ${issues.map((i) => i.path).join(', ')}`, issues);
    return group;
  }
}
