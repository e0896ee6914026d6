import { type FieldPermission, settingsOf, type WorkflowEvent, type WorkflowGraph } from '@crm/workflow';
import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import { AuditService } from '../audit/audit.service';
import { taskDto, timelineDto, workflowEntityDto } from './workflow-dto';
import { WorkflowEngineService } from './workflow-engine.service';
import { ActionBody } from './workflow-input';
import { engineCall, WorkflowStaffAccess } from './workflow-staff-access';
import { instanceAfter } from './workflow-tasks.service';
import { WorkflowWrites } from './workflow-writes';

export type SubmitterAction = 'withdraw' | 'resubmit' | 'urge';
export type AdminAction = 'reassign' | 'end' | 'reactivate';

/** An instance as its members see it (timeline, comments, tasks, the version's graph and the path taken); the submitter's and admins' actions. */
@Injectable()
export class WorkflowInstancesService {
  constructor(
    private readonly engine: WorkflowEngineService,
    private readonly staff: WorkflowStaffAccess,
    private readonly audit: AuditService,
    private readonly writes: WorkflowWrites,
  ) {}

  async detail(ctx: RequestContext, id: string) {
    const { row, c, state, admin } = await this.staff.instanceOrThrow(ctx, id);
    const graph = await this.engine.graphOrThrow(row.workflow_id, Number(row.version));
    const [tasks, timeline, comments, ccNodes] = await Promise.all([
      this.engine.repo.tasksOfInstance(row.id),
      this.engine.repo.timeline(row.id),
      this.engine.repo.comments(row.id),
      this.engine.repo.ccNodesOf(row.id, ctx.actor.userId),
    ]);
    const ccFields = ccNodes.length ? ccFieldsOf(graph, ccNodes) : null;
    const ccRecord = ccFields ? await this.writes.read(c, Number(row.record_id)).catch(() => null) : null;
    return {
      id: row.id,
      workflowId: row.workflow_id,
      version: Number(row.version),
      entityId: row.entity_id,
      entity: workflowEntityDto(c),
      recordId: Number(row.record_id),
      submitterId: row.submitter_id,
      status: row.status,
      error: row.error,
      startedAt: storageToIso(row.started_at),
      endedAt: storageToIso(row.ended_at),
      path: state.path,
      currentNodes: state.tokens.map((t) => t.nodeId),
      graph,
      tasks: tasks.map(taskDto),
      timeline: timeline.map(timelineDto),
      comments: comments.map((c) => ({
        id: c.id,
        taskId: c.task_id,
        authorId: c.author_id,
        body: c.body,
        signature: c.signature,
        createdAt: storageToIso(c.created_at),
      })),
      canAdmin: admin,
      ccRecord: ccRecord && ccFields ? Object.fromEntries(Object.entries(ccRecord).filter(([k]) => ccFields[k] !== 'hidden')) : null,
    };
  }

  /** withdraw (撤回), resubmit after a return or withdraw, urge (催办): the submitter's own. */
  async submitterAction(ctx: RequestContext, id: string, action: SubmitterAction, body: unknown) {
    const { row } = await this.staff.instanceOrThrow(ctx, id);
    if (row.submitter_id !== ctx.actor.userId) throw new AppError('FORBIDDEN', 'Only the submitter can do this');
    const b = new ActionBody(body, ['comment']);
    const comment = b.comment();
    b.doneOrThrow();
    const type = action === 'resubmit' ? 'submit' : action;
    return this.applyAudited(
      ctx,
      row.id,
      row.entity_id,
      Number(row.record_id),
      `workflow.${action}`,
      () =>
        ({
          id: `${type}:${newId()}`,
          at: new Date().toISOString(),
          actor: ctx.actor.userId,
          type,
          ...(comment ? { comment } : {}),
        }) as WorkflowEvent,
    );
  }

