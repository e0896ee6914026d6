import type { ValidationEnv } from '../node-types/definition';
import { indexGraph, type GraphIndex } from '../graph-index';
import { graphIssue, nodeLabel } from '../messages';
import { nodeTypeOf, settingsIssues, settingsOf } from '../node-types/registry';
import { GraphIssueCode, type GraphIssue, type WorkflowGraph, type WorkflowNode } from '../types';
import { endlessLoopIssues } from './loops';
import { parallelIssues } from './parallel';

export interface ValidateGraphInput {
  graph: WorkflowGraph;
  env?: ValidationEnv;
}

/**
 * Every problem of a graph, each on the node or edge it belongs to, with a stable code and
 * messages in English and Chinese. An empty list means the graph may be published.
 */
export function validateGraph({ graph, env = {} }: ValidateGraphInput): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const known = structureIssues(graph, issues);
  const index = indexGraph({ nodes: known, edges: graph.edges.filter((e) => known.some((n) => n.id === e.from) && known.some((n) => n.id === e.to)) });
  const settled = new Set<string>();
  for (const node of known) {
    const before = issues.length;
    nodeIssues(node, index, env, issues);
    if (issues.length === before) settled.add(node.id);
  }
  for (const e of graph.edges) {
    const from = index.node(e.from);
    if (from && from.type !== 'branch' && (e.condition !== undefined || e.isDefault))
      issues.push(graphIssue({ code: GraphIssueCode.CONDITION_ON_PLAIN_EDGE, nodeId: from.id, edgeId: e.id, params: { node: nodeLabel(from) } }));
  }
  issues.push(...reachabilityIssues(index));
  issues.push(...parallelIssues(index));
  // Loops are judged on nodes whose settings are sound (the check reads them).
  const sound = { nodes: known.filter((n) => settled.has(n.id)), edges: index.graph.edges.filter((e) => settled.has(e.from) && settled.has(e.to)) };
  issues.push(...endlessLoopIssues(indexGraph(sound)));
  return issues;
}

/** Ids, types, edge ends, start and end counts; returns the nodes of known types with unique ids. */
function structureIssues(graph: WorkflowGraph, issues: GraphIssue[]): WorkflowNode[] {
  const seen = new Set<string>();
  const known: WorkflowNode[] = [];
  for (const node of graph.nodes) {
    if (seen.has(node.id)) {
      issues.push(graphIssue({ code: GraphIssueCode.DUPLICATE_ID, nodeId: node.id, params: { id: node.id } }));
      continue;
    }
    seen.add(node.id);
    if (!nodeTypeOf(node.type))
      issues.push(graphIssue({ code: GraphIssueCode.UNKNOWN_NODE_TYPE, nodeId: node.id, params: { node: nodeLabel(node), type: String(node.type) } }));
    else known.push(node);
  }
  const edgeIds = new Set<string>();
  for (const e of graph.edges) {
    if (edgeIds.has(e.id)) issues.push(graphIssue({ code: GraphIssueCode.DUPLICATE_ID, edgeId: e.id, params: { id: e.id } }));
    edgeIds.add(e.id);
    for (const end of [e.from, e.to])
      if (!seen.has(end)) issues.push(graphIssue({ code: GraphIssueCode.EDGE_UNKNOWN_NODE, edgeId: e.id, params: { id: end } }));
  }
  const starts = known.filter((n) => n.type === 'start');
  if (starts.length === 0) issues.push(graphIssue({ code: GraphIssueCode.NO_START }));
  for (const extra of starts.slice(1)) issues.push(graphIssue({ code: GraphIssueCode.MULTIPLE_STARTS, nodeId: extra.id, params: { node: nodeLabel(extra) } }));
  if (!known.some((n) => n.type === 'end')) issues.push(graphIssue({ code: GraphIssueCode.NO_END }));
  return known;
}

