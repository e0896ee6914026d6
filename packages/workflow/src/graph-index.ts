import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from './types';

/** Lookups over a graph, built once per call (graphs are small: at most a few hundred nodes). */
export interface GraphIndex {
  graph: WorkflowGraph;
  node(id: string): WorkflowNode | undefined;
  /** Outgoing edges in the order branch conditions are tried (priority, then array order). */
  outgoing(id: string): WorkflowEdge[];
  incoming(id: string): WorkflowEdge[];
  start(): WorkflowNode | undefined;
}

const cache = new WeakMap<WorkflowGraph, GraphIndex>();

/**
 * The lookups of a graph, cached per graph object: a runtime that keeps each version's graph
 * (it never changes once published) pays for them once. Do not mutate a graph after indexing it.
 */
export function indexGraph(graph: WorkflowGraph): GraphIndex {
  let index = cache.get(graph);
  if (!index) {
    index = buildIndex(graph);
    cache.set(graph, index);
  }
  return index;
}

function buildIndex(graph: WorkflowGraph): GraphIndex {
  const nodes = new Map<string, WorkflowNode>();
  for (const n of graph.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
  const out = new Map<string, WorkflowEdge[]>();
  const inc = new Map<string, WorkflowEdge[]>();
  graph.edges.forEach((e) => {
    out.set(e.from, [...(out.get(e.from) ?? []), e]);
    inc.set(e.to, [...(inc.get(e.to) ?? []), e]);
  });
  const order = new Map(graph.edges.map((e, i) => [e.id, i]));
  for (const list of out.values()) list.sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0) || order.get(a.id)! - order.get(b.id)!);
  return {
    graph,
    node: (id) => nodes.get(id),
    outgoing: (id) => out.get(id) ?? [],
    incoming: (id) => inc.get(id) ?? [],
    start: () => graph.nodes.find((n) => n.type === 'start'),
  };
}
