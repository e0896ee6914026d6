/** The languages of every message the package produces. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
/** A text in both languages. */
export type Message = Record<Locale, string>;

/** Every node type, in palette order. Adding one: a definition in `node-types/` and its key here. */
export const NODE_TYPE_KEYS = ['start', 'approval', 'fill', 'cc', 'branch', 'parallel', 'join', 'action', 'wait', 'subprocess', 'end'] as const;
export type NodeTypeKey = (typeof NODE_TYPE_KEYS)[number];

/** One node of a workflow graph; `settings` are checked against its type's JSON Schema. */
export interface WorkflowNode {
  /** Stable id chosen by the designer (kept across versions, so diffs and instances can name it). */
  id: string;
  type: NodeTypeKey;
  name?: string;
  settings?: Record<string, unknown>;
  /** Canvas position; the engine ignores it. */
  position?: { x: number; y: number };
}

/**
 * A directed edge. Out of a `branch` node every edge but the default carries a json-logic
 * `condition`; they are tried in array order (`priority` when given, lower first).
 */
export interface WorkflowEdge {
  id: string;
  from: string;
  to: string;
  condition?: unknown;
  isDefault?: boolean;
  priority?: number;
  label?: string;
}

/** The graph of one workflow version. */
export interface WorkflowGraph {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}

/** Record values in API form (what the records API reads and writes). */
export type RecordValues = Readonly<Record<string, unknown>>;

/** A problem of a graph, on the node (or edge) it belongs to. */
export interface GraphIssue {
  code: GraphIssueCode;
  nodeId?: string;
  edgeId?: string;
  /** JSON pointer inside the node's settings or the edge, when the problem is in one part of it. */
  path?: string;
  message: Message;
}

/** Stable codes of graph validation (docs/workflows.md lists them with their meaning). */
export const GraphIssueCode = {
  /** The value is not shaped like a graph (parseGraphOrThrow). */
  MALFORMED_GRAPH: 'MALFORMED_GRAPH',
  NO_START: 'NO_START',
  MULTIPLE_STARTS: 'MULTIPLE_STARTS',
  NO_END: 'NO_END',
  DUPLICATE_ID: 'DUPLICATE_ID',
  UNKNOWN_NODE_TYPE: 'UNKNOWN_NODE_TYPE',
  EDGE_UNKNOWN_NODE: 'EDGE_UNKNOWN_NODE',
  INVALID_SETTINGS: 'INVALID_SETTINGS',
  TOO_FEW_OUTGOING: 'TOO_FEW_OUTGOING',
  TOO_MANY_OUTGOING: 'TOO_MANY_OUTGOING',
  INCOMING_TO_START: 'INCOMING_TO_START',
  UNREACHABLE_NODE: 'UNREACHABLE_NODE',
  DEAD_END: 'DEAD_END',
  BRANCH_WITHOUT_DEFAULT: 'BRANCH_WITHOUT_DEFAULT',
  BRANCH_MULTIPLE_DEFAULTS: 'BRANCH_MULTIPLE_DEFAULTS',
  EDGE_WITHOUT_CONDITION: 'EDGE_WITHOUT_CONDITION',
  CONDITION_ON_PLAIN_EDGE: 'CONDITION_ON_PLAIN_EDGE',
  INVALID_CONDITION: 'INVALID_CONDITION',
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  JOIN_WITHOUT_SPLIT: 'JOIN_WITHOUT_SPLIT',
  SPLIT_WITHOUT_JOIN: 'SPLIT_WITHOUT_JOIN',
  JOIN_ENTERED_FROM_OUTSIDE: 'JOIN_ENTERED_FROM_OUTSIDE',
  PARALLEL_BRANCH_ESCAPES: 'PARALLEL_BRANCH_ESCAPES',
  ASSIGNEES_RESOLVE_TO_NOBODY: 'ASSIGNEES_RESOLVE_TO_NOBODY',
  PARALLEL_REGION_ENTERED: 'PARALLEL_REGION_ENTERED',
  ENDLESS_LOOP: 'ENDLESS_LOOP',
} as const;
export type GraphIssueCode = (typeof GraphIssueCode)[keyof typeof GraphIssueCode];
