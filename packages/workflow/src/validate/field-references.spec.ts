import { describe, expect, it } from 'vitest';
import { fieldPermissionsAt } from '../queries';
import { directoryResolver, edge, linear, members, node, resolveField, task } from '../testing/fixtures';
import { Sim } from '../testing/sim';
import type { WorkflowGraph, WorkflowNode } from '../types';
import { validateGraph } from './validate';

const around = (middle: WorkflowNode): WorkflowGraph => ({
  nodes: [node('start', 'start', { fields: {} }), middle, node('end', 'end', { outcome: 'approved' })],
  edges: [edge('start', middle.id), edge(middle.id, 'end')],
});
const resolveEntityField = (entity: string, key: string) => (entity === 'invoice' && key === 'total' ? { type: 'number' as const } : undefined);
const check = (g: WorkflowGraph) =>
  validateGraph({ graph: g, env: { resolveField, resolveEntityField, resolver: directoryResolver() } }).map((i) => [i.code, i.nodeId, i.path]);

describe('field references of node settings', () => {
  it('action: set-fields keys, create-record fields of the other entity, values copied from fields', () => {
    expect(check(around(node('x', 'action', { action: { kind: 'setFields', values: { status: 'done', nope: 1 } }, onError: 'stop' })))).toEqual([
      ['UNKNOWN_FIELD', 'x', '/action/values/nope'],
    ]);
    const create = node('x', 'action', {
      action: { kind: 'createRecord', entity: 'invoice', values: { total: { var: 'amount' }, tax: 1, ref: { var: 'ghost' } } },
      onError: 'stop',
    });
    expect(check(around(create))).toEqual([
      ['UNKNOWN_FIELD', 'x', '/action/values/tax'],
      ['UNKNOWN_FIELD', 'x', '/action/values/ref'],
      ['UNKNOWN_FIELD', 'x', '/action/values/ref/var'],
    ]);
  });

  it('wait: the date field must exist and be a date', () => {
    expect(check(around(node('w', 'wait', { mode: 'untilField', field: 'due' })))).toEqual([]);
    expect(check(around(node('w', 'wait', { mode: 'untilField', field: 'title' })))).toEqual([['INVALID_SETTINGS', 'w', '/field']]);
    expect(check(around(node('w', 'wait', { mode: 'untilField', field: 'gone' })))).toEqual([['UNKNOWN_FIELD', 'w', '/field']]);
  });

  it('sub-process: the relation field must be a relation', () => {
    expect(check(around(node('s', 'subprocess', { workflowId: 'w2', relationField: 'customer', wait: true })))).toEqual([]);
    expect(check(around(node('s', 'subprocess', { workflowId: 'w2', relationField: 'owner', wait: true })))).toEqual([
      ['INVALID_SETTINGS', 's', '/relationField'],
    ]);
  });

  it('skips a check whose part of the environment is not given', () => {
    expect(validateGraph({ graph: around(node('w', 'wait', { mode: 'untilField', field: 'gone' })) })).toEqual([]);
  });
});

describe('fieldPermissionsAt', () => {
  it('gives the node’s field permissions while the task is pending, nothing after', () => {
    const g = linear(task(members('manager'), { fields: { amount: 'editable', title: 'required', owner: 'hidden' } }));
    const sim = new Sim(g);
    const taskId = sim.taskOf('manager').id;
    expect(fieldPermissionsAt({ graph: g, state: sim.state, taskId })).toEqual({ amount: 'editable', title: 'required', owner: 'hidden' });
    sim.approve('manager');
    expect(fieldPermissionsAt({ graph: g, state: sim.state, taskId })).toEqual({});
    expect(fieldPermissionsAt({ graph: g, state: sim.state, taskId: 'nope' })).toEqual({});
  });
});
