import { Injectable } from '@nestjs/common';
import { BoundedCache } from '../../common/bounded-cache';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import type { Executor } from '../../database/db';
import { bumpAclVersion } from '../auth/acl-version.repository';
import { AuditService } from '../audit/audit.service';
import { cycleIfMoved, treeOrder, withDescendants } from './department-tree';
import { type DepartmentRow, DepartmentsRepository } from './departments.repository';
import { fieldDiff, idList, missingIdIssues, optionalId, requireWorkspaceAdminOrThrow } from './org-rules';
import { OrgRepository } from './org.repository';

export interface DepartmentDto {
  id: string;
  name: string;
  parentId: string | null;
  headUserId: string | null;
  /** 0 for a top-level department. */
  depth: number;
  childCount: number;
  memberCount: number;
  createdAt: string;
}

export interface DepartmentDetailDto extends DepartmentDto {
  memberIds: string[];
}

interface TreeCache {
  version: number;
  children: Map<string, string[]>;
  known: Set<string>;
}

const MAX_CACHED_WORKSPACES = 200;

/**
 * Departments form a tree (parent, head); a member may be in several. Lists come flat in
 * tree order (depth-first, siblings by name) with depth and counts, so a client can indent
 * or nest them without further calls.
 */
@Injectable()
export class DepartmentsService {
  private readonly trees = new BoundedCache<string, TreeCache>(MAX_CACHED_WORKSPACES);

  constructor(
    private readonly repo: DepartmentsRepository,
    private readonly org: OrgRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * The given departments of the workspace plus all their sub-departments (ids of other
   * workspaces or unknown ids are dropped). The tree is cached by the workspace's ACL version,
   * which every department change moves; pass the actor's `aclVersion` to skip reading it.
   */
  async descendantsOf(workspaceId: string, departmentIds: string[], aclVersion?: number): Promise<string[]> {
    if (!departmentIds.length) return [];
    const tree = await this.treeOf(workspaceId, aclVersion);
    return withDescendants({ children: tree.children, known: tree.known, ids: departmentIds });
  }

  async list(ctx: RequestContext): Promise<DepartmentDto[]> {
    const ws = ctx.actor.workspaceId;
    return this.toDtos(await this.repo.list(null, ws), await this.repo.memberCounts(null, ws));
  }

  async getOrThrow(ctx: RequestContext, id: string): Promise<DepartmentDetailDto> {
    const ws = ctx.actor.workspaceId;
    const rows = await this.repo.list(null, ws);
    const dto = this.toDtos(rows, await this.repo.memberCounts(null, ws)).find((d) => d.id === id);
    if (!dto) throw notFound('DEPARTMENT_NOT_FOUND', `Department ${id.slice(0, 64)}`);
    return { ...dto, memberIds: await this.repo.memberIds(null, id) };
  }

  async create(ctx: RequestContext, body: unknown): Promise<DepartmentDetailDto> {
    requireWorkspaceAdminOrThrow(ctx, 'manage departments');
    const input = new InputChecker(body).only(['name', 'parentId', 'headUserId']);
    const name = input.string('name', { required: true, max: 200 });
    const parentId = optionalId(input, 'parentId') ?? null;
    const headUserId = optionalId(input, 'headUserId') ?? null;
    input.doneOrThrow();
    const ws = ctx.actor.workspaceId;
    const row: DepartmentRow = { id: newId(), workspace_id: ws, name: name!, parent_id: parentId, head_user_id: headUserId, created_at: nowStorage() };
    await this.org.transaction(async (tx) => {
      await bumpAclVersion(tx, ws);
      const all = await this.repo.list(tx, ws);
      await this.refsExistOrThrow(tx, ws, all, { parentId, headUserId });
      this.uniqueAmongSiblingsOrThrow(all, row);
      await this.repo.insert(tx, row);
      await this.audit.write(ctx, { action: 'department.create', targetType: 'department', targetId: row.id, changes: fieldDiff({}, this.snapshot(row)) }, tx);
    });
    return this.getOrThrow(ctx, row.id);
  }

  /** Rename, move (`parentId`, null for the top level; a move into its own subtree is refused), change the head. */
  async update(ctx: RequestContext, id: string, body: unknown): Promise<DepartmentDetailDto> {
    requireWorkspaceAdminOrThrow(ctx, 'manage departments');
    const input = new InputChecker(body).only(['name', 'parentId', 'headUserId']);
    const name = input.string('name', { max: 200, min: 1 });
    const parentId = optionalId(input, 'parentId');
    const headUserId = optionalId(input, 'headUserId');
    input.doneOrThrow();
    const ws = ctx.actor.workspaceId;
    await this.org.transaction(async (tx) => {
      await bumpAclVersion(tx, ws);
      const all = await this.repo.list(tx, ws);
      const before = all.find((d) => d.id === id);
      if (!before) throw notFound('DEPARTMENT_NOT_FOUND', `Department ${id.slice(0, 64)}`);
      await this.refsExistOrThrow(tx, ws, all, { parentId, headUserId });
      const after: DepartmentRow = {
        ...before,
        name: name ?? before.name,
        parent_id: parentId === undefined ? before.parent_id : parentId,
        head_user_id: headUserId === undefined ? before.head_user_id : headUserId,
      };
      const cycle = after.parent_id === before.parent_id ? null : cycleIfMoved({ nodes: all, movingId: id, newParentId: after.parent_id });
      if (cycle) {
        const names = cycle.map((c) => all.find((d) => d.id === c)?.name ?? c);
        throw new AppError('DEPARTMENT_CYCLE', `Moving "${before.name}" under "${names[names.length - 2]}" would make a cycle: ${names.join(' → ')}`, {
          cycle,
        });
      }
      this.uniqueAmongSiblingsOrThrow(all, after);
      const changes = fieldDiff(this.snapshot(before), this.snapshot(after));
      if (!Object.keys(changes).length) return;
      await this.repo.update(tx, id, { name, parent_id: parentId, head_user_id: headUserId });
      await this.audit.write(ctx, { action: 'department.update', targetType: 'department', targetId: id, changes }, tx);
    });
    return this.getOrThrow(ctx, id);
  }

  /** Only an empty department goes: move or remove its sub-departments and members first. */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    requireWorkspaceAdminOrThrow(ctx, 'manage departments');
    const ws = ctx.actor.workspaceId;
    await this.org.transaction(async (tx) => {
      await bumpAclVersion(tx, ws);
      const all = await this.repo.list(tx, ws);
      const dept = all.find((d) => d.id === id);
      if (!dept) throw notFound('DEPARTMENT_NOT_FOUND', `Department ${id.slice(0, 64)}`);
      const childCount = all.filter((d) => d.parent_id === id).length;
      const memberCount = (await this.repo.memberIds(tx, id)).length;
      if (childCount || memberCount) {
        throw new AppError(
          'DEPARTMENT_NOT_EMPTY',
          `Department "${dept.name}" still has ${childCount} sub-department(s) and ${memberCount} member(s); move or remove them first`,
          { childCount, memberCount },
        );
      }
      await this.repo.delete(tx, id);
      await this.audit.write(ctx, { action: 'department.delete', targetType: 'department', targetId: id, changes: fieldDiff(this.snapshot(dept), {}) }, tx);
    });
  }

