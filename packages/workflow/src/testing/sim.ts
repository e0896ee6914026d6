import { applyEventOrThrow, startInstance } from '../engine/engine';
import type { EngineContext } from '../engine/run';
import type { Effect, EngineResult, InstanceState, Task, WorkflowEvent } from '../engine/state';
import type { WorkflowGraph } from '../types';
import { context as makeContext } from './fixtures';

type Body<E> = E extends unknown ? Omit<E, 'id' | 'at'> : never;

/** Drives one instance through the engine with generated event ids and a clock that advances a minute per event. */
export class Sim {
  state: InstanceState;
  effects: Effect[] = [];
  last: EngineResult;
  private clock: number;
  private n = 0;

  constructor(
    readonly graph: WorkflowGraph,
    readonly ctx: EngineContext = makeContext(),
    opts: { submitter?: string; start?: string } = {},
  ) {
    this.clock = Date.parse(opts.start ?? '2026-01-05T09:00:00.000Z');
    this.last = startInstance({
      graph,
      instance: { instanceId: 'i1', workflowId: 'w1', version: 1, recordId: 'r1', submitterId: opts.submitter ?? 'rep' },
      event: { id: 'ev0', at: this.now() },
      context: ctx,
    });
    this.state = this.last.state;
    this.effects.push(...this.last.effects);
  }

  now(): string {
    return new Date(this.clock).toISOString();
  }

  /** Applies an event (id and time generated unless given); returns the result. */
  send(event: Body<WorkflowEvent> & { id?: string; at?: string }): EngineResult {
    this.clock += 60_000;
    const full = { id: event.id ?? `ev${++this.n}`, at: event.at ?? this.now(), ...event } as WorkflowEvent;
    this.last = applyEventOrThrow({ graph: this.graph, state: this.state, event: full, context: this.ctx });
    this.state = this.last.state;
    this.effects.push(...this.last.effects);
    return this.last;
  }

  pending(nodeId?: string): Task[] {
    return this.state.tasks.filter((t) => t.status === 'pending' && (!nodeId || t.nodeId === nodeId));
  }

  /** The one pending task of a member (fails the test when there is not exactly one). */
  taskOf(assignee: string): Task {
    const mine = this.pending().filter((t) => t.assignee === assignee);
    if (mine.length !== 1) throw new Error(`${assignee} has ${mine.length} pending tasks`);
    return mine[0];
  }

  approve(assignee: string, comment?: string): EngineResult {
    return this.send({ type: 'approve', taskId: this.taskOf(assignee).id, actor: assignee, ...(comment ? { comment } : {}) });
  }

  at(): string[] {
    return this.state.tokens.map((t) => t.nodeId).sort();
  }
}
