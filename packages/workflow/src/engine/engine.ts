import { WorkflowError, WorkflowErrorCode } from '../errors';
import { indexGraph, type GraphIndex } from '../graph-index';
import { settingsOf } from '../node-types/registry';
import type { TaskNodeSettings } from '../settings';
import type { WorkflowGraph } from '../types';
import { parallelRegionOf } from '../validate/parallel';
import { enterNode, resumeNode } from './advance';
import { addApprover, approve, assertRunningOrThrow, complete, DECIDING_STATUSES, handOver, pendingTaskOrThrow, reject, submit, urge } from './decisions';
import { failInstance, finishInstance } from './lifecycle';
import { restartAtStart, returnToOrThrow } from './return';
import { LoopLimitError, MAX_AUTOMATIC_STEPS, Run, type EngineContext } from './run';
import type { EngineResult, InstanceState, Token, WorkflowEvent, WorkflowEventType } from './state';

type EventOf<T extends WorkflowEventType> = Extract<WorkflowEvent, { type: T }>;
type Handler<T extends WorkflowEventType> = (run: Run, event: EventOf<T>) => void;

/** One handler per event type; a missing one is a compile error. */
const HANDLERS: { [T in WorkflowEventType]: Handler<T> } = {
  submit,
  approve,
  reject,
  complete,
  return: (run, e) => {
    const { task, token } = pendingTaskOrThrow(run, { taskId: e.taskId, actor: e.actor, kinds: ['approval', 'fill'] });
    const s = settingsOf<TaskNodeSettings>(run.graph.node(token.nodeId)!);
    if (!s.allowReturn)
      throw new WorkflowError({
        code: WorkflowErrorCode.ACTION_NOT_ALLOWED,
        message: `${token.nodeId} does not allow return`,
        details: { nodeId: token.nodeId },
      });
    run.log({
      kind: 'return',
      nodeId: token.nodeId,
      taskId: task.id,
      actor: e.actor,
      detail: { target: e.target },
      ...(e.comment ? { comment: e.comment } : {}),
    });
    task.decidedBy = e.actor;
    returnToOrThrow(run, token, e.target, task.id);
  },
  transfer: (run, e) => handOver(run, { taskId: e.taskId, actor: e.actor, to: e.to, admin: false, comment: e.comment }),
  addApprover,
  withdraw,
  urge,
  timerFired: (run, e) => {
    const timer = run.state.timers.find((t) => t.id === e.timerId);
    if (!timer || run.state.status !== 'running') return; // stale: the visit it belonged to is over
    run.state.timers = run.state.timers.filter((t) => t !== timer);
    const token = run.state.tokens.find((t) => t.id === timer.tokenId && t.activation === timer.activation);
    if (token) resumeNode(run, token, { kind: 'timer', timer });
  },
  actionFinished: (run, e) => workFinished(run, e.key, { ok: e.ok, ...(e.error ? { error: e.error } : {}) }),
  subprocessFinished: (run, e) => workFinished(run, e.key, { ok: true, status: e.status }),
  adminReassign: (run, e) => handOver(run, { taskId: e.taskId, actor: e.actor, to: e.to, admin: true, comment: e.comment }),
  adminEnd: (run, e) => {
    assertRunningOrThrow(run);
    run.log({ kind: 'adminEnd', actor: e.actor, ...(e.comment ? { comment: e.comment } : {}) });
    finishInstance(run, 'ended');
  },
  adminReactivate,
};

function workFinished(run: Run, key: string, result: { ok: boolean; error?: string; status?: InstanceState['status'] }): void {
  const work = run.state.pending.find((w) => w.key === key);
  if (!work || run.state.status !== 'running') return; // stale or repeated delivery
  run.state.pending = run.state.pending.filter((w) => w !== work);
  const token = run.state.tokens.find((t) => t.id === work.tokenId && t.activation === work.activation);
  if (token) resumeNode(run, token, { kind: 'workFinished', work, ...result });
}

/** 撤回: the submitter takes the record back to the start node, as the nodes' withdraw policies allow. */
function withdraw(run: Run, e: EventOf<'withdraw'>): void {
  assertRunningOrThrow(run);
  if (e.actor !== run.state.submitterId)
    throw new WorkflowError({ code: WorkflowErrorCode.NOT_ASSIGNEE, message: 'Only the submitter can withdraw', details: { actor: e.actor } });
  const decidedSinceSubmit = run.state.tasks.some(
    (t) => t.kind !== 'resubmit' && DECIDING_STATUSES.has(t.status) && t.decidedBy !== 'system' && (t.decidedAt ?? '') >= run.state.submittedAt,
  );
  for (const token of run.state.tokens) {
    const node = run.graph.node(token.nodeId)!;
    if (node.type === 'start')
      throw new WorkflowError({ code: WorkflowErrorCode.ACTION_NOT_ALLOWED, message: 'The record is already back with the submitter', details: {} });
    if (node.type !== 'approval' && node.type !== 'fill') continue;
    const policy = settingsOf<TaskNodeSettings>(node).withdraw;
    if (policy === 'none' || (policy === 'untilFirstDecision' && decidedSinceSubmit))
      throw new WorkflowError({
        code: WorkflowErrorCode.ACTION_NOT_ALLOWED,
        message: `${node.id} does not allow withdrawing now (policy ${policy})`,
        details: { nodeId: node.id, policy },
      });
  }
  run.log({ kind: 'withdraw', actor: e.actor, ...(e.comment ? { comment: e.comment } : {}) });
  restartAtStart(run, run.graph.start()!.id);
}

