import type { Run } from '../engine/run';
import type { Task, TaskKind, Token } from '../engine/state';
import { durationMs, type TaskNodeSettings } from '../settings';
import type { FieldReference, StepArgs, StepOutcome, StepSignal } from './definition';

/** The shared step of approval and fill-in nodes: tasks per assignee, the multi-assignee rule, the deadline. */
export function enterTaskNode({ run, token, settings }: StepArgs<TaskNodeSettings>, kind: TaskKind): StepOutcome {
  const { resolver, record } = run.context;
  let members = resolver.resolve({ rules: settings.assignees, submitterId: run.state.submitterId, record });
  let origin: Task['origin'] = 'rule';
  if (members.length === 0 && settings.whenNobody === 'admins') {
    members = resolver.workflowAdmins();
    origin = 'admins';
  }
  if (members.length === 0) {
    run.log({ kind: 'skipped', nodeId: token.nodeId, detail: { reason: 'nobody' } });
    return leaveFirst(run, token);
  }
  members.forEach((assignee, order) => run.openTask({ token, kind, assignee, order, origin, queued: settings.mode === 'sequential' && order > 0 }));
  if (settings.deadline) run.schedule({ token, kind: 'deadline', at: new Date(run.now.getTime() + durationMs(settings.deadline.after)).toISOString() });
  return { kind: 'wait' };
}

export function resumeTaskNode(args: StepArgs<TaskNodeSettings> & { signal: StepSignal }): StepOutcome {
  const { run, token, settings, signal } = args;
  if (signal.kind === 'timer') return onDeadline(args);
  if (signal.kind !== 'taskDecided') return { kind: 'wait' };
  if (settings.mode === 'sequential' && isApproved(signal.task) && isMain(signal.task)) activateNextInOrder(run, token);
  return settle(run, token, settings);
}

const approvedStatuses = new Set(['approved', 'completed']);
const isApproved = (t: Task) => approvedStatuses.has(t.status);
const isOpen = (t: Task) => t.status === 'pending' || t.status === 'queued';
/** Tasks that count for the node's multi-assignee mode (the rule's assignees, their transfers, the admins). */
const isMain = (t: Task) => t.origin === 'rule' || t.origin === 'transferred' || t.origin === 'admins';

/** Whether the visit passed, was rejected or still waits, by the node's mode. */
export function visitOutcome(tasks: readonly Task[], settings: Pick<TaskNodeSettings, 'mode' | 'passRatio'>): 'pass' | 'reject' | 'wait' {
  const live = tasks.filter((t) => t.status !== 'transferred' && t.status !== 'cancelled' && t.status !== 'returned');
  const main = live.filter(isMain);
  const added = live.filter((t) => t.origin === 'addedAfter' || t.origin === 'addedBefore');
  const escalated = live.filter((t) => t.origin === 'escalated');
  const approvals = main.filter(isApproved).length;
  const rejections = main.filter((t) => t.status === 'rejected').length;
  if (added.some((t) => t.status === 'rejected') || escalated.some((t) => t.status === 'rejected')) return 'reject';
  let verdict: 'pass' | 'reject' | 'wait';
  if (settings.mode === 'vote') {
    const ratio = settings.passRatio ?? 1;
    const open = main.filter(isOpen).length;
    if (main.length > 0 && approvals / main.length >= ratio - 1e-9) verdict = 'pass';
    else if (main.length === 0 || (approvals + open) / main.length < ratio - 1e-9) verdict = 'reject';
    else verdict = 'wait';
  } else if (rejections > 0) verdict = 'reject';
  else if (settings.mode === 'any') verdict = approvals > 0 ? 'pass' : 'wait';
  else verdict = main.length > 0 && main.every(isApproved) ? 'pass' : 'wait';
  if (escalated.some(isApproved) && verdict === 'wait') verdict = 'pass';
  // A pass waits for every approver added after (加签) and before; a rejection does not.
  if (verdict === 'pass' && added.some(isOpen)) return 'wait';
  return verdict;
}

