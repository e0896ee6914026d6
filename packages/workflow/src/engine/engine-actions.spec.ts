import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../errors';
import { context, edge, linear, members, node, task } from '../testing/fixtures';
import { Sim } from '../testing/sim';
import type { WorkflowGraph } from '../types';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof WorkflowError) return err.code;
    throw err;
  }
  return 'no error';
};

/** start → first → second → end, two approval nodes with the given settings. */
function twoSteps(first: Record<string, unknown>, second: Record<string, unknown> = task(members('director'))): WorkflowGraph {
  return {
    nodes: [
      node('start', 'start', { fields: {} }),
      node('first', 'approval', first),
      node('second', 'approval', second),
      node('end', 'end', { outcome: 'approved' }),
    ],
    edges: [edge('start', 'first'), edge('first', 'second'), edge('second', 'end')],
  };
}

describe('engine: transfer, add approver, urge', () => {
  it('transfers a task: the new assignee decides, the old one no longer can', () => {
    const sim = new Sim(linear(task(members('manager'))));
    const old = sim.taskOf('manager').id;
    const r = sim.send({ type: 'transfer', taskId: old, actor: 'manager', to: 'director' });
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'notify', kind: 'transferred', to: ['director'] }));
    expect(r.effects.filter((e) => e.type === 'notify').map((e) => (e as { kind: string }).kind)).toEqual(['transferred']);
    expect(codeOf(() => sim.send({ type: 'approve', taskId: old, actor: 'manager' }))).toBe('TASK_NOT_PENDING');
    expect(codeOf(() => sim.send({ type: 'transfer', taskId: sim.taskOf('director').id, actor: 'director', to: 'director' }))).toBe('INVALID_EVENT');
    sim.approve('director');
    expect(sim.state.status).toBe('approved');
  });

  it('refuses a transfer where the node does not allow it', () => {
    const sim = new Sim(linear(task(members('manager'), { allowTransfer: false })));
    expect(codeOf(() => sim.send({ type: 'transfer', taskId: sim.taskOf('manager').id, actor: 'manager', to: 'director' }))).toBe('ACTION_NOT_ALLOWED');
  });

  it('adds an approver before: the adder waits, then decides', () => {
    const sim = new Sim(linear(task(members('manager'))));
    sim.send({ type: 'addApprover', taskId: sim.taskOf('manager').id, actor: 'manager', members: ['legal'], position: 'before' });
    expect(sim.pending().map((t) => t.assignee)).toEqual(['legal']);
    sim.approve('legal');
    expect(sim.pending().map((t) => t.assignee)).toEqual(['manager']);
    expect(sim.state.status).toBe('running');
    sim.approve('manager');
    expect(sim.state.status).toBe('approved');
  });

  it('adds an approver after: the adder approves now and the node waits for the added one', () => {
    const sim = new Sim(linear(task(members('manager', 'director'), { mode: 'any' })));
    sim.send({ type: 'addApprover', taskId: sim.taskOf('manager').id, actor: 'manager', members: ['legal'], position: 'after' });
    expect(sim.state.status).toBe('running');
    expect(sim.pending().map((t) => t.assignee)).toEqual(['legal']);
    sim.send({ type: 'reject', taskId: sim.taskOf('legal').id, actor: 'legal' });
    expect(sim.state.status).toBe('rejected');
  });

  it('urges the open assignees, only at the submitter’s request', () => {
    const sim = new Sim(linear(task(members('manager', 'director'), { mode: 'all' })));
    expect(sim.send({ type: 'urge', actor: 'rep' }).effects).toEqual([expect.objectContaining({ type: 'notify', kind: 'urged', to: ['manager', 'director'] })]);
    expect(codeOf(() => sim.send({ type: 'urge', actor: 'manager' }))).toBe('NOT_ASSIGNEE');
  });
});

describe('engine: withdraw (撤回) policies', () => {
  it('untilFirstDecision: allowed before anyone decided, refused after', () => {
    const open = new Sim(twoSteps(task(members('manager'), { withdraw: 'untilFirstDecision' })));
    open.send({ type: 'withdraw', actor: 'rep' });
    expect(open.pending().map((t) => [t.kind, t.assignee])).toEqual([['resubmit', 'rep']]);
    const later = new Sim(twoSteps(task(members('manager')), task(members('director'), { withdraw: 'untilFirstDecision' })));
    later.approve('manager');
    expect(codeOf(() => later.send({ type: 'withdraw', actor: 'rep' }))).toBe('ACTION_NOT_ALLOWED');
  });

  it('none refuses, anyNode allows after decisions, and only the submitter may withdraw', () => {
    expect(codeOf(() => new Sim(linear(task(members('manager'), { withdraw: 'none' }))).send({ type: 'withdraw', actor: 'rep' }))).toBe('ACTION_NOT_ALLOWED');
    const any = new Sim(twoSteps(task(members('manager')), task(members('director'), { withdraw: 'anyNode' })));
    any.approve('manager');
    expect(codeOf(() => any.send({ type: 'withdraw', actor: 'manager' }))).toBe('NOT_ASSIGNEE');
    any.send({ type: 'withdraw', actor: 'rep' });
    expect(any.state.tasks.find((t) => t.assignee === 'director')!.status).toBe('cancelled');
    any.send({ type: 'submit', actor: 'rep' });
    expect(any.pending().map((t) => t.assignee)).toEqual(['manager']);
  });
});

