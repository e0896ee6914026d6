import dagre from '@dagrejs/dagre';
import type { WorkflowGraph } from '@crm/workflow';

/** The size every node is drawn at on the canvas (the layout spaces them by it). */
export const NODE_SIZE = { width: 220, height: 72 } as const;

/**
 * Top-down layered layout (dagre): every node gets a position, the start at the top, branches
 * side by side. Positions are the nodes' top-left corners, as React Flow wants them.
 */
export function layoutGraph(graph: WorkflowGraph): WorkflowGraph {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  // edgesep keeps a long connection (a default path past a branch's other paths) clear of the nodes beside it.
  g.setGraph({ rankdir: 'TB', nodesep: 48, edgesep: NODE_SIZE.width / 2 + 24, ranksep: 56, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: NODE_SIZE.width, height: NODE_SIZE.height });
  const known = new Set(graph.nodes.map((n) => n.id));
  for (const edge of graph.edges) if (known.has(edge.from) && known.has(edge.to)) g.setEdge(edge.from, edge.to, {}, edge.id);
  dagre.layout(g);
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const placed = g.node(node.id) as { x: number; y: number } | undefined;
      if (!placed) return node;
      return { ...node, position: { x: Math.round(placed.x - NODE_SIZE.width / 2), y: Math.round(placed.y - NODE_SIZE.height / 2) } };
    }),
  };
}

/** Whether some node has no position yet (a graph from the API or a template): lay it out then. */
export function needsLayout(graph: WorkflowGraph): boolean {
  return graph.nodes.some((n) => !n.position);
}
