import { fieldPermissionsAt, type InstanceState, settingsOf, type TaskNodeSettings, type WorkflowEvent } from '@crm/workflow';
import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import { AuditService } from '../audit/audit.service';
import { ActionBody } from './workflow-input';
import { WorkflowEngineService } from './workflow-engine.service';
import { type InboxBox, WorkflowInboxRepository } from './workflow-inbox.repository';
import { type TaskRow } from './workflow-runtime.repository';
import { engineCall, WorkflowStaffAccess } from './workflow-staff-access';
import { WorkflowWrites } from './workflow-writes';
import { taskDto, timelineDto, workflowEntityDto } from './workflow-dto';

export type TaskAction = 'approve' | 'reject' | 'complete' | 'return' | 'transfer' | 'addApprover';
const BOXES = ['todo', 'done', 'started', 'cc'] as const;
const DECIDED = new Set(['approved', 'rejected', 'completed', 'returned', 'transferred']);
const BODY_KEYS: Record<TaskAction, string[]> = {
  approve: ['comment', 'signature'],
  reject: ['comment', 'signature'],
  complete: ['comment', 'signature'],
  return: ['comment', 'target'],
  transfer: ['comment', 'to'],
  addApprover: ['comment', 'members', 'position'],
};

const badQuery = (key: string, what: string) =>
  new AppError('INVALID_REQUEST', `${key} must be ${what}`, { errors: [{ path: `/${key}`, code: 'invalid_value', message: `${key} must be ${what}` }] });
const isoToStorage = (key: string, v: unknown): string | undefined => {
  if (v === undefined || v === '') return undefined;
  const d = new Date(String(v));
  if (typeof v !== 'string' || Number.isNaN(d.getTime())) throw badQuery(key, 'an ISO date or date-time');
  return nowStorage(d);
};

/**
 * The staff side of tasks: the inbox (to do, done by me, started by me, cc'd to me), a task's
 * detail with the record as its node shows it, the node's field edits, and the decisions
 * (approve, reject, complete, return, transfer, add approver, batch approve).
 */
@Injectable()
export class WorkflowTasksService {
  constructor(
    private readonly engine: WorkflowEngineService,
    private readonly staff: WorkflowStaffAccess,
    private readonly inboxRepo: WorkflowInboxRepository,
    private readonly writes: WorkflowWrites,
    private readonly audit: AuditService,
  ) {}

