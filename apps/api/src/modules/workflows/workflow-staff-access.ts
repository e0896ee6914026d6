import { type InstanceState, WorkflowError } from '@crm/workflow';
import { Injectable } from '@nestjs/common';
import { AppError, notFound } from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import { AccessService } from '../access/access.service';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { OrgDirectory } from './org-directory';
import { fromWorkflowError } from './workflow-errors';
import { type InstanceRow, type TaskRow, WorkflowRuntimeRepository } from './workflow-runtime.repository';

export interface InstanceAccess {
  row: InstanceRow;
  c: CompiledEntity;
  state: InstanceState;
  /** Workspace admin, the entity's app admin, or `manage_instances` on the entity: admin actions. */
  admin: boolean;
}

/**
 * Who reaches a workflow instance or task. A task is its assignee's; an instance is seen by its
 * submitter, its assignees, the members it was copied to, and its admins (workspace admins, the
 * entity's app admins, members with `view_all_instances` or `manage_instances` on the entity).
 * Anyone else, and any id of another workspace, gets 404 and nothing changes.
 */
@Injectable()
export class WorkflowStaffAccess {
  constructor(
    readonly repo: WorkflowRuntimeRepository,
    private readonly entities: EntityRuntime,
    private readonly access: AccessService,
    private readonly org: OrgDirectory,
  ) {}

  /**
   * Members a task is handed to (transfer, reassign, add approver) must be active members of the
   * actor's workspace: an unknown id, a disabled member or one of another workspace is refused by
   * name (400 VALIDATION_FAILED) before the engine sees the event.
   */
  async assertMembersOrThrow(ctx: RequestContext, path: string, ids: readonly string[]): Promise<void> {
    const members = (await this.org.snapshot(ctx.actor.workspaceId)).members;
    const unknown = ids.map((id, i) => ({ id, i })).filter(({ id }) => !members.has(id));
    if (!unknown.length) return;
    throw new AppError('VALIDATION_FAILED', `Not an active member of this workspace: ${unknown.map((u) => u.id.slice(0, 64)).join(', ')}`, {
      errors: unknown.map((u) => ({
        path: path === '/to' ? path : `${path}/${u.i}`,
        code: 'unknown_member',
        message: `${u.id.slice(0, 64)} is not an active member of this workspace`,
      })),
    });
  }

  private async rights(ctx: RequestContext, c: CompiledEntity): Promise<{ view: boolean; manage: boolean }> {
    if (await this.access.isAppAdmin(ctx, c.meta.appId)) return { view: true, manage: true };
    if (ctx.actor.appIds && !ctx.actor.appIds.includes(c.meta.appId)) return { view: false, manage: false };
    const acc = await this.access.forEntity(ctx, c);
    const manage = acc.can('manage_instances');
    return { view: manage || acc.can('view_all_instances'), manage };
  }

  /** The member's own task (pending or not); someone else's or another workspace's is not found. */
  async ownTaskOrThrow(ctx: RequestContext, taskId: string): Promise<TaskRow> {
    const task = taskId.length <= 100 ? await this.repo.task(ctx.actor.workspaceId, taskId) : null;
    return this.ownedOrThrow(ctx, taskId, task);
  }

  /** `ownTaskOrThrow`, then `check` of the task, then `instanceOrThrow` of its instance: both read in one statement. */
  async ownTaskWithInstanceOrThrow(ctx: RequestContext, taskId: string, check: (task: TaskRow) => void): Promise<{ task: TaskRow; instance: InstanceAccess }> {
    const both = taskId.length <= 100 ? await this.repo.taskWithInstance(ctx.actor.workspaceId, taskId) : null;
    const task = await this.ownedOrThrow(ctx, taskId, both?.task ?? null);
    check(task);
    return { task, instance: await this.accessOrThrow(ctx, task.instance_id, both?.row ?? null) };
  }

  private async ownedOrThrow(ctx: RequestContext, taskId: string, task: TaskRow | null): Promise<TaskRow> {
    if (!task || task.assignee_id !== ctx.actor.userId) throw notFound('TASK_NOT_FOUND', `Task ${taskId.slice(0, 100)}`);
    if (ctx.actor.appIds) {
      const c = await this.entities.getOrThrow(task.workspace_id, task.entity_id);
      if (!ctx.actor.appIds.includes(c.meta.appId)) throw notFound('TASK_NOT_FOUND', `Task ${taskId}`);
    }
    return task;
  }

  async instanceOrThrow(ctx: RequestContext, instanceId: string, need: 'view' | 'admin' = 'view'): Promise<InstanceAccess> {
    const row = instanceId.length <= 40 ? await this.repo.instance(ctx.actor.workspaceId, instanceId) : null;
    return this.accessOrThrow(ctx, instanceId, row, need);
  }

  private async accessOrThrow(ctx: RequestContext, instanceId: string, row: InstanceRow | null, need: 'view' | 'admin' = 'view'): Promise<InstanceAccess> {
    if (!row) throw notFound('INSTANCE_NOT_FOUND', `Workflow instance ${instanceId.slice(0, 40)}`);
    const c = await this.entities.atVersionOrThrow(row.workspace_id, row.entity_id, row.entity_version);
    // A token narrowed to other apps reaches nothing of this one, even the member's own instances.
    if (ctx.actor.appIds && !ctx.actor.appIds.includes(c.meta.appId)) throw notFound('INSTANCE_NOT_FOUND', `Workflow instance ${instanceId}`);
    const state = JSON.parse(row.state) as InstanceState;
    const rights = await this.rights(ctx, c);
    const me = ctx.actor.userId;
    const involved = row.submitter_id === me || state.tasks.some((t) => t.assignee === me) || (!rights.view && (await this.repo.isCc(row.id, me)));
    if (!involved && !rights.view) throw notFound('INSTANCE_NOT_FOUND', `Workflow instance ${instanceId}`);
    if (need === 'admin' && !rights.manage) throw new AppError('FORBIDDEN', 'Only workflow admins (app admins, members who manage instances) can do this');
    return { row, c, state, admin: rights.manage };
  }
}

/** Runs an engine call, answering its refusals with the API's codes (a decided task: 409 ALREADY_DECIDED). */
export async function engineCall<T>(fn: () => Promise<T>, locale?: 'en' | 'zh-CN'): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WorkflowError) throw fromWorkflowError(err, locale);
    throw err;
  }
}
