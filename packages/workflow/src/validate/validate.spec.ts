import { describe, expect, it } from 'vitest';
import { contractGraph, directoryResolver, edge, linear, members, node, parallelGraph, resolveField, task } from '../testing/fixtures';
import type { GraphIssue, WorkflowGraph } from '../types';
import { validateGraph } from './validate';

const env = { resolveField, resolver: directoryResolver() };
const codes = (issues: GraphIssue[]) => issues.map((i) => [i.code, i.nodeId ?? i.edgeId ?? null]);
const check = (graph: WorkflowGraph) => validateGraph({ graph, env });

describe('validateGraph', () => {
  it('passes the sample graphs', () => {
    expect(check(contractGraph())).toEqual([]);
    expect(check(parallelGraph())).toEqual([]);
    expect(check(linear(task(members('manager'))))).toEqual([]);
  });

  it('names a missing start and end', () => {
    const issues = check({ nodes: [node('a', 'approval', task(members('manager')))], edges: [] });
    expect(codes(issues)).toEqual(
      expect.arrayContaining([
        ['NO_START', null],
        ['NO_END', null],
      ]),
    );
    expect(issues.find((i) => i.code === 'NO_START')!.message).toEqual({ en: 'The workflow has no start node', 'zh-CN': '流程缺少开始节点' });
  });

  it('names unreachable nodes and dead ends on their node', () => {
    const g = linear(task(members('manager')));
    g.nodes.push(node('orphan', 'approval', task(members('manager'))), node('loop', 'approval', task(members('manager'))));
    g.edges.push(edge('orphan', 'end'), edge('a', 'loop'), edge('loop', 'loop'));
    g.edges = g.edges.filter((e) => e.id !== 'a->end');
    g.edges.push({ id: 'a-end', from: 'a', to: 'end' });
    // a now has two outgoing edges (too many for an approval) and loop never reaches an end.
    const issues = codes(check(g));
    expect(issues).toEqual(
      expect.arrayContaining([
        ['UNREACHABLE_NODE', 'orphan'],
        ['DEAD_END', 'loop'],
        ['TOO_MANY_OUTGOING', 'a'],
      ]),
    );
  });

  it('refuses a branch without a default and edges without conditions', () => {
    const g = contractGraph();
    g.edges = g.edges.map((e) => (e.id === 'branch->small' ? { ...e, isDefault: false } : e));
    expect(codes(check(g))).toEqual(
      expect.arrayContaining([
        ['BRANCH_WITHOUT_DEFAULT', 'branch'],
        ['EDGE_WITHOUT_CONDITION', 'branch'],
      ]),
    );
  });

  it('names conditions over unknown fields with the edge and the field', () => {
    const g = contractGraph();
    g.edges[1] = { ...g.edges[1], condition: { '>': [{ var: 'amout' }, 10000] } };
    const issues = check(g);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'UNKNOWN_FIELD', nodeId: 'branch', edgeId: 'branch->manager' });
    expect(issues[0].message.en).toContain('amout');
    expect(issues[0].message['zh-CN']).toContain('amout');
  });

  it('refuses invalid conditions and conditions on plain edges', () => {
    const g = contractGraph();
    g.edges[1] = { ...g.edges[1], condition: { frobnicate: [1] } };
    g.edges[3] = { ...g.edges[3], condition: { '==': [{ var: 'amount' }, 1] } };
    expect(codes(check(g))).toEqual(
      expect.arrayContaining([
        ['INVALID_CONDITION', 'branch'],
        ['CONDITION_ON_PLAIN_EDGE', 'manager'],
      ]),
    );
  });

  it('names a join without its split and a split without its join', () => {
    const g = parallelGraph();
    g.nodes = g.nodes.map((n) => (n.id === 'join' ? { ...n, settings: { split: 'manager0' } } : n));
    expect(codes(check(g))).toEqual(
      expect.arrayContaining([
        ['JOIN_WITHOUT_SPLIT', 'join'],
        ['SPLIT_WITHOUT_JOIN', 'split'],
      ]),
    );
  });

  it('refuses paths that leave or enter a parallel region', () => {
    const g = parallelGraph();
    g.edges.push(edge('manager0', 'fin2'));
    g.nodes = g.nodes.map((n) => (n.id === 'manager0' ? { ...n, type: 'branch', settings: {} } : n));
    g.edges = g.edges.map((e) =>
      e.id === 'manager0->split' ? { ...e, isDefault: true } : e.id === 'manager0->fin2' ? { ...e, condition: { '>': [{ var: 'amount' }, 1] } } : e,
    );
    expect(codes(check(g))).toEqual(expect.arrayContaining([['PARALLEL_REGION_ENTERED', 'fin2']]));
    const h = parallelGraph();
    h.nodes = h.nodes.map((n) => (n.id === 'legal' ? { ...n, type: 'branch', settings: {} } : n));
    h.edges.push(edge('legal', 'end', { isDefault: true }));
    h.edges = h.edges.map((e) => (e.id === 'legal->join' ? { ...e, condition: { '>': [{ var: 'amount' }, 1] } } : e));
    expect(codes(check(h))).toEqual(expect.arrayContaining([['PARALLEL_BRANCH_ESCAPES', 'legal']]));
  });

  it('names assignees that resolve to nobody, through the injected resolver', () => {
    const g = linear(
      task([
        { kind: 'roles', ids: ['empty'] },
        { kind: 'members', ids: ['ghost'] },
      ]),
    );
    expect(codes(check(g))).toEqual([['ASSIGNEES_RESOLVE_TO_NOBODY', 'a']]);
    expect(check(linear(task([{ kind: 'roles', ids: ['empty'] }, { kind: 'submitter' }])))).toEqual([]);
  });

  it('checks member fields and field permissions against the record fields', () => {
    const g = linear(task([{ kind: 'memberField', field: 'title' }], { fields: { amount: 'editable', nope: 'required' } }));
    const issues = check(g);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['UNKNOWN_FIELD', '/fields/nope'],
      ['INVALID_SETTINGS', '/assignees/0/field'],
    ]);
  });

  it('checks settings against the node type schema, in both languages', () => {
    const g = linear({ ...task(members('manager')), mode: 'vote' });
    const issues = check(g);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'INVALID_SETTINGS', nodeId: 'a', path: '/passRatio' });
    expect(issues[0].message['zh-CN']).not.toEqual(issues[0].message.en);
    expect(codes(check(linear({ ...task(members('manager')), mode: 'maybe' })))).toEqual([['INVALID_SETTINGS', 'a']]);
  });

  it('refuses loops that cannot end and accepts loops through a person', () => {
    const endless: WorkflowGraph = {
      nodes: [
        node('start', 'start', { fields: {} }),
        node('b', 'branch', {}),
        node('cc', 'cc', { assignees: members('manager'), fields: {} }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      edges: [edge('start', 'b'), edge('b', 'cc', { condition: { '>': [{ var: 'amount' }, 5] } }), edge('b', 'end', { isDefault: true }), edge('cc', 'b')],
    };
    expect(codes(check(endless))).toEqual([['ENDLESS_LOOP', 'b']]);
    const writes = structuredClone(endless);
    writes.nodes[2] = node('cc', 'action', { action: { kind: 'setFields', values: { amount: 0 } }, onError: 'stop' });
    expect(check(writes)).toEqual([]);
    const writesOther = structuredClone(endless);
    writesOther.nodes[2] = node('cc', 'action', { action: { kind: 'setFields', values: { title: 'x' } }, onError: 'stop' });
    expect(codes(check(writesOther))).toEqual([['ENDLESS_LOOP', 'b']]);
    const human = structuredClone(endless);
    human.nodes[2] = node('cc', 'fill', task(members('rep')));
    expect(check(human)).toEqual([]);
  });

  it('names duplicate ids, unknown types and edges to missing nodes', () => {
    const g = linear(task(members('manager')));
    g.nodes.push(node('a', 'approval', task(members('manager'))), { id: 'x', type: 'teleport' as never });
    g.edges.push(edge('a', 'ghost'));
    expect(codes(check(g))).toEqual(
      expect.arrayContaining([
        ['DUPLICATE_ID', 'a'],
        ['UNKNOWN_NODE_TYPE', 'x'],
        ['EDGE_UNKNOWN_NODE', 'a->ghost'],
      ]),
    );
  });

  it('refuses an edge into the start and the wrong number of edges', () => {
    const g = linear(task(members('manager')));
    g.edges.push(edge('a', 'start'));
    g.edges.push(edge('end', 'a'));
    expect(codes(check(g))).toEqual(
      expect.arrayContaining([
        ['INCOMING_TO_START', 'start'],
        ['TOO_MANY_OUTGOING', 'end'],
        ['TOO_MANY_OUTGOING', 'a'],
      ]),
    );
  });
});