  async inbox(ctx: RequestContext, q: Record<string, unknown>) {
    const box = (q.box ?? 'todo') as InboxBox;
    if (!BOXES.includes(box)) throw badQuery('box', BOXES.join(', '));
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw badQuery('limit', 'an integer from 1 to 200');
    let after: [string, string] | null = null;
    if (typeof q.cursor === 'string' && q.cursor) {
      try {
        after = JSON.parse(Buffer.from(q.cursor, 'base64url').toString()) as [string, string];
      } catch {
        throw badQuery('cursor', 'a cursor from a previous page');
      }
      if (!Array.isArray(after) || after.length !== 2 || !after.every((x) => typeof x === 'string')) throw badQuery('cursor', 'a cursor from a previous page');
    }
    const str = (k: string) => (typeof q[k] === 'string' && q[k] ? String(q[k]).slice(0, 64) : undefined);
    const filter = {
      workflowId: str('workflowId'),
      entityId: str('entityId'),
      submitterId: str('submitterId'),
      recordId: recordIdOf(q.recordId),
      from: isoToStorage('from', q.from),
      to: isoToStorage('to', q.to),
    };
    const rows = await this.inboxRepo.page({
      workspaceId: ctx.actor.workspaceId,
      memberId: ctx.actor.userId,
      box,
      filter,
      after,
      limit: limit + 1,
      appIds: ctx.actor.appIds,
    });
    const page = rows.slice(0, limit);
    const items = page.map((r) => ({
      instanceId: r.instance_id,
      workflowId: r.workflow_id,
      workflowName: r.workflow_name,
      entityId: r.entity_id,
      recordId: Number(r.record_id),
      submitterId: r.submitter_id,
      instanceStatus: r.instance_status,
      startedAt: storageToIso(r.started_at),
      at: storageToIso(r.at),
      nodeId: r.node_id,
      task: r.task_id
        ? {
            id: r.task_id,
            nodeId: r.node_id,
            kind: r.kind,
            status: r.task_status,
            createdAt: storageToIso(r.created_at),
            decidedAt: storageToIso(r.decided_at),
          }
        : null,
    }));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.at, last.tie])).toString('base64url') : null };
  }

  counts(ctx: RequestContext) {
    return this.inboxRepo.counts(ctx.actor.workspaceId, ctx.actor.userId, ctx.actor.appIds);
  }

  /** The task with the record as its node shows it (hidden fields left out), what may be edited and done, and the timeline. */
  async detail(ctx: RequestContext, taskId: string) {
    const task = await this.staff.ownTaskOrThrow(ctx, taskId);
    const { row, c, state } = await this.staff.instanceOrThrow(ctx, task.instance_id);
    const graph = await this.engine.graphOrThrow(row.workflow_id, Number(row.version));
    const node = graph.nodes.find((n) => n.id === task.node_id);
    const settings = node && (node.type === 'approval' || node.type === 'fill') ? settingsOf<TaskNodeSettings>(node) : null;
    const fields = fieldPermissionsAt({ graph, state, taskId });
    const record = await this.writes.read(c, Number(row.record_id)).catch(() => null);
    const visible = record ? Object.fromEntries(Object.entries(record).filter(([k]) => fields[k] !== 'hidden')) : null;
    const pending = task.status === 'pending';
    const actions = !pending
      ? []
      : task.kind === 'resubmit'
        ? []
        : [
            ...(task.kind === 'fill' ? ['complete'] : ['approve', 'reject']),
            ...(settings?.allowReturn ? ['return'] : []),
            ...(settings?.allowTransfer ? ['transfer'] : []),
            ...(settings?.allowAddApprover && task.kind === 'approval' ? ['addApprover'] : []),
          ];
    return {
      task: taskDto(task),
      instance: {
        id: row.id,
        workflowId: row.workflow_id,
        version: Number(row.version),
        status: row.status,
        submitterId: row.submitter_id,
        startedAt: storageToIso(row.started_at),
      },
      node: node
        ? { id: node.id, type: node.type, name: node.name ?? node.id, mode: settings?.mode ?? null, requireSignature: settings?.requireSignature ?? false }
        : null,
      entity: workflowEntityDto(c, fields),
      record: visible,
      fields,
      editable: pending ? Object.keys(fields).filter((k) => fields[k] === 'editable' || fields[k] === 'required') : [],
      actions,
      returnTargets: pending && settings?.allowReturn ? returnTargets(state, task) : [],
      timeline: (await this.engine.repo.timeline(row.id)).map(timelineDto),
    };
  }

  /** The assignee edits the fields the node unlocks, through the write pipeline; any other field is 403 FIELD_NOT_WRITABLE, named. */
  async editRecord(ctx: RequestContext, taskId: string, body: unknown) {
    const task = await this.staff.ownTaskOrThrow(ctx, taskId);
    if (task.status !== 'pending') throw new AppError('TASK_NOT_PENDING', `Task ${taskId} is ${task.status}`);
    const { row, c, state } = await this.staff.instanceOrThrow(ctx, task.instance_id);
    const graph = await this.engine.graphOrThrow(row.workflow_id, Number(row.version));
    const fields = fieldPermissionsAt({ graph, state, taskId });
    const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
    if (!b || (b.version !== undefined && !Number.isInteger(b.version)))
      throw new AppError('INVALID_REQUEST', 'Send the field values and the record version you read: { "version": n, "<field>": value }');
    const { version, ...values } = b;
    const writable = new Set(Object.keys(fields).filter((k) => fields[k] === 'editable' || fields[k] === 'required'));
    const after = await this.writes.update({
      ctx,
      c,
      id: Number(row.record_id),
      values,
      writable,
      ...(version === undefined ? {} : { expectedVersion: version as number }),
    });
    return Object.fromEntries(Object.entries(after).filter(([k]) => fields[k] !== 'hidden'));
  }

  /** One decision on the member's own pending task. A decided task answers 409 ALREADY_DECIDED and changes nothing. */
  async decide(ctx: RequestContext, taskId: string, action: TaskAction, body: unknown, eventKey?: string) {
    const { task, instance } = await this.staff.ownTaskWithInstanceOrThrow(ctx, taskId, (t) => {
      if (DECIDED.has(t.status)) throw new AppError('ALREADY_DECIDED', `Task ${taskId} is already ${t.status}`, { taskStatus: t.status });
      if (t.status !== 'pending') throw new AppError('TASK_NOT_PENDING', `Task ${taskId} is ${t.status}`, { taskStatus: t.status });
    });
    const { row, c, state } = instance;
    const graph = await this.engine.graphOrThrow(row.workflow_id, Number(row.version));
    const node = graph.nodes.find((n) => n.id === task.node_id);
    const settings = node && (node.type === 'approval' || node.type === 'fill') ? settingsOf<TaskNodeSettings>(node) : null;
    const b = new ActionBody(body, BODY_KEYS[action]);
    const comment = b.comment();
    const deciding = action === 'approve' || action === 'complete' || action === 'reject';
    const signature = deciding ? b.signature(!!settings?.requireSignature && action !== 'reject') : undefined;
    const extra = this.eventFields(action, b);
    b.doneOrThrow();
    if (action === 'transfer') await this.staff.assertMembersOrThrow(ctx, '/to', [extra.to as string]);
    if (action === 'addApprover') await this.staff.assertMembersOrThrow(ctx, '/members', extra.members as string[]);
    if (action === 'approve' || action === 'complete')
      await this.assertRequiredFilledOrThrow(c, Number(row.record_id), fieldPermissionsAt({ graph, state, taskId }));
    const at = new Date().toISOString();
    // A decision closes its task, so `<action>:<task>` makes a repeat a duplicate; adding approvers may happen again on the same task.
    const id = eventKey ? `key:${eventKey.slice(0, 80)}` : action === 'addApprover' ? `addApprover:${newId()}` : `${action}:${taskId}`;
    const applied = await engineCall(
      () =>
        this.engine.apply({
          workspaceId: ctx.actor.workspaceId,
          instanceId: row.id,
          loaded: { row, c, state },
          event: () => ({ id, at, actor: ctx.actor.userId, type: action, taskId, ...(comment ? { comment } : {}), ...extra }) as WorkflowEvent,
          inTx: (fn) =>
            this.engine.repo.db.transaction(async (tx) => {
              const out = await fn(tx);
              if (comment || signature)
                await this.engine.repo.insertComment(tx, {
                  id: newId(),
                  instanceId: row.id,
                  workspaceId: row.workspace_id,
                  taskId,
                  authorId: ctx.actor.userId,
                  body: comment ?? '',
                  signature: signature ?? null,
                  at: nowStorage(),
                });
              await this.audit.write(
                ctx,
                {
                  action: `workflow.${action === 'addApprover' ? 'add_approver' : action}`,
                  targetType: 'workflow_task',
                  targetId: taskId.slice(0, 64),
                  entityId: row.entity_id,
                  recordId: Number(row.record_id),
                },
                tx,
              );
              return out;
            }),
        }),
      ctx.locale,
    );
    if (applied.duplicate) throw new AppError('ALREADY_DECIDED', `Task ${taskId} is already decided`);
    return instanceAfter(applied.row.id, applied.state);
  }

  private eventFields(action: TaskAction, b: ActionBody): Record<string, unknown> {
    if (action === 'return') return { target: b.returnTarget() };
    if (action === 'transfer') return { to: b.member('to') };
    if (action === 'addApprover') return { members: b.members('members'), position: b.oneOf('position', ['before', 'after'] as const, 'after') };
    return {};
  }

  private async assertRequiredFilledOrThrow(c: Parameters<WorkflowWrites['read']>[0], recordId: number, fields: Record<string, string>): Promise<void> {
    const required = Object.keys(fields).filter((k) => fields[k] === 'required');
    if (!required.length) return;
    const rec = await this.writes.read(c, recordId);
    const empty = required.filter((k) => rec[k] === null || rec[k] === undefined || rec[k] === '' || (Array.isArray(rec[k]) && !(rec[k] as unknown[]).length));
    if (empty.length)
      throw new AppError('VALIDATION_FAILED', `Fill in ${empty.map((k) => `"${k}"`).join(', ')} before deciding`, {
        errors: empty.map((k) => ({ path: `/${k}`, code: 'required', message: `${k} is required at this step` })),
      });
  }

  /** Approves several of the member's own tasks; each answers on its own (one refusal does not stop the others). */
  async batchApprove(ctx: RequestContext, body: unknown) {
    const b = new ActionBody(body, ['taskIds', 'comment']);
    const ids = b.raw('taskIds');
    if (!Array.isArray(ids) || !ids.length || ids.length > 100 || !ids.every((x) => typeof x === 'string'))
      b.issues.push({ path: '/taskIds', code: 'invalid_type', message: 'taskIds must list 1 to 100 task ids' });
    const comment = b.comment();
    b.doneOrThrow();
    const results: { taskId: string; ok: boolean; code?: string; detail?: string; status?: string }[] = [];
    for (const taskId of new Set(ids as string[])) {
      try {
        const r = await this.decide(ctx, taskId, 'approve', comment ? { comment } : {});
        results.push({ taskId, ok: true, status: r.status });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        results.push({ taskId, ok: false, code: err.code, detail: err.message });
      }
    }
    return { results, approved: results.filter((r) => r.ok).length };
  }
}

/** What a decision answers: the instance's status and its open tasks. */
export function instanceAfter(id: string, s: InstanceState) {
  return {
    instanceId: id,
    status: s.status,
    openTasks: s.tasks.filter((t) => t.status === 'pending').map((t) => ({ id: t.id, nodeId: t.nodeId, assigneeId: t.assignee, kind: t.kind })),
  };
}

/** Nodes a return may go to: the start and the approval/fill nodes this task's path passed. */
function returnTargets(state: InstanceState, task: TaskRow): string[] {
  const token = state.tokens.find((t) => state.tasks.some((x) => x.id === task.id && x.tokenId === t.id));
  return [...new Set((token?.trail ?? []).map((s) => s.nodeId))];
}

/** `recordId` of the inbox query: a positive whole number (it narrows only together with entityId). */
function recordIdOf(raw: unknown): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw badQuery('recordId', 'a record id');
  return n;
}
