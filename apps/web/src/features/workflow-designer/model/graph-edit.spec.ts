import type { FieldDefinition } from '@crm/schema';
import type { WorkflowGraph } from '@crm/workflow';
import { describe, expect, it } from 'vitest';
import { addLooseNode, connect, insertAfter, insertOnEdge, removeNode, starterGraph, updateEdge } from './graph-edit';
import { layoutGraph, NODE_SIZE } from './layout';
import { indexProblems, validateLocally } from './validation';

const fields: FieldDefinition[] = [
  { key: 'amount', label: 'Amount', type: 'number', settings: {} },
  { key: 'title', label: 'Title', type: 'text', settings: {} },
];
const codes = (graph: WorkflowGraph) => validateLocally({ graph, fields }).map((p) => p.code);

describe('graph edits', () => {
  it('start from a valid start → approval → end', () => {
    const graph = starterGraph();
    expect(graph.nodes.map((n) => n.type)).toEqual(['start', 'end', 'approval']);
    expect(codes(graph)).toEqual([]);
  });

  it('insert a condition branch with a conditional path and a default; it is valid once the condition is set', () => {
    const start = starterGraph();
    const first = start.edges.find((e) => e.from === 'start_1')!;
    const { graph, nodeId } = insertOnEdge({ graph: start, edgeId: first.id, type: 'branch' });
    expect(codes(graph)).toEqual(['EDGE_WITHOUT_CONDITION']);
    const conditional = graph.edges.find((e) => e.from === nodeId && !e.isDefault)!;
    const fixed = updateEdge({ graph, edgeId: conditional.id, patch: { condition: { '>': [{ var: 'amount' }, 10000] } } });
    expect(codes(fixed)).toEqual([]);
    // A condition over a field the entity lacks is named on that connection.
    const wrong = updateEdge({ graph, edgeId: conditional.id, patch: { condition: { '>': [{ var: 'nope' }, 1] } } });
    const problems = validateLocally({ graph: wrong, fields });
    expect(problems.map((p) => [p.code, p.nodeId, p.edgeId])).toEqual([['UNKNOWN_FIELD', nodeId, conditional.id]]);
    expect(indexProblems(problems).byEdge.get(conditional.id)).toHaveLength(1);
  });

  it('makes one default per branch: choosing another clears the first and gives it an empty condition', () => {
    const { graph, nodeId } = insertAfter({ graph: starterGraph(), afterId: 'start_1', type: 'branch' });
    const [a, b] = graph.edges.filter((e) => e.from === nodeId);
    const next = updateEdge({ graph, edgeId: a.isDefault ? b.id : a.id, patch: { isDefault: true } });
    const out = next.edges.filter((e) => e.from === nodeId);
    expect(out.filter((e) => e.isDefault)).toHaveLength(1);
    expect(out.find((e) => !e.isDefault)!.condition).toBeNull();
    expect(out.find((e) => e.isDefault)!.condition).toBeUndefined();
  });

  it('inserts a parallel split with two paths and its join, valid as it comes', () => {
    const { graph, nodeId } = insertAfter({ graph: starterGraph(), afterId: 'start_1', type: 'parallel' });
    const join = graph.nodes.find((n) => n.type === 'join')!;
    expect(join.settings).toEqual({ split: nodeId });
    expect(graph.edges.filter((e) => e.from === nodeId)).toHaveLength(2);
    expect(codes(graph)).toEqual([]);
  });

  it('a loose node shows its problems until it is connected; connecting replaces a single way out', () => {
    const base = starterGraph();
    const { graph, nodeId } = addLooseNode({ graph: base, type: 'cc', position: { x: 0, y: 0 } });
    expect(new Set(codes(graph))).toEqual(new Set(['UNREACHABLE_NODE', 'TOO_FEW_OUTGOING']));
    const approval = graph.nodes.find((n) => n.type === 'approval')!;
    let next = connect({ graph, from: approval.id, to: nodeId });
    expect(next.edges.filter((e) => e.from === approval.id).map((e) => e.to)).toEqual([nodeId]);
    next = connect({ graph: next, from: nodeId, to: 'end_1' });
    expect(codes(next)).toEqual([]);
    expect(connect({ graph: next, from: nodeId, to: nodeId })).toBe(next);
  });

  it('removing a node heals the path over it; the start stays; a split takes its join along', () => {
    const base = starterGraph();
    const approval = base.nodes.find((n) => n.type === 'approval')!;
    const healed = removeNode({ graph: base, nodeId: approval.id });
    expect(healed.edges.map((e) => [e.from, e.to])).toEqual([['start_1', 'end_1']]);
    expect(removeNode({ graph: base, nodeId: 'start_1' })).toBe(base);
    const { graph, nodeId } = insertAfter({ graph: base, afterId: 'start_1', type: 'parallel' });
    const without = removeNode({ graph, nodeId });
    expect(without.nodes.some((n) => n.type === 'join')).toBe(false);
  });
});

describe('layout', () => {
  it('places every node, top to bottom along the flow, branch paths side by side', () => {
    const { graph, nodeId } = insertAfter({ graph: starterGraph(), afterId: 'start_1', type: 'branch' });
    const laid = layoutGraph(graph);
    const at = (id: string) => laid.nodes.find((n) => n.id === id)!.position!;
    expect(laid.nodes.every((n) => n.position)).toBe(true);
    expect(at('start_1').y).toBeLessThan(at(nodeId).y);
    expect(at(nodeId).y).toBeLessThan(at('end_1').y);
    const paths = laid.edges.filter((e) => e.from === nodeId).map((e) => at(e.to));
    // Two different targets below the branch do not overlap.
    const [p, q] = paths;
    expect(Math.abs(p.x - q.x) >= NODE_SIZE.width || Math.abs(p.y - q.y) >= NODE_SIZE.height).toBe(true);
  });
});
