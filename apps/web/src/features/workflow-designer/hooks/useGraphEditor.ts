import type { NodeTypeKey, WorkflowEdge, WorkflowGraph, WorkflowNode } from '@crm/workflow';
import { useCallback, useState } from 'react';
import type { Selection } from '../components/DesignerCanvas';
import { addLooseNode, connect, insertAfter, insertOnEdge, removeEdge, removeNode, updateEdge, updateNode } from '../model/graph-edit';
import { layoutGraph } from '../model/layout';

/** The graph being edited and the designer's edits on it (pure functions of model/graph-edit). */
export function useGraphEditor(initial: WorkflowGraph) {
  const [graph, setGraph] = useState(initial);
  const [selection, setSelection] = useState<Selection>(null);

  const add = useCallback(
    (type: NodeTypeKey) => {
      const placed =
        selection?.kind === 'edge' && graph.edges.some((e) => e.id === selection.id)
          ? insertOnEdge({ graph, edgeId: selection.id, type })
          : selection?.kind === 'node' && graph.nodes.some((n) => n.id === selection.id)
            ? insertAfter({ graph, afterId: selection.id, type })
            : addLooseNode({ graph, type });
      // Added into the flow: lay it out again so the new step has room.
      setGraph(layoutGraph(placed.graph));
      setSelection({ kind: 'node', id: placed.nodeId });
    },
    [graph, selection],
  );

  return {
    graph,
    selection,
    setSelection,
    /** Replaces the whole graph (loaded from the server, a version copied). */
    reset: (next: WorkflowGraph) => {
      setGraph(next);
      setSelection(null);
    },
    add,
    drop: (type: NodeTypeKey, position: { x: number; y: number }) => {
      const placed = addLooseNode({ graph, type, position });
      setGraph(placed.graph);
      setSelection({ kind: 'node', id: placed.nodeId });
    },
    move: (positions: Record<string, { x: number; y: number }>) =>
      setGraph((g) => ({ ...g, nodes: g.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)) })),
    connect: (from: string, to: string) => setGraph((g) => connect({ graph: g, from, to })),
    editNode: (nodeId: string, patch: Partial<Pick<WorkflowNode, 'name' | 'settings'>>) => setGraph((g) => updateNode({ graph: g, nodeId, patch })),
    editEdge: (edgeId: string, patch: Partial<Omit<WorkflowEdge, 'id' | 'from'>>) => setGraph((g) => updateEdge({ graph: g, edgeId, patch })),
    removeNodes: (ids: string[]) => {
      setGraph((g) => ids.reduce((acc, nodeId) => removeNode({ graph: acc, nodeId }), g));
      setSelection(null);
    },
    removeEdges: (ids: string[]) => {
      setGraph((g) => ids.reduce((acc, edgeId) => removeEdge({ graph: acc, edgeId }), g));
      setSelection(null);
    },
    layout: () => setGraph((g) => layoutGraph(g)),
  };
}
