import type { ActionSettings } from '../node-types/action.node-type';
import type { NodeTypeKey } from '../types';

export type InstanceStatus = 'running' | 'approved' | 'rejected' | 'ended' | 'failed';

/** One activation of a parallel split: how many branches left it and which have reached the join. */
export interface SplitRun {
  id: string;
  split: string;
  join: string;
  branches: number;
  arrived: number;
  /** The open splits around this one (the entering token's scope). */
  scope: string[];
  /** The trail of the token that entered the split (the join's token continues it). */
  trail: TrailStep[];
}

/** A node passed on a token's way; `depth` is the number of open parallel splits there. */
export interface TrailStep {
  nodeId: string;
  depth: number;
}

/** A position of the instance in the graph (several while parallel branches run). */
export interface Token {
  id: string;
  nodeId: string;
  /** Id of the current visit of `nodeId`: tasks, timers and effects of the visit carry it. */
  activation: string;
  /** Open parallel splits, outermost first (split-run ids). */
  scope: string[];
  trail: TrailStep[];
  enteredAt: string;
}

export type TaskKind = 'approval' | 'fill' | 'resubmit';
export type TaskStatus = 'pending' | 'queued' | 'approved' | 'rejected' | 'completed' | 'returned' | 'transferred' | 'cancelled';

export interface Task {
  id: string;
  nodeId: string;
  tokenId: string;
  activation: string;
  kind: TaskKind;
  assignee: string;
  status: TaskStatus;
  /** Position among the tasks of the visit (sequential mode activates them in this order). */
  order: number;
  /** Added by 加签 (after) or escalation: must also approve / may decide alone. */
  origin: 'rule' | 'addedAfter' | 'addedBefore' | 'escalated' | 'transferred' | 'admins';
  /** For `addedBefore`: the task that waits (queued) until this one is decided. */
  blocks?: string;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
}

export type TimerKind = 'deadline' | 'wait';

export interface Timer {
  id: string;
  kind: TimerKind;
  tokenId: string;
  activation: string;
  nodeId: string;
  at: string;
}

/** A sub-process or automatic action the token waits for; its `key` comes back in the finishing event. */
export interface PendingWork {
  key: string;
  kind: 'action' | 'subprocess';
  tokenId: string;
  activation: string;
  nodeId: string;
}

/** Everything the engine needs to continue an instance; the runtime stores it as one JSON value. */
export interface InstanceState {
  instanceId: string;
  workflowId: string;
  /** The graph version the instance started on; it never changes. */
  version: number;
  recordId: string;
  submitterId: string;
  status: InstanceStatus;
  startedAt: string;
  endedAt?: string;
  /** Counter behind every id the engine makes (`<instanceId>:<seq>`), so replays give the same ids. */
  seq: number;
  tokens: Token[];
  tasks: Task[];
  timers: Timer[];
  splits: SplitRun[];
  pending: PendingWork[];
  /** Node ids in the order they were entered (the designer highlights the path taken). */
  path: string[];
  /** Ids of the events applied (a repeated id is answered as a duplicate, with no effects). */
  events: string[];
  /** Last submission's time; decisions after it count for `untilFirstDecision` withdraw. */
  submittedAt: string;
  error?: { code: string; message: string; nodeId?: string };
  parent?: { instanceId: string; key: string };
}

/** Fields every event has: a unique id (idempotency) and the instant it happened (the engine's clock). */
interface EventBase {
  id: string;
  at: string;
}
type ActorEvent = EventBase & { actor: string; comment?: string };

export type ReturnTarget = 'previous' | 'start' | { nodeId: string };

export type WorkflowEvent =
  /** The submitter (re)submits the record after a return or withdraw. */
  | (ActorEvent & { type: 'submit' })
  | (ActorEvent & { type: 'approve'; taskId: string })
  | (ActorEvent & { type: 'reject'; taskId: string })
  /** A fill-in (填写) task handed in. */
  | (ActorEvent & { type: 'complete'; taskId: string })
  | (ActorEvent & { type: 'return'; taskId: string; target: ReturnTarget })
  | (ActorEvent & { type: 'transfer'; taskId: string; to: string })
  | (ActorEvent & { type: 'addApprover'; taskId: string; members: string[]; position: 'before' | 'after' })
  | (ActorEvent & { type: 'withdraw' })
  | (ActorEvent & { type: 'urge' })
  | (EventBase & { type: 'timerFired'; timerId: string })
  | (EventBase & { type: 'actionFinished'; key: string; ok: boolean; error?: string })
  | (EventBase & { type: 'subprocessFinished'; key: string; status: InstanceStatus })
  | (ActorEvent & { type: 'adminReassign'; taskId: string; to: string })
  | (ActorEvent & { type: 'adminEnd' })
  | (ActorEvent & { type: 'adminReactivate'; nodeId?: string });

export type WorkflowEventType = WorkflowEvent['type'];

export type NotifyKind = 'task' | 'returned' | 'finished' | 'urged' | 'cc' | 'transferred' | 'reminder' | 'failed';

/** Something the runtime does after committing the new state; `key` is unique and stable (outbox idempotency key). */
export type Effect = { key: string } & (
  | { type: 'createTask'; task: Task }
  | { type: 'closeTask'; taskId: string; status: TaskStatus }
  | { type: 'scheduleTimer'; timer: Timer }
  | { type: 'cancelTimer'; timerId: string }
  | { type: 'runAction'; nodeId: string; action: ActionSettings }
  | { type: 'notify'; kind: NotifyKind; to: string[]; nodeId?: string; taskId?: string }
  | { type: 'startSubprocess'; nodeId: string; workflowId: string; relationField: string; wait: boolean }
  /** The instance no longer waits for the sub-process started by effect `workKey` (withdrawn, returned, ended): the runtime ends it. */
  | { type: 'cancelSubprocess'; nodeId: string; workKey: string }
  | { type: 'instanceFinished'; status: InstanceStatus; parent?: { instanceId: string; key: string } }
);
export type EffectType = Effect['type'];

/** One line of the instance timeline (历史), for the runtime to store. */
export interface TimelineEntry {
  at: string;
  kind: WorkflowEventType | 'entered' | 'cc' | 'finished' | 'skipped' | 'failed';
  nodeId?: string;
  nodeType?: NodeTypeKey;
  taskId?: string;
  actor?: string;
  comment?: string;
  detail?: Record<string, unknown>;
}

/** What one event produced. */
export interface EngineResult {
  state: InstanceState;
  effects: Effect[];
  timeline: TimelineEntry[];
  /** True when the event id was applied before: nothing changed and no effects are returned. */
  duplicate: boolean;
}
