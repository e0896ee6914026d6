import dagre from '@dagrejs/dagre';
import type { WorkflowGraph } from '@crm/workflow';

/** The size every node is drawn at on the canvas (the layout spaces them by it). */
export const NODE_SIZE = { width: 220, height: 72 } as const;

/**
 * Top-down layered layout (dagre): every node gets a position, the start at the top, branches
 * side by side. Positions are the nodes' top-left corners, as React Flow wants them.
 */
export function layoutGraph(graph: WorkflowGraph): WorkflowGraph {
  return runLayout(graph).graph;
}

/** Where dagre routes a connection: its bends, valid while both ends stay where the layout put them. */
export interface EdgeRoute {
  points: { x: number; y: number }[];
  from: { x: number; y: number };
  to: { x: number; y: number };
}

/** The routes of the connections in the layout of this graph's structure (for drawing a path that skips ranks around the nodes). */
export function edgeRoutes(graph: WorkflowGraph): Map<string, EdgeRoute> {
  return runLayout(graph).routes;
}

function runLayout(graph: WorkflowGraph): { graph: WorkflowGraph; routes: Map<string, EdgeRoute> } {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 48, edgesep: 24, ranksep: 56, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: NODE_SIZE.width, height: NODE_SIZE.height });
  const known = new Set(graph.nodes.map((n) => n.id));
  const branches = new Set(graph.nodes.filter((n) => n.type === 'branch').map((n) => n.id));
  // A branch's paths carry labels (the condition, "default"): reserving their width also keeps a
  // path that skips a rank (the default path past a conditional step) clear of the nodes beside it.
  for (const edge of graph.edges)
    if (known.has(edge.from) && known.has(edge.to))
      g.setEdge(edge.from, edge.to, branches.has(edge.from) ? { width: 140, height: 24, labelpos: 'c' } : {}, edge.id);
  dagre.layout(g);
  const at = (id: string) => {
    const placed = g.node(id) as { x: number; y: number } | undefined;
    return placed && { x: Math.round(placed.x - NODE_SIZE.width / 2), y: Math.round(placed.y - NODE_SIZE.height / 2) };
  };
  const routes = new Map<string, EdgeRoute>();
  for (const edge of graph.edges) {
    const label = g.edge({ v: edge.from, w: edge.to, name: edge.id }) as { points?: { x: number; y: number }[] } | undefined;
    const from = at(edge.from);
    const to = at(edge.to);
    if (label?.points && from && to) routes.set(edge.id, { points: label.points, from, to });
  }
  return {
    graph: { ...graph, nodes: graph.nodes.map((node) => ({ ...node, position: at(node.id) ?? node.position })) },
    routes,
  };
}

/** Whether some node has no position yet (a graph from the API or a template): lay it out then. */
export function needsLayout(graph: WorkflowGraph): boolean {
  return graph.nodes.some((n) => !n.position);
}