  async adminAction(ctx: RequestContext, id: string, action: AdminAction, body: unknown) {
    const { row } = await this.staff.instanceOrThrow(ctx, id, 'admin');
    const b = new ActionBody(body, action === 'reassign' ? ['comment', 'taskId', 'to'] : action === 'reactivate' ? ['comment', 'nodeId'] : ['comment']);
    const comment = b.comment();
    const extra: Record<string, unknown> =
      action === 'reassign'
        ? { taskId: b.optionalString('taskId', 100), to: b.member('to') }
        : action === 'reactivate'
          ? { nodeId: b.optionalString('nodeId') }
          : {};
    if (action === 'reassign' && !extra.taskId) b.issues.push({ path: '/taskId', code: 'required', message: 'taskId is required' });
    b.doneOrThrow();
    if (action === 'reassign') await this.staff.assertMembersOrThrow(ctx, '/to', [extra.to as string]);
    if (extra.nodeId === undefined) delete extra.nodeId;
    const type = action === 'reassign' ? 'adminReassign' : action === 'end' ? 'adminEnd' : 'adminReactivate';
    return this.applyAudited(
      ctx,
      row.id,
      row.entity_id,
      Number(row.record_id),
      `workflow.admin_${action}`,
      () =>
        ({
          id: `${type}:${newId()}`,
          at: new Date().toISOString(),
          actor: ctx.actor.userId,
          type,
          ...(comment ? { comment } : {}),
          ...extra,
        }) as WorkflowEvent,
    );
  }

  private async applyAudited(ctx: RequestContext, instanceId: string, entityId: string, recordId: number, auditAction: string, event: () => WorkflowEvent) {
    const applied = await engineCall(
      () =>
        this.engine.apply({
          workspaceId: ctx.actor.workspaceId,
          instanceId,
          event,
          inTx: (fn) =>
            this.engine.repo.db.transaction(async (tx) => {
              const out = await fn(tx);
              await this.audit.write(ctx, { action: auditAction, targetType: 'workflow_instance', targetId: instanceId, entityId, recordId }, tx);
              return out;
            }),
        }),
      ctx.locale,
    );
    return instanceAfter(applied.row.id, applied.state);
  }

  /** A comment on the instance: text, or a signature image within the size cap. Everyone who sees the instance may comment. */
  async comment(ctx: RequestContext, id: string, body: unknown) {
    const { row } = await this.staff.instanceOrThrow(ctx, id);
    const b = new ActionBody(body, ['comment', 'signature']);
    const comment = b.comment();
    const signature = b.signature(false);
    if (!comment && !signature) b.issues.push({ path: '/comment', code: 'required', message: 'Send a comment or a signature' });
    b.doneOrThrow();
    const c = {
      id: newId(),
      instanceId: row.id,
      workspaceId: row.workspace_id,
      taskId: null,
      authorId: ctx.actor.userId,
      body: comment ?? '',
      signature: signature ?? null,
      at: nowStorage(),
    };
    await this.engine.repo.db.transaction(async (tx) => {
      await this.engine.repo.insertComment(tx, c);
      await this.engine.repo.insertTimeline(tx, [
        {
          at: '',
          storageAt: c.at,
          instanceId: row.id,
          workspaceId: row.workspace_id,
          kind: 'comment' as never,
          actor: ctx.actor.userId,
          ...(comment ? { comment } : {}),
        },
      ]);
      await this.audit.write(
        ctx,
        { action: 'workflow.comment', targetType: 'workflow_instance', targetId: row.id, entityId: row.entity_id, recordId: Number(row.record_id) },
        tx,
      );
    });
    return { id: c.id, taskId: null, authorId: c.authorId, body: c.body, signature: c.signature, createdAt: storageToIso(c.at) };
  }
}

/** What the cc nodes that copied a member let them see: a field is hidden only if every one of them hides it. */
function ccFieldsOf(graph: WorkflowGraph, nodeIds: string[]): Record<string, FieldPermission> {
  const perNode = graph.nodes
    .filter((n) => n.type === 'cc' && nodeIds.includes(n.id))
    .map((n) => settingsOf<{ fields?: Record<string, FieldPermission> }>(n).fields ?? {});
  const keys = new Set(perNode.flatMap((f) => Object.keys(f)));
  return Object.fromEntries([...keys].map((k) => [k, perNode.every((f) => f[k] === 'hidden') ? 'hidden' : 'visible']));
}
