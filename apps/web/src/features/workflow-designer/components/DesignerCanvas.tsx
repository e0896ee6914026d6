import { NODE_TYPES, isNodeTypeKey, type NodeTypeKey, type WorkflowGraph, type WorkflowNode } from '@crm/workflow';
import { Background, Controls, MarkerType, MiniMap, ReactFlow, useReactFlow, type Edge, type EdgeChange, type NodeChange, type OnConnect } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { localeOf, nodeTitle } from '../../../workflow-nodes/shared/node-title';
import { conditionSummary } from '../model/condition-summary';
import { edgeRoutes, NODE_SIZE } from '../model/layout';
import { problemMessage, type ProblemIndex } from '../model/validation';
import { FlowNode, type FlowNodeData, type FlowNodeType } from './FlowNode';
import { RoutedEdge } from './RoutedEdge';
import { useFlowAriaLabels } from './useFlowAriaLabels';

export const PALETTE_MIME = 'application/x-crm-workflow-node';
const nodeTypes = { wf: FlowNode };
const edgeTypes = { routed: RoutedEdge };

export type Selection = { kind: 'node'; id: string } | { kind: 'edge'; id: string } | null;

interface Props {
  graph: WorkflowGraph;
  problems: ProblemIndex;
  selection: Selection;
  onSelect(selection: Selection): void;
  readOnly: boolean;
  /** Node positions moved by dragging (committed when the drag ends). */
  onMove?(positions: Record<string, { x: number; y: number }>): void;
  onConnect?(from: string, to: string): void;
  onDrop?(type: NodeTypeKey, position: { x: number; y: number }): void;
  onDelete?(selection: { nodes: string[]; edges: string[] }): void;
  /** A version view: the nodes the instance passed and where it waits now. */
  path?: readonly string[];
  active?: readonly string[];
}

/** The React Flow canvas over a workflow graph: nodes, connections, zoom, fit, minimap; drag, connect and drop. */
export function DesignerCanvas(props: Props) {
  const { graph, problems, selection, onSelect, readOnly, path, active } = props;
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { screenToFlowPosition, fitView } = useReactFlow();
  const ariaLabelConfig = useFlowAriaLabels();
  const [dragging, setDragging] = useState<Record<string, { x: number; y: number }>>({});
  const nodeData = useNodeData({ graph, problems, language, path, active });

  const nodes: FlowNodeType[] = useMemo(
    () =>
      graph.nodes.map((n) => {
        const data = nodeData.get(n.id)!;
        const count = data.problems.length;
        return {
          id: n.id,
          type: 'wf',
          position: dragging[n.id] ?? n.position ?? { x: 0, y: 0 },
          // Fixed sizes: the minimap and fit-view know every node's box without waiting for a measure.
          width: NODE_SIZE.width,
          height: NODE_SIZE.height,
          data,
          selected: selection?.kind === 'node' && selection.id === n.id,
          ariaLabel: `${data.typeLabel}: ${data.title}${count ? ` — ${t('workflows.problems.count', { count })}` : ''}`,
          draggable: !readOnly,
          connectable: !readOnly,
          deletable: !readOnly && n.type !== 'start',
        };
      }),
    [graph.nodes, nodeData, dragging, selection, readOnly, t],
  );

  // Routes of the auto layout, recomputed when the structure changes (not on every drag).
  const structure = useMemo(() => JSON.stringify({ n: graph.nodes.map((n) => [n.id, n.type]), e: graph.edges.map((e) => [e.id, e.from, e.to]) }), [graph]);
  const routes = useMemo(() => edgeRoutes(graph), [structure]); // graph read as of this structure

  const edges: Edge[] = useMemo(() => {
    const onPath = new Set(path ?? []);
    const positions = new Map(graph.nodes.map((n) => [n.id, dragging[n.id] ?? n.position]));
    const same = (a?: { x: number; y: number }, b?: { x: number; y: number }) => Boolean(a && b && a.x === b.x && a.y === b.y);
    return graph.edges.map((e) => {
      const from = graph.nodes.find((n) => n.id === e.from);
      const label = from?.type === 'branch' ? e.label || (e.isDefault ? t('workflows.branch.default') : conditionSummary(e.condition, t)) : e.label;
      const bad = problems.byEdge.has(e.id);
      const taken = onPath.has(e.from) && onPath.has(e.to);
      const route = routes.get(e.id);
      const routed = route && same(positions.get(e.from), route.from) && same(positions.get(e.to), route.to);
      return {
        id: e.id,
        type: 'routed',
        data: routed ? { points: route.points } : {},
        source: e.from,
        target: e.to,
        label,
        ariaLabel: t('workflows.canvas.edgeLabel', {
          from: nodeTitle(from, language),
          to: nodeTitle(
            graph.nodes.find((n) => n.id === e.to),
            language,
          ),
        }),
        markerEnd: { type: MarkerType.ArrowClosed },
        selected: selection?.kind === 'edge' && selection.id === e.id,
        className: [bad && 'wf-edge--problem', taken && 'wf-edge--path'].filter(Boolean).join(' ') || undefined,
        deletable: !readOnly,
      };
    });
  }, [graph, problems, selection, path, readOnly, t, language, routes, dragging]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNodeType>[]) => {
      const moved: Record<string, { x: number; y: number }> = {};
      let done = false;
      for (const c of changes) {
        if (c.type === 'position' && c.position) moved[c.id] = c.position;
        if (c.type === 'position' && c.dragging === false) done = true;
        if (c.type === 'select' && c.selected) onSelect({ kind: 'node', id: c.id });
      }
      if (Object.keys(moved).length) setDragging((d) => ({ ...d, ...moved }));
      if (done) {
        setDragging((d) => {
          if (Object.keys(d).length) props.onMove?.({ ...d, ...moved });
          return {};
        });
      }
    },
    [onSelect, props],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      for (const c of changes) if (c.type === 'select' && c.selected) onSelect({ kind: 'edge', id: c.id });
    },
    [onSelect],
  );

  const onConnect: OnConnect = useCallback((c) => props.onConnect?.(c.source, c.target), [props]);
  const wrapper = useRef<HTMLDivElement>(null);
  useRefitOnResize(wrapper, fitView);

  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(PALETTE_MIME);
    if (readOnly || !isNodeTypeKey(type)) return;
    event.preventDefault();
    props.onDrop?.(type, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
  };

  return (
    <div
      ref={wrapper}
      className="wf-canvas"
      role="region"
      aria-label={t('workflows.canvas.label')}
      onDragOver={(e) => {
        if (!readOnly && e.dataTransfer.types.includes(PALETTE_MIME)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }
      }}
      onDrop={onDrop}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onDelete={({ nodes: n, edges: e }) => props.onDelete?.({ nodes: n.map((x) => x.id), edges: e.map((x) => x.id) })}
        onPaneClick={() => onSelect(null)}
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        ariaLabelConfig={ariaLabelConfig}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        minZoom={0.2}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable nodeColor={(n) => minimapColour(n.data as FlowNodeData)} />
      </ReactFlow>
    </div>
  );
}

