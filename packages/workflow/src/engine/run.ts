import type { GraphIndex } from '../graph-index';
import type { AssigneeResolver } from '../resolver';
import type { RecordValues } from '../types';
import type { Effect, InstanceState, PendingWork, Task, TaskKind, TaskStatus, TimelineEntry, Timer, TimerKind, Token } from './state';

type Distribute<E> = E extends unknown ? Omit<E, 'key'> : never;
export type EffectBody = Distribute<Effect>;

/** What the runtime passes with every event besides the state: the record's current values and the resolver. */
export interface EngineContext {
  record: RecordValues;
  resolver: AssigneeResolver;
}

/** Automatic steps one event may take before the instance is stopped as an endless loop. */
export const MAX_AUTOMATIC_STEPS = 1000;

export class LoopLimitError extends Error {}

/**
 * The working copy of one event's application: the state being changed, the effects and
 * timeline lines produced so far, and the id counter. Node steps receive it.
 */
export class Run {
  readonly effects: Effect[] = [];
  readonly timeline: TimelineEntry[] = [];
  private steps = 0;

  constructor(
    readonly graph: GraphIndex,
    readonly state: InstanceState,
    readonly at: string,
    readonly context: EngineContext,
  ) {}

  get now(): Date {
    return new Date(this.at);
  }

  /** A new id, unique in the instance and the same on every replay of the same events. */
  nextId(prefix: string): string {
    this.state.seq += 1;
    return `${this.state.instanceId}:${prefix}${this.state.seq}`;
  }

  emit(effect: EffectBody): void {
    this.effects.push({ ...effect, key: this.nextId('e') } as Effect);
  }

  log(entry: Omit<TimelineEntry, 'at'>): void {
    const node = entry.nodeId ? this.graph.node(entry.nodeId) : undefined;
    this.timeline.push({ at: this.at, ...(node ? { nodeType: node.type } : {}), ...entry });
  }

  /** Counts one automatic step; throws LoopLimitError past MAX_AUTOMATIC_STEPS. */
  step(): void {
    this.steps += 1;
    if (this.steps > MAX_AUTOMATIC_STEPS) throw new LoopLimitError();
  }

  /** A new task; `notify` names the notification its assignee gets (default `task`: one per task, a transfer's says `transferred`). */
  openTask(args: {
    token: Token;
    kind: TaskKind;
    assignee: string;
    order: number;
    origin: Task['origin'];
    queued?: boolean;
    blocks?: string;
    notify?: 'task' | 'transferred';
  }): Task {
    const task: Task = {
      id: this.nextId('k'),
      nodeId: args.token.nodeId,
      tokenId: args.token.id,
      activation: args.token.activation,
      kind: args.kind,
      assignee: args.assignee,
      status: args.queued ? 'queued' : 'pending',
      order: args.order,
      origin: args.origin,
      ...(args.blocks ? { blocks: args.blocks } : {}),
      createdAt: this.at,
    };
    this.state.tasks.push(task);
    if (!args.queued) this.announce(task, args.notify);
    return task;
  }

  /** A queued task becomes pending: the runtime creates it and tells its assignee. */
  activate(task: Task): void {
    task.status = 'pending';
    task.createdAt = this.at;
    this.announce(task);
  }

  private announce(task: Task, kind: 'task' | 'transferred' = 'task'): void {
    this.emit({ type: 'createTask', task: { ...task } });
    this.emit({ type: 'notify', kind, to: [task.assignee], nodeId: task.nodeId, taskId: task.id });
  }

  /** Closes a pending or queued task; a decided one keeps its decision. */
  closeTask(task: Task, status: TaskStatus, by?: string): void {
    if (task.status !== 'pending' && task.status !== 'queued') return;
    const wasPending = task.status === 'pending';
    task.status = status;
    task.decidedAt = this.at;
    if (by) task.decidedBy = by;
    if (wasPending) this.emit({ type: 'closeTask', taskId: task.id, status });
  }

  /** Open (pending or queued) tasks of one visit. */
  openTasksOf(activation: string): Task[] {
    return this.state.tasks.filter((t) => t.activation === activation && (t.status === 'pending' || t.status === 'queued'));
  }

  schedule(args: { token: Token; kind: TimerKind; at: string }): Timer {
    const timer: Timer = {
      id: this.nextId('t'),
      kind: args.kind,
      tokenId: args.token.id,
      activation: args.token.activation,
      nodeId: args.token.nodeId,
      at: args.at,
    };
    this.state.timers.push(timer);
    this.emit({ type: 'scheduleTimer', timer: { ...timer } });
    return timer;
  }

  /** Cancels the timers, open tasks and awaited work of one visit. */
  closeVisit(activation: string, taskStatus: TaskStatus = 'cancelled'): void {
    for (const t of this.openTasksOf(activation)) this.closeTask(t, taskStatus);
    for (const timer of this.state.timers.filter((x) => x.activation === activation)) this.emit({ type: 'cancelTimer', timerId: timer.id });
    this.state.timers = this.state.timers.filter((x) => x.activation !== activation);
    this.dropPending((w) => w.activation === activation);
  }

  /** Forgets awaited work; a sub-process waited for is ended by the runtime (no orphaned child keeps running). */
  dropPending(which: (w: PendingWork) => boolean): void {
    for (const w of this.state.pending.filter(which)) if (w.kind === 'subprocess') this.emit({ type: 'cancelSubprocess', nodeId: w.nodeId, workKey: w.key });
    this.state.pending = this.state.pending.filter((w) => !which(w));
  }
}