describe('engine: deadlines', () => {
  const deadline = (action: string, extra: Record<string, unknown> = {}) =>
    task(members('manager'), { deadline: { after: { amount: 2, unit: 'hours' }, action, ...extra } } as never);

  it('schedules the deadline from the visit and reminds when it fires', () => {
    const sim = new Sim(linear(deadline('remind')));
    const timer = sim.state.timers[0];
    expect(timer).toMatchObject({ kind: 'deadline', nodeId: 'a', at: '2026-01-05T11:00:00.000Z' });
    const r = sim.send({ type: 'timerFired', timerId: timer.id });
    expect(r.effects).toEqual([expect.objectContaining({ type: 'notify', kind: 'reminder', to: ['manager'] })]);
    expect(sim.state.status).toBe('running');
  });

  it('auto-approves, auto-returns and escalates', () => {
    const approve = new Sim(linear(deadline('autoApprove')));
    approve.send({ type: 'timerFired', timerId: approve.state.timers[0].id });
    expect(approve.state.status).toBe('approved');
    expect(approve.state.tasks[0]).toMatchObject({ status: 'approved', decidedBy: 'system' });
    const reject = new Sim(linear(deadline('autoReject')));
    reject.send({ type: 'timerFired', timerId: reject.state.timers[0].id });
    expect(reject.state.status).toBe('rejected');
    expect(reject.state.tasks[0]).toMatchObject({ status: 'rejected', decidedBy: 'system' });
    const back = new Sim(twoSteps(task(members('manager')), { ...deadline('autoReturn'), assignees: members('director') }));
    back.approve('manager');
    back.send({ type: 'timerFired', timerId: back.state.timers[0].id });
    expect(back.pending().map((t) => t.assignee)).toEqual(['manager']);
    const up = new Sim(linear(deadline('escalate', { escalateTo: members('director') })));
    up.send({ type: 'timerFired', timerId: up.state.timers[0].id });
    expect(up.pending().map((t) => [t.assignee, t.origin])).toEqual([
      ['manager', 'rule'],
      ['director', 'escalated'],
    ]);
    up.approve('director');
    expect(up.state.status).toBe('approved');
  });

  it('a deadline firing after the decision is stale: one outcome, no effects', () => {
    const sim = new Sim(linear(deadline('autoReturn')));
    const timerId = sim.state.timers[0].id;
    const decided = sim.approve('manager');
    expect(decided.effects).toContainEqual(expect.objectContaining({ type: 'cancelTimer', timerId }));
    const late = sim.send({ type: 'timerFired', timerId });
    expect(late.effects).toEqual([]);
    expect(sim.state.status).toBe('approved');
  });
});