/** An admin starts a finished, rejected, ended or failed instance again at a node (default: where it stopped). */
function adminReactivate(run: Run, e: EventOf<'adminReactivate'>): void {
  if (run.state.status === 'running')
    throw new WorkflowError({ code: WorkflowErrorCode.INSTANCE_NOT_FINISHED, message: 'The instance is still running', details: {} });
  const stoppedAt = run.state.error?.nodeId ?? [...run.state.path].reverse().find((id) => ['approval', 'fill'].includes(run.graph.node(id)?.type ?? ''));
  const nodeId = e.nodeId ?? stoppedAt ?? run.graph.start()!.id;
  const node = run.graph.node(nodeId);
  if (!node || node.type === 'end' || node.type === 'join' || parallelRegionOf(run.graph, nodeId) !== null)
    throw new WorkflowError({
      code: WorkflowErrorCode.INVALID_EVENT,
      message: `The instance cannot be reactivated at ${nodeId}: an existing node outside parallel branches, not an end or join`,
      details: { nodeId },
    });
  run.state.status = 'running';
  delete run.state.error;
  delete run.state.endedAt;
  run.log({ kind: 'adminReactivate', nodeId, actor: e.actor, ...(e.comment ? { comment: e.comment } : {}) });
  const startId = run.graph.start()!.id;
  const token: Token = {
    id: run.nextId('p'),
    nodeId,
    activation: '',
    scope: [],
    trail: nodeId === startId ? [] : [{ nodeId: startId, depth: 0 }],
    enteredAt: run.at,
  };
  run.state.tokens = [token];
  enterNode(run, token, nodeId);
}

/** A deep copy of a state (states are JSON values: the runtime stores them as JSON). */
function copyState(state: InstanceState): InstanceState {
  return JSON.parse(JSON.stringify(state)) as InstanceState;
}

/** Runs `body` on a copy of `before`; `before` itself is never changed. */
function execute(graph: GraphIndex, before: InstanceState, at: string, context: EngineContext, body: (run: Run) => void): EngineResult {
  const run = new Run(graph, copyState(before), at, context);
  try {
    body(run);
  } catch (err) {
    if (!(err instanceof LoopLimitError)) throw err;
    // An endless automatic loop: nothing of this event's steps is kept but the stop itself.
    const fresh = new Run(graph, copyState(before), at, context);
    failInstance(fresh, { code: 'LOOP_LIMIT', message: `More than ${MAX_AUTOMATIC_STEPS} automatic steps in one event: the workflow loops without end` });
    return { state: fresh.state, effects: fresh.effects, timeline: fresh.timeline, duplicate: false };
  }
  return { state: run.state, effects: run.effects, timeline: run.timeline, duplicate: false };
}

export interface StartInstanceInput {
  graph: WorkflowGraph;
  instance: { instanceId: string; workflowId: string; version: number; recordId: string; submitterId: string; parent?: { instanceId: string; key: string } };
  /** The submission: its id (idempotency) and instant. */
  event: { id: string; at: string };
  context: EngineContext;
}

/** Starts an instance on a published graph: enters the start node and runs until it waits. */
export function startInstance({ graph, instance, event, context }: StartInstanceInput): EngineResult {
  const index = indexGraph(graph);
  const start = index.start();
  if (!start) throw new WorkflowError({ code: WorkflowErrorCode.INVALID_GRAPH, message: 'The graph has no start node', details: {} });
  const state: InstanceState = {
    ...instance,
    status: 'running',
    startedAt: event.at,
    submittedAt: event.at,
    seq: 0,
    tokens: [],
    tasks: [],
    timers: [],
    splits: [],
    pending: [],
    path: [],
    events: [event.id],
  };
  return execute(index, state, event.at, context, (run) => {
    run.log({ kind: 'submit', actor: instance.submitterId, nodeId: start.id });
    const token: Token = { id: run.nextId('p'), nodeId: start.id, activation: '', scope: [], trail: [], enteredAt: event.at };
    run.state.tokens.push(token);
    enterNode(run, token, start.id);
  });
}

export interface ApplyEventInput {
  /** The graph of the version the instance started on (`state.version`). */
  graph: WorkflowGraph;
  state: InstanceState;
  event: WorkflowEvent;
  context: EngineContext;
}

/**
 * Applies one event to an instance: the next state, the effects to deliver and the timeline
 * lines. Pure: the input state is not changed. A repeated event id returns the state as it is
 * with no effects (`duplicate: true`). Refused events throw WorkflowError and change nothing.
 */
export function applyEventOrThrow({ graph, state, event, context }: ApplyEventInput): EngineResult {
  if (state.events.includes(event.id)) return { state, effects: [], timeline: [], duplicate: true };
  const before = { ...state, events: [...state.events, event.id] };
  const handler = (Object.prototype.hasOwnProperty.call(HANDLERS, event.type) ? HANDLERS[event.type] : undefined) as Handler<WorkflowEventType> | undefined;
  if (!handler)
    throw new WorkflowError({ code: WorkflowErrorCode.INVALID_EVENT, message: `Unknown event type ${String(event.type)}`, details: { type: event.type } });
  return execute(indexGraph(graph), before, event.at, context, (run) => handler(run, event as never));
}
