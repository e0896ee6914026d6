import { WorkflowError, WorkflowErrorCode } from '../errors';
import { enterNode } from './advance';
import type { Run } from './run';
import type { ReturnTarget, Token } from './state';

/** Node types a return (回退) may go back to: the people's nodes. */
const RETURNABLE = new Set(['start', 'approval', 'fill']);

/** Where a return from `token` goes: the index of the target in the token's trail. */
export function returnTargetIndexOrThrow(run: Run, token: Token, target: ReturnTarget): number {
  const before = token.trail.length - 1; // the last step is the current visit
  const typeAt = (i: number) => run.graph.node(token.trail[i].nodeId)?.type ?? '';
  if (target === 'start') {
    for (let i = 0; i < before; i++) if (typeAt(i) === 'start') return i;
  } else if (target === 'previous') {
    for (let i = before - 1; i >= 0; i--) if (RETURNABLE.has(typeAt(i)) && token.trail[i].nodeId !== token.nodeId) return i;
  } else {
    for (let i = before - 1; i >= 0; i--) if (token.trail[i].nodeId === target.nodeId && RETURNABLE.has(typeAt(i))) return i;
  }
  throw new WorkflowError({
    code: WorkflowErrorCode.INVALID_RETURN_TARGET,
    message: `The instance cannot return from ${token.nodeId} to ${typeof target === 'string' ? target : target.nodeId}: not a start, approval or fill-in node passed on the way here`,
    details: { from: token.nodeId, target },
  });
}

/**
 * Sends the instance back from the token's node to an earlier node on its way (回退). When the
 * target lies before parallel splits the token is inside, every other path of those splits is
 * cancelled with its tasks and timers, so no orphaned branch stays behind.
 */
export function returnToOrThrow(run: Run, token: Token, target: ReturnTarget, decidedTaskId?: string): void {
  const index = returnTargetIndexOrThrow(run, token, target);
  const step = token.trail[index];
  for (const t of run.openTasksOf(token.activation)) run.closeTask(t, t.id === decidedTaskId ? 'returned' : 'cancelled');
  run.closeVisit(token.activation);
  const abandoned = new Set(token.scope.slice(step.depth));
  if (abandoned.size) {
    for (const other of run.state.tokens.filter((t) => t !== token && t.scope.some((s) => abandoned.has(s)))) run.closeVisit(other.activation);
    run.state.tokens = run.state.tokens.filter((t) => t === token || !t.scope.some((s) => abandoned.has(s)));
    run.state.splits = run.state.splits.filter((s) => !abandoned.has(s.id) && !s.scope.some((x) => abandoned.has(x)));
  }
  token.scope = token.scope.slice(0, step.depth);
  token.trail = token.trail.slice(0, index);
  run.emit({ type: 'notify', kind: 'returned', to: [run.state.submitterId], nodeId: step.nodeId });
  enterNode(run, token, step.nodeId);
}

/** Back to the start node from wherever the instance is (withdraw, reactivate at the start): one token, nothing else open. */
export function restartAtStart(run: Run, startId: string): void {
  for (const token of run.state.tokens) run.closeVisit(token.activation);
  for (const t of run.state.tasks) run.closeTask(t, 'cancelled');
  run.state.tokens = [];
  run.state.splits = [];
  const token: Token = { id: run.nextId('p'), nodeId: startId, activation: '', scope: [], trail: [], enteredAt: run.at };
  run.state.tokens.push(token);
  enterNode(run, token, startId);
}