function settle(run: Run, token: Token, settings: TaskNodeSettings): StepOutcome {
  const verdict = visitOutcome(
    run.state.tasks.filter((t) => t.activation === token.activation),
    settings,
  );
  if (verdict === 'wait') {
    // The node's own rule has passed and only approvers added after (加签) are left: the others' tasks are moot.
    const tasks = run.state.tasks.filter((t) => t.activation === token.activation);
    const own = tasks.filter((t) => t.origin !== 'addedAfter' && t.origin !== 'addedBefore');
    if (tasks.some((t) => t.origin === 'addedAfter' && isOpen(t)) && visitOutcome(own, settings) === 'pass')
      for (const t of own) if (isOpen(t) && !tasks.some((b) => b.blocks === t.id && isOpen(b))) run.closeTask(t, 'cancelled');
    return { kind: 'wait' };
  }
  run.closeVisit(token.activation);
  return verdict === 'pass' ? leaveFirst(run, token) : { kind: 'reject' };
}

function activateNextInOrder(run: Run, token: Token): void {
  const open = run.openTasksOf(token.activation);
  if (open.some((t) => t.status === 'pending' && isMain(t))) return;
  const blocked = new Set(open.map((t) => t.blocks).filter(Boolean));
  const next = open.filter((t) => t.status === 'queued' && isMain(t) && !blocked.has(t.id)).sort((a, b) => a.order - b.order)[0];
  if (next) run.activate(next);
}

function onDeadline({ run, token, settings, signal }: StepArgs<TaskNodeSettings> & { signal: StepSignal }): StepOutcome {
  const deadline = settings.deadline;
  if (signal.kind !== 'timer' || !deadline) return { kind: 'wait' };
  const pending = run.openTasksOf(token.activation).filter((t) => t.status === 'pending');
  run.log({ kind: 'timerFired', nodeId: token.nodeId, detail: { action: deadline.action } });
  switch (deadline.action) {
    case 'remind':
      if (pending.length) run.emit({ type: 'notify', kind: 'reminder', to: pending.map((t) => t.assignee), nodeId: token.nodeId });
      return { kind: 'wait' };
    case 'autoApprove':
      for (const t of pending) run.closeTask(t, t.kind === 'fill' ? 'completed' : 'approved', 'system');
      run.closeVisit(token.activation);
      return leaveFirst(run, token);
    case 'autoReject':
      // Overdue is a no: the open tasks are rejected by the system and the instance ends as rejected.
      for (const t of pending) run.closeTask(t, 'rejected', 'system');
      run.closeVisit(token.activation);
      return { kind: 'reject' };
    case 'autoReturn':
      return { kind: 'return', target: 'previous' };
    case 'escalate': {
      const have = new Set(run.openTasksOf(token.activation).map((t) => t.assignee));
      const members = run.context.resolver.resolve({ rules: deadline.escalateTo ?? [], submitterId: run.state.submitterId, record: run.context.record });
      const kind = pending[0]?.kind ?? 'approval';
      members.filter((m) => !have.has(m)).forEach((assignee, i) => run.openTask({ token, kind, assignee, order: 1000 + i, origin: 'escalated' }));
      return { kind: 'wait' };
    }
  }
}

export function leaveFirst(run: Run, token: Token): StepOutcome {
  return { kind: 'leave', edges: run.graph.outgoing(token.nodeId).slice(0, 1) };
}

/** Field references of a task node: its field permissions and member-field assignees. */
export function taskFieldReferences(settings: Pick<TaskNodeSettings, 'assignees' | 'fields'> & { deadline?: TaskNodeSettings['deadline'] }): FieldReference[] {
  const refs: FieldReference[] = Object.keys(settings.fields ?? {}).map((field) => ({ path: `/fields/${field}`, field }));
  const rules = [
    ...settings.assignees.map((r, i) => ({ r, path: `/assignees/${i}` })),
    ...(settings.deadline?.escalateTo ?? []).map((r, i) => ({ r, path: `/deadline/escalateTo/${i}` })),
  ];
  for (const { r, path } of rules) if (r.kind === 'memberField') refs.push({ path: `${path}/field`, field: r.field, types: ['member'] });
  return refs;
}
