import { WorkflowError } from '../errors';
import type { InstanceState, WorkflowEvent } from '../engine/state';
import type { Sim } from './sim';

type Body = WorkflowEvent extends infer E ? (E extends unknown ? Omit<E, 'id' | 'at'> : never) : never;

const OTHERS = ['manager', 'director', 'finance1', 'finance2', 'finance3', 'legal', 'rep2'];

/** Every event a user, the clock or the runtime could send to the instance now (some will be refused). */
export function candidateEvents(state: InstanceState): Body[] {
  const out: Body[] = [];
  if (state.status !== 'running') return [{ type: 'adminReactivate', actor: 'admin' }];
  for (const t of state.tasks.filter((x) => x.status === 'pending')) {
    const actor = t.assignee;
    if (t.kind === 'resubmit') {
      out.push({ type: 'submit', actor });
      continue;
    }
    if (t.kind === 'approval')
      out.push({ type: 'approve', taskId: t.id, actor }, { type: 'approve', taskId: t.id, actor }, { type: 'reject', taskId: t.id, actor });
    else out.push({ type: 'complete', taskId: t.id, actor }, { type: 'complete', taskId: t.id, actor });
    out.push({ type: 'return', taskId: t.id, actor, target: 'previous' }, { type: 'return', taskId: t.id, actor, target: 'start' });
    // Any node on the way here (some are not returnable: the engine refuses those).
    const trail = state.tokens.find((k) => k.id === t.tokenId)?.trail ?? [];
    for (const step of trail.slice(0, -1)) out.push({ type: 'return', taskId: t.id, actor, target: { nodeId: step.nodeId } });
    const other = OTHERS.find((m) => m !== actor && !state.tasks.some((x) => x.activation === t.activation && x.assignee === m));
    if (other) out.push({ type: 'transfer', taskId: t.id, actor, to: other });
    if (other && t.kind === 'approval') out.push({ type: 'addApprover', taskId: t.id, actor, members: [other], position: out.length % 2 ? 'before' : 'after' });
  }
  for (const timer of state.timers) out.push({ type: 'timerFired', timerId: timer.id });
  for (const w of state.pending)
    out.push(w.kind === 'action' ? { type: 'actionFinished', key: w.key, ok: true } : { type: 'subprocessFinished', key: w.key, status: 'approved' });
  for (const w of state.pending) if (w.kind === 'action') out.push({ type: 'actionFinished', key: w.key, ok: false, error: 'HTTP 500' });
  out.push({ type: 'withdraw', actor: state.submitterId }, { type: 'urge', actor: state.submitterId });
  return out;
}

/** Sends the event the choice picks; a refused event leaves the state as it was (returns false). */
export function sendChoice(sim: Sim, choice: number): boolean {
  const events = candidateEvents(sim.state);
  const event = events[choice % events.length];
  try {
    sim.send(event);
    return true;
  } catch (err) {
    if (err instanceof WorkflowError) return false;
    throw err;
  }
}

/** Drives the instance the friendly way (approve, complete, resubmit, fire timers, succeed work) until it stops. */
export function driveToEnd(sim: Sim, maxEvents = 1000): InstanceState['status'] {
  for (let i = 0; i < maxEvents && sim.state.status === 'running'; i++) {
    const s = sim.state;
    const t = s.tasks.find((x) => x.status === 'pending');
    if (t) {
      const type = t.kind === 'resubmit' ? 'submit' : t.kind === 'fill' ? 'complete' : 'approve';
      sim.send(type === 'submit' ? { type, actor: t.assignee } : { type, taskId: t.id, actor: t.assignee });
    } else if (s.pending.length) {
      const w = s.pending[0];
      sim.send(w.kind === 'action' ? { type: 'actionFinished', key: w.key, ok: true } : { type: 'subprocessFinished', key: w.key, status: 'approved' });
    } else if (s.timers.length) sim.send({ type: 'timerFired', timerId: s.timers[0].id });
    else return s.status; // stuck: the caller's assertion fails
  }
  return sim.state.status;
}

/** Problems of a state: orphaned tasks, timers or work; tokens waiting on nothing; leftovers of a finished instance. */
export function stateProblems(state: InstanceState): string[] {
  const problems: string[] = [];
  const live = (tokenId: string, activation: string) => state.tokens.some((t) => t.id === tokenId && t.activation === activation);
  for (const t of state.tasks)
    if ((t.status === 'pending' || t.status === 'queued') && !live(t.tokenId, t.activation)) problems.push(`orphan task ${t.id} at ${t.nodeId}`);
  for (const x of state.timers) if (!live(x.tokenId, x.activation)) problems.push(`orphan timer ${x.id}`);
  for (const w of state.pending) if (!live(w.tokenId, w.activation)) problems.push(`orphan work ${w.key}`);
  const splits = new Set(state.splits.map((s) => s.id));
  for (const token of state.tokens) {
    for (const s of token.scope) if (!splits.has(s)) problems.push(`token ${token.id} in a closed split ${s}`);
    const waits =
      state.tasks.some((t) => t.activation === token.activation && t.status === 'pending') ||
      state.timers.some((x) => x.activation === token.activation) ||
      state.pending.some((w) => w.activation === token.activation);
    if (!waits) problems.push(`token ${token.id} at ${token.nodeId} waits for nothing`);
  }
  for (const s of state.splits) if (s.arrived >= s.branches) problems.push(`split run ${s.id} complete but open`);
  if (state.status === 'running' && state.tokens.length === 0) problems.push('running without a token');
  if (state.status !== 'running' && (state.tokens.length || state.timers.length || state.tasks.some((t) => t.status === 'pending')))
    problems.push(`${state.status} with open work`);
  return problems;
}