describe('engine: automatic nodes', () => {
  const around = (middle: ReturnType<typeof node>): WorkflowGraph => ({
    nodes: [node('start', 'start', { fields: {} }), middle, node('end', 'end', { outcome: 'approved' })],
    edges: [edge('start', middle.id), edge(middle.id, 'end')],
  });

  it('cc notifies and goes on', () => {
    const sim = new Sim(around(node('cc', 'cc', { assignees: [{ kind: 'memberField', field: 'owner' }], fields: {} })), context({ owner: 'legal' }));
    expect(sim.effects).toContainEqual(expect.objectContaining({ type: 'notify', kind: 'cc', to: ['legal'], nodeId: 'cc' }));
    expect(sim.state.status).toBe('approved');
  });

  it('wait: a duration, a date field, and a blank date that goes on at once', () => {
    const d = new Sim(around(node('w', 'wait', { mode: 'duration', duration: { amount: 3, unit: 'days' } })));
    expect(d.state.timers[0]).toMatchObject({ kind: 'wait', at: '2026-01-08T09:00:00.000Z' });
    d.send({ type: 'timerFired', timerId: d.state.timers[0].id });
    expect(d.state.status).toBe('approved');
    const f = new Sim(
      around(node('w', 'wait', { mode: 'untilField', field: 'due', offset: { amount: 1, unit: 'days', before: true } })),
      context({ due: '2026-02-01' }),
    );
    expect(f.state.timers[0].at).toBe('2026-01-31T00:00:00.000Z');
    expect(new Sim(around(node('w', 'wait', { mode: 'untilField', field: 'due' })), context({})).state.status).toBe('approved');
  });

  it('action: waits for its result; a failure stops the instance and reactivation runs it again', () => {
    const sim = new Sim(around(node('hook', 'action', { action: { kind: 'webhook', url: 'https://example.com/h', method: 'POST' }, onError: 'stop' })));
    const first = sim.effects.find((e) => e.type === 'runAction')!;
    sim.send({ type: 'actionFinished', key: first.key, ok: false, error: 'HTTP 502' });
    expect(sim.state).toMatchObject({ status: 'failed', error: { code: 'ACTION_FAILED', message: 'HTTP 502', nodeId: 'hook' } });
    expect(sim.send({ type: 'actionFinished', key: first.key, ok: true }).effects).toEqual([]);
    const again = sim.send({ type: 'adminReactivate', actor: 'admin' });
    const retry = again.effects.find((e) => e.type === 'runAction')!;
    expect(retry.key).not.toBe(first.key);
    sim.send({ type: 'actionFinished', key: retry.key, ok: true });
    expect(sim.state.status).toBe('approved');
  });

  it('action with onError continue goes on after a failure', () => {
    const sim = new Sim(around(node('hook', 'action', { action: { kind: 'webhook', url: 'https://example.com/h', method: 'POST' }, onError: 'continue' })));
    sim.send({ type: 'actionFinished', key: sim.effects.find((e) => e.type === 'runAction')!.key, ok: false });
    expect(sim.state.status).toBe('approved');
  });

  it('sub-process: waits for the child when asked, else goes on', () => {
    const wait = new Sim(around(node('sub', 'subprocess', { workflowId: 'w2', relationField: 'customer', wait: true })));
    const start = wait.effects.find((e) => e.type === 'startSubprocess')!;
    expect(start).toMatchObject({ workflowId: 'w2', relationField: 'customer', wait: true });
    expect(wait.state.status).toBe('running');
    wait.send({ type: 'subprocessFinished', key: start.key, status: 'approved' });
    expect(wait.state.status).toBe('approved');
    expect(new Sim(around(node('sub', 'subprocess', { workflowId: 'w2', relationField: 'customer', wait: false }))).state.status).toBe('approved');
  });

  it('sub-process: an instance that stops waiting (ended) asks for the child to be ended; a finished child asks nothing', () => {
    const sim = new Sim(around(node('sub', 'subprocess', { workflowId: 'w2', relationField: 'customer', wait: true })));
    const start = sim.effects.find((e) => e.type === 'startSubprocess')!;
    sim.send({ type: 'adminEnd', actor: 'admin' });
    expect(sim.last.effects).toContainEqual(expect.objectContaining({ type: 'cancelSubprocess', nodeId: 'sub', workKey: start.key }));
    expect(sim.state.pending).toEqual([]);
    const done = new Sim(around(node('sub', 'subprocess', { workflowId: 'w2', relationField: 'customer', wait: true })));
    done.send({ type: 'subprocessFinished', key: done.effects.find((e) => e.type === 'startSubprocess')!.key, status: 'approved' });
    expect(done.effects.some((e) => e.type === 'cancelSubprocess')).toBe(false);
  });

  it('end with outcome rejected finishes as rejected', () => {
    const g = linear(task(members('manager')));
    g.nodes[2] = node('end', 'end', { outcome: 'rejected' });
    const sim = new Sim(g);
    sim.approve('manager');
    expect(sim.state.status).toBe('rejected');
    expect(sim.effects.at(-1)).toMatchObject({ type: 'instanceFinished', status: 'rejected' });
  });
});

describe('engine: admin actions', () => {
  it('reassigns anyone’s task, ends an instance, reactivates it where it stopped', () => {
    const sim = new Sim(twoSteps(task(members('manager'))));
    sim.send({ type: 'adminReassign', taskId: sim.taskOf('manager').id, actor: 'admin', to: 'legal' });
    sim.approve('legal');
    expect(codeOf(() => sim.send({ type: 'adminReactivate', actor: 'admin' }))).toBe('INSTANCE_NOT_FINISHED');
    sim.send({ type: 'adminEnd', actor: 'admin', comment: 'duplicate' });
    expect(sim.state.status).toBe('ended');
    expect(sim.pending()).toEqual([]);
    expect(codeOf(() => sim.send({ type: 'adminEnd', actor: 'admin' }))).toBe('INSTANCE_NOT_RUNNING');
    sim.send({ type: 'adminReactivate', actor: 'admin' });
    expect(sim.pending().map((t) => t.assignee)).toEqual(['director']);
    expect(codeOf(() => sim.send({ type: 'adminReactivate', actor: 'admin', nodeId: 'end' }))).toBe('INSTANCE_NOT_FINISHED');
  });

  it('refuses to reactivate at an end or inside parallel paths', () => {
    const sim = new Sim(linear(task(members('manager'))));
    sim.send({ type: 'adminEnd', actor: 'admin' });
    expect(codeOf(() => sim.send({ type: 'adminReactivate', actor: 'admin', nodeId: 'end' }))).toBe('INVALID_EVENT');
    expect(codeOf(() => sim.send({ type: 'adminReactivate', actor: 'admin', nodeId: 'nope' }))).toBe('INVALID_EVENT');
  });
});

describe('engine: timeline', () => {
  it('records who did what, with comments, on which node', () => {
    const sim = new Sim(linear(task(members('manager'))));
    const r = sim.approve('manager', 'fine by me');
    expect(r.timeline).toContainEqual(expect.objectContaining({ kind: 'approve', nodeId: 'a', nodeType: 'approval', actor: 'manager', comment: 'fine by me' }));
    expect(r.timeline.at(-1)).toMatchObject({ kind: 'finished', detail: { status: 'approved' } });
  });
});
