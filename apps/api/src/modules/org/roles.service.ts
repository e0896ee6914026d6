import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import type { Executor } from '../../database/db';
import { bumpAclVersion } from '../auth/acl-version.repository';
import { AuditService } from '../audit/audit.service';
import { fieldDiff, idList, missingIdIssues, requireWorkspaceAdminOrThrow } from './org-rules';
import { OrgRepository } from './org.repository';
import { type RoleRow, RolesRepository } from './roles.repository';

export interface RoleDto {
  id: string;
  name: string;
  memberCount: number;
  createdAt: string;
}

export interface RoleDetailDto extends RoleDto {
  memberIds: string[];
}

/** Roles: named sets of members that permission groups can apply to; a member may have several. */
@Injectable()
export class RolesService {
  constructor(
    private readonly repo: RolesRepository,
    private readonly org: OrgRepository,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: RequestContext): Promise<RoleDto[]> {
    return (await this.repo.list(ctx.actor.workspaceId)).map((r) => ({
      id: r.id,
      name: r.name,
      memberCount: Number(r.member_count ?? 0),
      createdAt: storageToIso(r.created_at)!,
    }));
  }

  async getOrThrow(ctx: RequestContext, id: string): Promise<RoleDetailDto> {
    const row = await this.repo.find(null, ctx.actor.workspaceId, id);
    if (!row) throw notFound('ROLE_NOT_FOUND', `Role ${id.slice(0, 64)}`);
    const memberIds = await this.repo.memberIds(null, id);
    return { id: row.id, name: row.name, memberCount: memberIds.length, createdAt: storageToIso(row.created_at)!, memberIds };
  }

  /** `userIds` optionally sets the first members. */
  async create(ctx: RequestContext, body: unknown): Promise<RoleDetailDto> {
    requireWorkspaceAdminOrThrow(ctx, 'manage roles');
    const input = new InputChecker(body).only(['name', 'userIds']);
    const name = input.string('name', { required: true, max: 100 });
    const userIds = idList(input, 'userIds') ?? [];
    input.doneOrThrow();
    const ws = ctx.actor.workspaceId;
    const row: RoleRow = { id: newId(), workspace_id: ws, name: name!, created_at: nowStorage() };
    await this.org.transaction(async (tx) => {
      await bumpAclVersion(tx, ws);
      await this.uniqueOrThrow(tx, ws, row);
      await this.membersExistOrThrow(tx, ws, userIds);
      await this.repo.insert(tx, row);
      await this.repo.setMembers(tx, row.id, userIds);
      await this.audit.write(
        ctx,
        { action: 'role.create', targetType: 'role', targetId: row.id, changes: fieldDiff({}, { name: row.name, memberIds: userIds }) },
        tx,
      );
    });
    return this.getOrThrow(ctx, row.id);
  }

  async rename(ctx: RequestContext, id: string, body: unknown): Promise<RoleDetailDto> {
    requireWorkspaceAdminOrThrow(ctx, 'manage roles');
    const input = new InputChecker(body).only(['name']);
    const name = input.string('name', { required: true, max: 100 });
    input.doneOrThrow();
    const ws = ctx.actor.workspaceId;
    await this.org.transaction(async (tx) => {
      await bumpAclVersion(tx, ws);
      const before = await this.repo.find(tx, ws, id);
      if (!before) throw notFound('ROLE_NOT_FOUND', `Role ${id.slice(0, 64)}`);
      const changes = fieldDiff({ name: before.name }, { name });
      if (!Object.keys(changes).length) return;
      await this.uniqueOrThrow(tx, ws, { ...before, name: name! });
      await this.repo.rename(tx, id, name!);
      await this.audit.write(ctx, { action: 'role.update', targetType: 'role', targetId: id, changes }, tx);
    });
    return this.getOrThrow(ctx, id);
  }

  /** The role's memberships go with it (permission groups naming it then no longer apply through it). */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    requireWorkspaceAdminOrThrow(ctx, 'manage roles');
    const ws = ctx.actor.workspaceId;
    await this.org.transaction(async (tx) => {
      await bumpAclVersion(tx, ws);
      const before = await this.repo.find(tx, ws, id);
      if (!before) throw notFound('ROLE_NOT_FOUND', `Role ${id.slice(0, 64)}`);
      const memberIds = await this.repo.memberIds(tx, id);
      await this.repo.delete(tx, id);
      await this.audit.write(ctx, { action: 'role.delete', targetType: 'role', targetId: id, changes: fieldDiff({ name: before.name, memberIds }, {}) }, tx);
    });
  }

  /** Replaces the role's members with `userIds`. */
  async setMembers(ctx: RequestContext, id: string, body: unknown): Promise<RoleDetailDto> {
    requireWorkspaceAdminOrThrow(ctx, 'manage roles');
    const input = new InputChecker(body).only(['userIds']);
    const userIds = idList(input, 'userIds', { required: true });
    input.doneOrThrow();
    const ws = ctx.actor.workspaceId;
    await this.org.transaction(async (tx) => {
      await bumpAclVersion(tx, ws);
      if (!(await this.repo.find(tx, ws, id))) throw notFound('ROLE_NOT_FOUND', `Role ${id.slice(0, 64)}`);
      await this.membersExistOrThrow(tx, ws, userIds!);
      const changes = fieldDiff({ memberIds: await this.repo.memberIds(tx, id) }, { memberIds: userIds });
      if (!Object.keys(changes).length) return;
      await this.repo.setMembers(tx, id, userIds!);
      await this.audit.write(ctx, { action: 'role.members', targetType: 'role', targetId: id, changes }, tx);
    });
    return this.getOrThrow(ctx, id);
  }

  private async uniqueOrThrow(tx: Executor, ws: string, row: RoleRow): Promise<void> {
    const clash = await this.repo.findByName(tx, ws, row.name);
    if (clash && clash.id !== row.id) throw new AppError('DUPLICATE_NAME', `A role named "${clash.name}" already exists`, { existingId: clash.id });
  }

  private async membersExistOrThrow(tx: Executor, ws: string, userIds: string[]): Promise<void> {
    const issues = missingIdIssues('userIds', userIds, await this.org.existing(tx, 'users', ws, userIds), 'Member');
    if (issues.length) throw new AppError('VALIDATION_FAILED', `${issues.length} unknown member(s)`, { errors: issues });
  }
}