function nodeIssues(node: WorkflowNode, index: GraphIndex, env: ValidationEnv, issues: GraphIssue[]): void {
  const def = nodeTypeOf(node.type)!;
  const label = nodeLabel(node);
  const out = index.outgoing(node.id).length;
  if (out < def.outgoing.min)
    issues.push(graphIssue({ code: GraphIssueCode.TOO_FEW_OUTGOING, nodeId: node.id, params: { node: label, min: def.outgoing.min, count: out } }));
  if (out > def.outgoing.max)
    issues.push(graphIssue({ code: GraphIssueCode.TOO_MANY_OUTGOING, nodeId: node.id, params: { node: label, max: def.outgoing.max, count: out } }));
  if (node.type === 'start')
    for (const e of index.incoming(node.id))
      issues.push(graphIssue({ code: GraphIssueCode.INCOMING_TO_START, nodeId: node.id, edgeId: e.id, params: { node: label } }));
  const bad = settingsIssues(node);
  bad.en.forEach((issue, i) =>
    issues.push({
      code: GraphIssueCode.INVALID_SETTINGS,
      nodeId: node.id,
      path: issue.path,
      message: { en: `${label}: settings ${issue.message}`, 'zh-CN': `${label}：设置 ${bad.zh[i]?.message ?? issue.message}` },
    }),
  );
  if (bad.en.length) return; // the checks below read the settings
  const settings = settingsOf(node);
  for (const ref of def.fieldReferences?.(settings) ?? []) {
    const type = ref.entity ? env.resolveEntityField?.(ref.entity, ref.field)?.type : env.resolveField?.(ref.field)?.type;
    const checkable = ref.entity ? env.resolveEntityField : env.resolveField;
    if (!checkable) continue;
    if (!type) issues.push(graphIssue({ code: GraphIssueCode.UNKNOWN_FIELD, nodeId: node.id, path: ref.path, params: { node: label, field: ref.field } }));
    else if (ref.types && !ref.types.includes(type))
      issues.push({
        code: GraphIssueCode.INVALID_SETTINGS,
        nodeId: node.id,
        path: ref.path,
        message: {
          en: `${label}: the field "${ref.field}" is a ${type} field; this needs ${ref.types.join(' or ')}`,
          'zh-CN': `${label}：字段“${ref.field}”的类型是 ${type}，这里需要 ${ref.types.join(' 或 ')}`,
        },
      });
  }
  if (env.resolver)
    for (const { path, rules } of def.assigneeRules?.(settings) ?? [])
      if (!rules.some((r) => env.resolver!.canResolve(r)))
        issues.push(graphIssue({ code: GraphIssueCode.ASSIGNEES_RESOLVE_TO_NOBODY, nodeId: node.id, path, params: { node: label } }));
  issues.push(...(def.validate?.({ node, settings, graph: index, env }) ?? []));
}

/** Nodes the start cannot reach; reachable nodes from which no end can be reached. */
function reachabilityIssues(index: GraphIndex): GraphIssue[] {
  const start = index.start();
  const issues: GraphIssue[] = [];
  const forward = walk([start?.id].filter(Boolean) as string[], (id) => index.outgoing(id).map((e) => e.to));
  const ends = index.graph.nodes.filter((n) => n.type === 'end').map((n) => n.id);
  const backward = walk(ends, (id) => index.incoming(id).map((e) => e.from));
  for (const node of index.graph.nodes) {
    if (start && !forward.has(node.id)) issues.push(graphIssue({ code: GraphIssueCode.UNREACHABLE_NODE, nodeId: node.id, params: { node: nodeLabel(node) } }));
    else if (ends.length && !backward.has(node.id))
      issues.push(graphIssue({ code: GraphIssueCode.DEAD_END, nodeId: node.id, params: { node: nodeLabel(node) } }));
  }
  return issues;
}

function walk(from: string[], next: (id: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...next(id));
  }
  return seen;
}
