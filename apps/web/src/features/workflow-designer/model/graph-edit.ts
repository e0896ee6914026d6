import { NODE_TYPES, type NodeTypeKey, type WorkflowEdge, type WorkflowGraph, type WorkflowNode } from '@crm/workflow';

/**
 * Pure edits of a workflow graph, as the designer makes them. Each returns a new graph and
 * never changes the one given (react state and the undo of a cancelled edit rely on that).
 */

/** A fresh id `<prefix>_<n>` not used by any node or edge of the graph. */
export function freshId(graph: WorkflowGraph, prefix: string): string {
  const used = new Set([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id)]);
  for (let n = 1; ; n++) if (!used.has(`${prefix}_${n}`)) return `${prefix}_${n}`;
}

/** A new node of the type with its defaults (a join is bound to its split by the caller). */
export function createNode(graph: WorkflowGraph, type: NodeTypeKey, position?: { x: number; y: number }): WorkflowNode {
  const node: WorkflowNode = { id: freshId(graph, type), type, settings: NODE_TYPES[type].defaultSettings() as Record<string, unknown> };
  if (position) node.position = position;
  return node;
}

/** The graph an empty workflow starts from: start → approval → end. */
export function starterGraph(): WorkflowGraph {
  let graph: WorkflowGraph = { nodes: [], edges: [] };
  const start = createNode(graph, 'start');
  graph = { ...graph, nodes: [start] };
  const end = createNode(graph, 'end');
  graph = { nodes: [start, end], edges: [{ id: 'e_1', from: start.id, to: end.id }] };
  return insertOnEdge({ graph, edgeId: 'e_1', type: 'approval' }).graph;
}

function addEdge(graph: WorkflowGraph, edge: Omit<WorkflowEdge, 'id'>): WorkflowGraph {
  return { ...graph, edges: [...graph.edges, { id: freshId(graph, 'e'), ...edge }] };
}

function addNode(graph: WorkflowGraph, node: WorkflowNode): WorkflowGraph {
  return { ...graph, nodes: [...graph.nodes, node] };
}

/** A node of the type placed on its own (dropped on the canvas); the admin connects it. */
export function addLooseNode({ graph, type, position }: { graph: WorkflowGraph; type: NodeTypeKey; position?: { x: number; y: number } }): {
  graph: WorkflowGraph;
  nodeId: string;
} {
  const node = createNode(graph, type, position);
  let next = addNode(graph, node);
  if (type === 'parallel') {
    // A split is useless without its join: they come as a pair.
    const join = { ...createNode(next, 'join', position && { x: position.x, y: position.y + 240 }), settings: { split: node.id } };
    next = addNode(next, join);
  }
  return { graph: next, nodeId: node.id };
}

/**
 * Puts a node of the type on the connection `edgeId` (A → B becomes A → N → B; the first half keeps
 * the old connection's condition, so a branch path stays a branch path). A condition branch comes
 * with a conditional path through a new approval and the default path straight on; a parallel
 * split with two paths and its join.
 */
export function insertOnEdge({ graph, edgeId, type }: { graph: WorkflowGraph; edgeId: string; type: NodeTypeKey }): { graph: WorkflowGraph; nodeId: string } {
  const edge = graph.edges.find((e) => e.id === edgeId);
  if (!edge) return { graph, nodeId: '' };
  const node = createNode(graph, type);
  let next: WorkflowGraph = { nodes: [...graph.nodes, node], edges: graph.edges.map((e) => (e.id === edgeId ? { ...e, to: node.id } : e)) };
  if (type === 'end') return { graph: next, nodeId: node.id };
  next = continueFrom(next, node, edge.to);
  return { graph: next, nodeId: node.id };
}

/** Connects a freshly placed node to `target`, with the paths a branch or a split needs. */
function continueFrom(graph: WorkflowGraph, node: WorkflowNode, target: string): WorkflowGraph {
  if (node.type === 'branch') {
    const approval = createNode(graph, 'approval');
    let next = addNode(graph, approval);
    next = addEdge(next, { from: node.id, to: approval.id, condition: null });
    next = addEdge(next, { from: approval.id, to: target });
    return addEdge(next, { from: node.id, to: target, isDefault: true });
  }
  if (node.type === 'parallel') {
    let next = graph;
    const join: WorkflowNode = { ...createNode(next, 'join'), settings: { split: node.id } };
    next = addNode(next, join);
    for (let i = 0; i < 2; i++) {
      const path = createNode(next, 'approval');
      next = addNode(next, path);
      next = addEdge(next, { from: node.id, to: path.id });
      next = addEdge(next, { from: path.id, to: join.id });
    }
    return addEdge(next, { from: join.id, to: target });
  }
  return addEdge(graph, { from: node.id, to: target });
}

