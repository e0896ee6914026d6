import type { Run } from './run';
import type { InstanceStatus } from './state';

/** Closes every open task, timer and awaited work of the instance and forgets its tokens. */
export function closeEverything(run: Run): void {
  for (const token of run.state.tokens) run.closeVisit(token.activation);
  for (const t of run.state.tasks) run.closeTask(t, 'cancelled');
  for (const timer of run.state.timers) run.emit({ type: 'cancelTimer', timerId: timer.id });
  run.state.timers = [];
  run.dropPending(() => true);
  run.state.tokens = [];
  run.state.splits = [];
}

/** The instance ends (approved at an end node, rejected by a node, ended by an admin). */
export function finishInstance(run: Run, status: Exclude<InstanceStatus, 'running' | 'failed'>): void {
  if (run.state.status !== 'running') return;
  closeEverything(run);
  run.state.status = status;
  run.state.endedAt = run.at;
  run.emit({ type: 'notify', kind: 'finished', to: [run.state.submitterId] });
  run.emit({ type: 'instanceFinished', status, ...(run.state.parent ? { parent: run.state.parent } : {}) });
  run.log({ kind: 'finished', detail: { status } });
}

/** The instance stops with an error; an admin sees it and can reactivate (e.g. retry the action). */
export function failInstance(run: Run, error: { code: string; message: string; nodeId?: string }): void {
  closeEverything(run);
  run.state.status = 'failed';
  run.state.error = error;
  run.state.endedAt = run.at;
  const admins = run.context.resolver.workflowAdmins();
  if (admins.length) run.emit({ type: 'notify', kind: 'failed', to: admins, ...(error.nodeId ? { nodeId: error.nodeId } : {}) });
  run.log({ kind: 'failed', ...(error.nodeId ? { nodeId: error.nodeId } : {}), detail: { code: error.code, message: error.message } });
}
