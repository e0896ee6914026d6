import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../errors';
import { context, contractGraph, edge, linear, members, node, parallelGraph, task } from '../testing/fixtures';
import { Sim } from '../testing/sim';
import type { WorkflowGraph } from '../types';
import { applyEventOrThrow } from './engine';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof WorkflowError) return err.code;
    throw err;
  }
  return 'no error';
};

describe('engine: the contract approval', () => {
  it('sends a large contract to the manager, then to all of finance, then runs the action and ends approved', () => {
    const sim = new Sim(contractGraph(), context({ amount: 20000 }));
    expect(sim.state.status).toBe('running');
    expect(sim.pending().map((t) => [t.nodeId, t.assignee])).toEqual([['manager', 'manager']]);
    expect(sim.last.effects.map((e) => e.type)).toEqual(['createTask', 'notify']);
    sim.approve('manager');
    expect(sim.pending().map((t) => t.assignee)).toEqual(['finance1', 'finance2', 'finance3']);
    sim.approve('finance2');
    sim.approve('finance1');
    expect(sim.at()).toEqual(['finance']);
    const r = sim.approve('finance3');
    const action = r.effects.find((e) => e.type === 'runAction');
    expect(action).toMatchObject({ type: 'runAction', nodeId: 'mark', action: { kind: 'setFields', values: { status: 'approved' } } });
    expect(sim.at()).toEqual(['mark']);
    const done = sim.send({ type: 'actionFinished', key: action!.key, ok: true });
    expect(sim.state.status).toBe('approved');
    expect(done.effects.map((e) => e.type)).toEqual(['notify', 'instanceFinished']);
    expect(sim.state.path).toEqual(['start', 'branch', 'manager', 'finance', 'mark', 'end']);
  });

  it('takes the default branch for a small contract', () => {
    const sim = new Sim(contractGraph(), context({ amount: 500 }));
    expect(sim.pending().map((t) => t.nodeId)).toEqual(['small']);
  });

  it('gives every effect a unique key and replays to the same ids', () => {
    const a = new Sim(contractGraph(), context({ amount: 20000 }));
    const b = new Sim(contractGraph(), context({ amount: 20000 }));
    a.approve('manager');
    b.approve('manager');
    expect(a.state).toEqual(b.state);
    const keys = a.effects.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('does not change the state it was given', () => {
    const sim = new Sim(contractGraph(), context({ amount: 20000 }));
    const before = structuredClone(sim.state);
    const frozen = sim.state;
    applyEventOrThrow({
      graph: sim.graph,
      state: frozen,
      event: { type: 'approve', id: 'x', at: sim.now(), taskId: sim.taskOf('manager').id, actor: 'manager' },
      context: sim.ctx,
    });
    expect(frozen).toEqual(before);
  });
});

describe('engine: multi-assignee modes', () => {
  const three = members('finance1', 'finance2', 'finance3');

  it('any (或签): the first approval passes the node and closes the others', () => {
    const sim = new Sim(linear(task(three, { mode: 'any' })));
    const r = sim.approve('finance2');
    expect(sim.state.status).toBe('approved');
    expect(sim.state.tasks.map((t) => t.status)).toEqual(['cancelled', 'approved', 'cancelled']);
    expect(r.effects.filter((e) => e.type === 'closeTask').map((e) => (e as { status: string }).status)).toEqual(['approved', 'cancelled', 'cancelled']);
  });

  it('all (会签): one rejection rejects the instance', () => {
    const sim = new Sim(linear(task(three, { mode: 'all' })));
    sim.approve('finance1');
    sim.send({ type: 'reject', taskId: sim.taskOf('finance3').id, actor: 'finance3' });
    expect(sim.state.status).toBe('rejected');
    expect(sim.pending()).toEqual([]);
  });

  it('sequential (依次): one task at a time, in order', () => {
    const sim = new Sim(linear(task(three, { mode: 'sequential' })));
    expect(sim.pending().map((t) => t.assignee)).toEqual(['finance1']);
    sim.approve('finance1');
    expect(sim.pending().map((t) => t.assignee)).toEqual(['finance2']);
    sim.approve('finance2');
    sim.approve('finance3');
    expect(sim.state.status).toBe('approved');
  });

  it('vote: passes at the ratio, rejects when it can no longer be reached', () => {
    const pass = new Sim(linear(task(three, { mode: 'vote', passRatio: 0.6 })));
    pass.approve('finance1');
    expect(pass.state.status).toBe('running');
    pass.send({ type: 'reject', taskId: pass.taskOf('finance2').id, actor: 'finance2' });
    expect(pass.state.status).toBe('running');
    pass.approve('finance3');
    expect(pass.state.status).toBe('approved');
    const fail = new Sim(linear(task(three, { mode: 'vote', passRatio: 0.6 })));
    fail.send({ type: 'reject', taskId: fail.taskOf('finance1').id, actor: 'finance1' });
    fail.send({ type: 'reject', taskId: fail.taskOf('finance2').id, actor: 'finance2' });
    expect(fail.state.status).toBe('rejected');
  });

  it('passes the node or hands it to the admins when the assignees resolve to nobody', () => {
    const nobody = members('ghost');
    expect(new Sim(linear(task(nobody, { whenNobody: 'autoApprove' }))).state.status).toBe('approved');
    const admins = new Sim(linear(task(nobody, { whenNobody: 'admins' })));
    expect(admins.pending().map((t) => [t.assignee, t.origin])).toEqual([['admin', 'admins']]);
  });
});

describe('engine: refused and repeated events', () => {
  it('answers a repeated event id as a duplicate with no effects', () => {
    const sim = new Sim(linear(task(members('finance1', 'finance2'), { mode: 'all' })));
    const taskId = sim.taskOf('finance1').id;
    const first = sim.send({ id: 'click', type: 'approve', taskId, actor: 'finance1' });
    expect(first.effects.length).toBeGreaterThan(0);
    const again = sim.send({ id: 'click', type: 'approve', taskId, actor: 'finance1' });
    expect(again).toMatchObject({ duplicate: true, effects: [], timeline: [] });
    expect(sim.state.tasks.filter((t) => t.status === 'approved')).toHaveLength(1);
  });

  it('refuses a decided task, a task of someone else and an unknown task, changing nothing', () => {
    const sim = new Sim(linear(task(members('finance1', 'finance2'), { mode: 'all' })));
    const taskId = sim.taskOf('finance1').id;
    sim.approve('finance1');
    const before = structuredClone(sim.state);
    expect(codeOf(() => sim.send({ type: 'approve', taskId, actor: 'finance1' }))).toBe('TASK_NOT_PENDING');
    expect(codeOf(() => sim.send({ type: 'approve', taskId: sim.taskOf('finance2').id, actor: 'finance1' }))).toBe('NOT_ASSIGNEE');
    expect(codeOf(() => sim.send({ type: 'approve', taskId: 'nope', actor: 'finance1' }))).toBe('TASK_NOT_FOUND');
    expect(codeOf(() => sim.send({ type: 'complete', taskId: sim.taskOf('finance2').id, actor: 'finance2' }))).toBe('INVALID_EVENT');
    expect(sim.state).toEqual(before);
  });

  it('refuses an unknown event type', () => {
    const sim = new Sim(linear(task(members('manager'))));
    expect(codeOf(() => sim.send({ type: 'teleport' } as never))).toBe('INVALID_EVENT');
    expect(codeOf(() => sim.send({ type: 'constructor' } as never))).toBe('INVALID_EVENT');
  });

  it('refuses decisions on a finished instance', () => {
    const sim = new Sim(linear(task(members('finance1', 'finance2'), { mode: 'any' })));
    const other = sim.taskOf('finance2').id;
    sim.approve('finance1');
    expect(codeOf(() => sim.send({ type: 'approve', taskId: other, actor: 'finance2' }))).toBe('INSTANCE_NOT_RUNNING');
  });
});

describe('engine: return (回退)', () => {
  it('returns to the previous node and to the submitter, who resubmits', () => {
    const sim = new Sim(contractGraph(), context({ amount: 20000 }));
    sim.approve('manager');
    sim.send({ type: 'return', taskId: sim.taskOf('finance1').id, actor: 'finance1', target: 'previous' });
    expect(sim.pending().map((t) => [t.nodeId, t.assignee])).toEqual([['manager', 'manager']]);
    expect(sim.state.tasks.filter((t) => t.nodeId === 'finance').map((t) => t.status)).toEqual(['returned', 'cancelled', 'cancelled']);
    const r = sim.send({ type: 'return', taskId: sim.taskOf('manager').id, actor: 'manager', target: 'start', comment: 'add the PO' });
    expect(r.effects).toContainEqual(expect.objectContaining({ type: 'notify', kind: 'returned', to: ['rep'] }));
    expect(sim.pending().map((t) => [t.kind, t.assignee])).toEqual([['resubmit', 'rep']]);
    expect(codeOf(() => sim.send({ type: 'submit', actor: 'rep2' }))).toBe('NOT_ASSIGNEE');
    sim.send({ type: 'submit', actor: 'rep' });
    expect(sim.pending().map((t) => t.nodeId)).toEqual(['manager']);
  });

  it('returns to any earlier node passed, and refuses nodes not on the way', () => {
    const sim = new Sim(contractGraph(), context({ amount: 20000 }));
    sim.approve('manager');
    const t = sim.taskOf('finance1').id;
    expect(codeOf(() => sim.send({ type: 'return', taskId: t, actor: 'finance1', target: { nodeId: 'small' } }))).toBe('INVALID_RETURN_TARGET');
    expect(codeOf(() => sim.send({ type: 'return', taskId: t, actor: 'finance1', target: { nodeId: 'branch' } }))).toBe('INVALID_RETURN_TARGET');
    sim.send({ type: 'return', taskId: t, actor: 'finance1', target: { nodeId: 'manager' } });
    expect(sim.at()).toEqual(['manager']);
  });

  it('returns out of a parallel branch and leaves no orphaned task, timer or token', () => {
    const sim = new Sim(parallelGraph());
    sim.approve('manager');
    expect(
      sim
        .pending()
        .map((t) => t.assignee)
        .sort(),
    ).toEqual(['finance1', 'legal']);
    sim.approve('finance1');
    sim.send({ type: 'return', taskId: sim.taskOf('legal').id, actor: 'legal', target: { nodeId: 'manager0' } });
    expect(sim.pending().map((t) => t.assignee)).toEqual(['manager']);
    expect(sim.state.tokens).toHaveLength(1);
    expect(sim.state.splits).toEqual([]);
    expect(sim.state.tasks.find((t) => t.assignee === 'finance2')!.status).toBe('cancelled');
    // And the split runs again from scratch.
    sim.approve('manager');
    sim.approve('legal');
    sim.approve('finance1');
    sim.approve('finance2');
    sim.approve('director');
    expect(sim.state.status).toBe('approved');
  });

  it('after a join, the nodes inside its paths are no longer a return target', () => {
    const sim = new Sim(parallelGraph());
    sim.approve('manager');
    sim.approve('legal');
    sim.approve('finance1');
    sim.approve('finance2');
    const t = sim.taskOf('director').id;
    expect(codeOf(() => sim.send({ type: 'return', taskId: t, actor: 'director', target: { nodeId: 'legal' } }))).toBe('INVALID_RETURN_TARGET');
    sim.send({ type: 'return', taskId: t, actor: 'director', target: 'previous' });
    expect(sim.pending().map((k) => k.assignee)).toEqual(['manager']);
  });

  it('an admin cannot reactivate inside parallel paths', () => {
    const sim = new Sim(parallelGraph());
    sim.send({ type: 'adminEnd', actor: 'admin' });
    expect(codeOf(() => sim.send({ type: 'adminReactivate', actor: 'admin', nodeId: 'legal' }))).toBe('INVALID_EVENT');
    sim.send({ type: 'adminReactivate', actor: 'admin', nodeId: 'director' });
    expect(sim.pending().map((k) => k.assignee)).toEqual(['director']);
  });

  it('returns inside a branch without touching the other branch', () => {
    const sim = new Sim(parallelGraph());
    sim.approve('manager');
    sim.approve('finance1');
    sim.send({ type: 'return', taskId: sim.taskOf('finance2').id, actor: 'finance2', target: 'previous' });
    expect(
      sim
        .pending()
        .map((t) => t.assignee)
        .sort(),
    ).toEqual(['finance1', 'legal']);
    expect(sim.state.tokens).toHaveLength(2);
  });

  it('refuses a return where the node does not allow it', () => {
    const sim = new Sim(linear(task(members('manager'), { allowReturn: false })));
    expect(codeOf(() => sim.send({ type: 'return', taskId: sim.taskOf('manager').id, actor: 'manager', target: 'start' }))).toBe('ACTION_NOT_ALLOWED');
  });
});

describe('engine: a join waits for all paths', () => {
  it('continues once after both parallel paths', () => {
    const sim = new Sim(parallelGraph());
    sim.approve('manager');
    sim.approve('legal');
    expect(sim.at()).toEqual(['fin']);
    sim.approve('finance1');
    sim.approve('finance2');
    expect(sim.at()).toEqual(['director']);
    expect(sim.state.path.filter((p) => p === 'director')).toHaveLength(1);
  });
});

describe('engine: endless automatic loops stop at run time', () => {
  it('fails the instance with LOOP_LIMIT instead of running for ever', () => {
    const loop: WorkflowGraph = {
      nodes: [
        node('start', 'start', { fields: {} }),
        node('b', 'branch', {}),
        node('cc', 'cc', { assignees: members('manager'), fields: {} }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      edges: [edge('start', 'b'), edge('b', 'cc', { condition: { '>': [{ var: 'amount' }, 5] } }), edge('b', 'end', { isDefault: true }), edge('cc', 'b')],
    };
    const sim = new Sim(loop, context({ amount: 10 }));
    expect(sim.state.status).toBe('failed');
    expect(sim.state.error?.code).toBe('LOOP_LIMIT');
    expect(sim.last.effects.filter((e) => e.type === 'notify' && e.kind === 'cc')).toEqual([]);
  });
});