/** A canvas that changes width (a phone turned, the window resized) fits the graph again. */
function useRefitOnResize(wrapper: RefObject<HTMLDivElement | null>, fitView: ReturnType<typeof useReactFlow>['fitView']) {
  useEffect(() => {
    const element = wrapper.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    let width = element.clientWidth;
    const observer = new ResizeObserver(() => {
      if (Math.abs(element.clientWidth - width) < 40) return;
      width = element.clientWidth;
      void fitView({ padding: 0.2, maxZoom: 1 });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [wrapper, fitView]);
}

function minimapColour(data: FlowNodeData | undefined): string {
  if (!data) return '#d9d9d9';
  if (data.problems.length) return '#b42318';
  return NODE_TYPES[data.node.type].designer.color;
}

/**
 * The data object of every node, kept when nothing about the node changed, so React Flow
 * re-renders only the nodes that did (FlowNode is memoised on its props).
 */
function useNodeData(args: { graph: WorkflowGraph; problems: ProblemIndex; language: string; path?: readonly string[]; active?: readonly string[] }) {
  const cache = useRef(new Map<string, { node: WorkflowNode; key: string; data: FlowNodeData }>());
  return useMemo(() => {
    const { graph, problems, language, path, active } = args;
    const onPath = path ? new Set(path) : undefined;
    const now = new Set(active ?? []);
    const next = new Map<string, FlowNodeData>();
    const kept = new Map<string, { node: WorkflowNode; key: string; data: FlowNodeData }>();
    for (const node of graph.nodes) {
      const messages = (problems.byNode.get(node.id) ?? []).map((p) => problemMessage(p, language));
      const mark: FlowNodeData['mark'] = !onPath ? undefined : now.has(node.id) ? 'active' : onPath.has(node.id) ? 'path' : 'off';
      const key = `${language}|${mark}|${messages.join('\n')}`;
      const old = cache.current.get(node.id);
      const data =
        old && old.node === node && old.key === key
          ? old.data
          : { node, title: nodeTitle(node, language), typeLabel: NODE_TYPES[node.type].label[localeOf(language)], problems: messages, mark };
      kept.set(node.id, { node, key, data });
      next.set(node.id, data);
    }
    cache.current = kept;
    return next;
  }, [args.graph, args.problems, args.language, args.path, args.active]);
}