/**
 * Adds a node after `afterId`: on its first outgoing connection, or as its new next step when it
 * has none yet. Without a place (an end, a full node) the node is added on its own.
 */
export function insertAfter({ graph, afterId, type }: { graph: WorkflowGraph; afterId: string; type: NodeTypeKey }): { graph: WorkflowGraph; nodeId: string } {
  const after = graph.nodes.find((n) => n.id === afterId);
  if (!after) return addLooseNode({ graph, type });
  const out = graph.edges.find((e) => e.from === afterId);
  if (out) return insertOnEdge({ graph, edgeId: out.id, type });
  if (NODE_TYPES[after.type].outgoing.max === 0) return addLooseNode({ graph, type });
  const added = addLooseNode({ graph, type });
  return { graph: addEdge(added.graph, { from: afterId, to: added.nodeId }), nodeId: added.nodeId };
}

/**
 * A new connection from → to. A node with one way out (most types) has its old connection
 * replaced; a self-connection or a second identical one (outside a branch) changes nothing.
 */
export function connect({ graph, from, to }: { graph: WorkflowGraph; from: string; to: string }): WorkflowGraph {
  const source = graph.nodes.find((n) => n.id === from);
  if (!source || from === to || !graph.nodes.some((n) => n.id === to)) return graph;
  if (source.type !== 'branch' && graph.edges.some((e) => e.from === from && e.to === to)) return graph;
  const max = NODE_TYPES[source.type].outgoing.max;
  if (max === 0) return graph;
  if (max === 1) {
    const old = graph.edges.find((e) => e.from === from);
    if (old) return { ...graph, edges: graph.edges.map((e) => (e.id === old.id ? { ...e, to } : e)) };
  }
  const branchHasDefault = graph.edges.some((e) => e.from === from && e.isDefault);
  return addEdge(graph, source.type === 'branch' ? (branchHasDefault ? { from, to, condition: null } : { from, to, isDefault: true }) : { from, to });
}

/**
 * Removes a node and its connections. A node with one way out is healed over: what led into
 * it leads to its next step. The start cannot be removed; removing a split removes its join.
 */
export function removeNode({ graph, nodeId }: { graph: WorkflowGraph; nodeId: string }): WorkflowGraph {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node || node.type === 'start') return graph;
  const outgoing = graph.edges.filter((e) => e.from === nodeId);
  const heal = outgoing.length === 1 && outgoing[0].to !== nodeId ? outgoing[0].to : undefined;
  let edges: WorkflowEdge[] = [];
  for (const e of graph.edges) {
    if (e.from === nodeId) continue;
    if (e.to !== nodeId) edges.push(e);
    else if (heal) edges.push({ ...e, to: heal });
  }
  // Healing can make a duplicate plain connection; keep the first.
  edges = edges.filter(
    (e, i) => edges.findIndex((o) => o.from === e.from && o.to === e.to && !o.condition && !o.isDefault) === i || e.condition !== undefined || e.isDefault,
  );
  let next: WorkflowGraph = { nodes: graph.nodes.filter((n) => n.id !== nodeId), edges };
  if (node.type === 'parallel') {
    const join = next.nodes.find((n) => n.type === 'join' && (n.settings as { split?: string } | undefined)?.split === nodeId);
    if (join) next = removeNode({ graph: next, nodeId: join.id });
  }
  return next;
}

export function removeEdge({ graph, edgeId }: { graph: WorkflowGraph; edgeId: string }): WorkflowGraph {
  return { ...graph, edges: graph.edges.filter((e) => e.id !== edgeId) };
}

/** Changes a node's name, settings or position. */
export function updateNode({
  graph,
  nodeId,
  patch,
}: {
  graph: WorkflowGraph;
  nodeId: string;
  patch: Partial<Omit<WorkflowNode, 'id' | 'type'>>;
}): WorkflowGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === nodeId ? { ...n, ...patch } : n)) };
}

/**
 * Changes a connection. Making one the default of its branch clears the other defaults and its
 * own condition (a default has none).
 */
export function updateEdge({
  graph,
  edgeId,
  patch,
}: {
  graph: WorkflowGraph;
  edgeId: string;
  patch: Partial<Omit<WorkflowEdge, 'id' | 'from'>>;
}): WorkflowGraph {
  const edge = graph.edges.find((e) => e.id === edgeId);
  if (!edge) return graph;
  return {
    ...graph,
    edges: graph.edges.map((e) => {
      if (e.id === edgeId) {
        const next = { ...e, ...patch };
        if (patch.isDefault) delete next.condition;
        if (patch.isDefault === false && next.condition === undefined) next.condition = null;
        return next;
      }
      if (patch.isDefault && e.from === edge.from && e.isDefault) return { ...e, isDefault: false, condition: null };
      return e;
    }),
  };
}