  /** Replaces the department's members with `userIds`. */
  async setMembers(ctx: RequestContext, id: string, body: unknown): Promise<DepartmentDetailDto> {
    requireWorkspaceAdminOrThrow(ctx, 'manage departments');
    const input = new InputChecker(body).only(['userIds']);
    const userIds = idList(input, 'userIds', { required: true });
    input.doneOrThrow();
    const ws = ctx.actor.workspaceId;
    await this.org.transaction(async (tx) => {
      await bumpAclVersion(tx, ws);
      if (!(await this.repo.find(tx, ws, id))) throw notFound('DEPARTMENT_NOT_FOUND', `Department ${id.slice(0, 64)}`);
      const issues = missingIdIssues('userIds', userIds, await this.org.existing(tx, 'users', ws, userIds!), 'Member');
      if (issues.length) throw new AppError('VALIDATION_FAILED', `${issues.length} unknown member(s)`, { errors: issues });
      const before = await this.repo.memberIds(tx, id);
      const changes = fieldDiff({ memberIds: before }, { memberIds: userIds });
      if (!Object.keys(changes).length) return;
      await this.repo.setMembers(tx, id, userIds!);
      await this.audit.write(ctx, { action: 'department.members', targetType: 'department', targetId: id, changes }, tx);
    });
    return this.getOrThrow(ctx, id);
  }

  private async treeOf(workspaceId: string, aclVersion?: number): Promise<TreeCache> {
    const version = aclVersion ?? (await this.repo.aclVersion(workspaceId));
    const cached = this.trees.get(workspaceId);
    // The version is read before the rows, so a cached tree is at least as new as its label.
    if (cached && cached.version >= version) return cached;
    const rows = await this.repo.list(null, workspaceId);
    const children = new Map<string, string[]>();
    for (const r of rows) if (r.parent_id) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r.id]);
    const tree: TreeCache = { version, children, known: new Set(rows.map((r) => r.id)) };
    this.trees.set(workspaceId, tree);
    return tree;
  }

  private snapshot(row: DepartmentRow): Record<string, unknown> {
    return { name: row.name, parentId: row.parent_id, headUserId: row.head_user_id };
  }

  private uniqueAmongSiblingsOrThrow(all: DepartmentRow[], row: DepartmentRow): void {
    const clash = all.find((d) => d.id !== row.id && (d.parent_id ?? null) === (row.parent_id ?? null) && d.name.toLowerCase() === row.name.toLowerCase());
    if (clash) throw new AppError('DUPLICATE_NAME', `A department named "${clash.name}" already exists at this place in the tree`, { existingId: clash.id });
  }

  private async refsExistOrThrow(
    tx: Executor,
    ws: string,
    all: DepartmentRow[],
    refs: { parentId?: string | null; headUserId?: string | null },
  ): Promise<void> {
    const issues: { path: string; code: string; message: string }[] = [];
    if (refs.parentId && !all.some((d) => d.id === refs.parentId))
      issues.push({ path: '/parentId', code: 'not_found', message: `Department ${refs.parentId.slice(0, 64)} does not exist` });
    if (refs.headUserId && !(await this.org.existing(tx, 'users', ws, [refs.headUserId])).size) {
      issues.push({ path: '/headUserId', code: 'not_found', message: `Member ${refs.headUserId.slice(0, 64)} does not exist` });
    }
    if (issues.length) throw new AppError('VALIDATION_FAILED', `${issues.length} unknown id(s)`, { errors: issues });
  }

  private toDtos(rows: DepartmentRow[], memberCounts: Map<string, number>): DepartmentDto[] {
    const childCounts = new Map<string, number>();
    for (const r of rows) if (r.parent_id) childCounts.set(r.parent_id, (childCounts.get(r.parent_id) ?? 0) + 1);
    return treeOrder({ nodes: rows }).map(({ node: r, depth }) => ({
      id: r.id,
      name: r.name,
      parentId: r.parent_id,
      headUserId: r.head_user_id,
      depth,
      childCount: childCounts.get(r.id) ?? 0,
      memberCount: memberCounts.get(r.id) ?? 0,
      createdAt: storageToIso(r.created_at)!,
    }));
  }
}
