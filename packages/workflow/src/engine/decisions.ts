import { WorkflowError, WorkflowErrorCode } from '../errors';
import { settingsOf } from '../node-types/registry';
import type { TaskNodeSettings } from '../settings';
import { resumeNode } from './advance';
import type { Run } from './run';
import type { Task, TaskKind, TaskStatus, Token, WorkflowEvent } from './state';

type EventOf<T extends WorkflowEvent['type']> = Extract<WorkflowEvent, { type: T }>;

export function assertRunningOrThrow(run: Run): void {
  if (run.state.status !== 'running')
    throw new WorkflowError({
      code: WorkflowErrorCode.INSTANCE_NOT_RUNNING,
      message: `The instance is ${run.state.status}`,
      details: { status: run.state.status },
    });
}

/** The pending task an event names, with its token; refuses tasks that are not the actor's (unless `admin`). */
export function pendingTaskOrThrow(
  run: Run,
  args: { taskId: string; actor: string; admin?: boolean; kinds?: readonly TaskKind[] },
): { task: Task; token: Token } {
  const task = run.state.tasks.find((t) => t.id === args.taskId);
  if (!task)
    throw new WorkflowError({ code: WorkflowErrorCode.TASK_NOT_FOUND, message: `The instance has no task ${args.taskId}`, details: { taskId: args.taskId } });
  assertRunningOrThrow(run);
  if (!args.admin && task.assignee !== args.actor)
    throw new WorkflowError({
      code: WorkflowErrorCode.NOT_ASSIGNEE,
      message: `Task ${task.id} is not assigned to ${args.actor}`,
      details: { taskId: task.id },
    });
  const token = run.state.tokens.find((t) => t.id === task.tokenId && t.activation === task.activation);
  if (task.status !== 'pending' || !token)
    throw new WorkflowError({
      code: WorkflowErrorCode.TASK_NOT_PENDING,
      message: `Task ${task.id} is already ${task.status}`,
      details: { taskId: task.id, status: task.status },
    });
  if (args.kinds && !args.kinds.includes(task.kind))
    throw new WorkflowError({
      code: WorkflowErrorCode.INVALID_EVENT,
      message: `Task ${task.id} is a ${task.kind} task`,
      details: { taskId: task.id, kind: task.kind },
    });
  return { task, token };
}

/** The settings of the task node a token waits at. */
export function taskSettings(run: Run, token: Token): TaskNodeSettings | undefined {
  const node = run.graph.node(token.nodeId);
  return node && (node.type === 'approval' || node.type === 'fill') ? settingsOf<TaskNodeSettings>(node) : undefined;
}

export function assertAllowedOrThrow(allowed: boolean | undefined, what: string, nodeId: string): void {
  if (!allowed)
    throw new WorkflowError({ code: WorkflowErrorCode.ACTION_NOT_ALLOWED, message: `${nodeId} does not allow ${what}`, details: { nodeId, action: what } });
}

/** Records a decision on a pending task and lets the node settle (pass, reject, next in order). */
export function decide(run: Run, task: Task, token: Token, status: TaskStatus, actor: string): void {
  run.closeTask(task, status, actor);
  const blocked = task.blocks ? run.state.tasks.find((t) => t.id === task.blocks) : undefined;
  if (blocked && blocked.status === 'queued' && status !== 'rejected' && !run.openTasksOf(token.activation).some((t) => t.blocks === blocked.id))
    run.activate(blocked);
  resumeNode(run, token, { kind: 'taskDecided', task });
}

function decision(kinds: readonly TaskKind[], status: TaskStatus) {
  return (run: Run, e: EventOf<'approve' | 'reject' | 'complete'>) => {
    const { task, token } = pendingTaskOrThrow(run, { taskId: e.taskId, actor: e.actor, kinds });
    run.log({ kind: e.type, nodeId: task.nodeId, taskId: task.id, actor: e.actor, ...(e.comment ? { comment: e.comment } : {}) });
    decide(run, task, token, status, e.actor);
  };
}

export const approve = decision(['approval'], 'approved');
export const reject = decision(['approval'], 'rejected');
export const complete = decision(['fill'], 'completed');

export function submit(run: Run, e: EventOf<'submit'>): void {
  assertRunningOrThrow(run);
  const task = run.state.tasks.find((t) => t.kind === 'resubmit' && t.status === 'pending');
  if (!task) throw new WorkflowError({ code: WorkflowErrorCode.ACTION_NOT_ALLOWED, message: 'The instance is not waiting for the submitter', details: {} });
  const { token } = pendingTaskOrThrow(run, { taskId: task.id, actor: e.actor, kinds: ['resubmit'] });
  run.state.submittedAt = e.at;
  run.log({ kind: 'submit', nodeId: task.nodeId, taskId: task.id, actor: e.actor, ...(e.comment ? { comment: e.comment } : {}) });
  decide(run, task, token, 'completed', e.actor);
}

function openAssignees(run: Run, activation: string): Set<string> {
  return new Set(run.openTasksOf(activation).map((t) => t.assignee));
}

/** Hands a pending task to another member (转交, or an admin's reassign); the new task takes its place. */
export function handOver(run: Run, args: { taskId: string; actor: string; to: string; admin: boolean; comment?: string }): void {
  const { task, token } = pendingTaskOrThrow(run, { taskId: args.taskId, actor: args.actor, admin: args.admin, kinds: ['approval', 'fill'] });
  if (!args.admin) assertAllowedOrThrow(taskSettings(run, token)?.allowTransfer, 'transfer', token.nodeId);
  if (!args.to || args.to === task.assignee || openAssignees(run, token.activation).has(args.to))
    throw new WorkflowError({
      code: WorkflowErrorCode.INVALID_EVENT,
      message: `${args.to || '(nobody)'} cannot take over task ${task.id}: already an assignee of this node`,
      details: { to: args.to },
    });
  run.closeTask(task, 'transferred', args.actor);
  const next = run.openTask({
    token,
    kind: task.kind,
    assignee: args.to,
    order: task.order,
    origin: 'transferred',
    ...(task.blocks ? { blocks: task.blocks } : {}),
    notify: 'transferred',
  });
  for (const t of run.state.tasks) if (t.blocks === task.id) t.blocks = next.id;
  run.log({
    kind: args.admin ? 'adminReassign' : 'transfer',
    nodeId: token.nodeId,
    taskId: task.id,
    actor: args.actor,
    detail: { to: args.to, newTaskId: next.id },
    ...(args.comment ? { comment: args.comment } : {}),
  });
}

/** 加签: members approve before the actor (whose task waits) or after the actor's approval. */
export function addApprover(run: Run, e: EventOf<'addApprover'>): void {
  const { task, token } = pendingTaskOrThrow(run, { taskId: e.taskId, actor: e.actor, kinds: ['approval'] });
  assertAllowedOrThrow(taskSettings(run, token)?.allowAddApprover, 'adding approvers', token.nodeId);
  const have = openAssignees(run, token.activation);
  const members = [...new Set(e.members)];
  if (members.length === 0 || members.length > 20 || members.some((m) => !m || have.has(m)))
    throw new WorkflowError({
      code: WorkflowErrorCode.INVALID_EVENT,
      message: 'Add 1 to 20 members who are not already assignees of this node',
      details: { members: e.members },
    });
  run.log({
    kind: 'addApprover',
    nodeId: token.nodeId,
    taskId: task.id,
    actor: e.actor,
    detail: { members, position: e.position },
    ...(e.comment ? { comment: e.comment } : {}),
  });
  if (e.position === 'before') {
    task.status = 'queued';
    run.emit({ type: 'closeTask', taskId: task.id, status: 'queued' });
    members.forEach((assignee, i) =>
      run.openTask({ token, kind: 'approval', assignee, order: task.order + (i + 1) / 100, origin: 'addedBefore', blocks: task.id }),
    );
    return;
  }
  members.forEach((assignee, i) => run.openTask({ token, kind: 'approval', assignee, order: task.order + (i + 1) / 100, origin: 'addedAfter' }));
  decide(run, task, token, 'approved', e.actor);
}

export function urge(run: Run, e: EventOf<'urge'>): void {
  assertRunningOrThrow(run);
  if (e.actor !== run.state.submitterId)
    throw new WorkflowError({ code: WorkflowErrorCode.NOT_ASSIGNEE, message: 'Only the submitter can urge', details: { actor: e.actor } });
  const to = [...new Set(run.state.tasks.filter((t) => t.status === 'pending' && t.kind !== 'resubmit').map((t) => t.assignee))];
  if (to.length) run.emit({ type: 'notify', kind: 'urged', to });
  run.log({ kind: 'urge', actor: e.actor, detail: { to }, ...(e.comment ? { comment: e.comment } : {}) });
}

/** Node types whose tasks count as a decision for the `untilFirstDecision` withdraw policy. */
export const DECIDING_STATUSES = new Set<TaskStatus>(['approved', 'rejected', 'completed', 'returned', 'transferred']);
