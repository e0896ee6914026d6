import { WorkflowError, WorkflowErrorCode } from './errors';
import type { GraphIssue, WorkflowEdge, WorkflowGraph, WorkflowNode } from './types';

/**
 * draft → published → retired. One version of a workflow is published at a time; publishing
 * another retires it. Instances pin the version they started on, so neither step touches them.
 */
export type VersionStatus = 'draft' | 'published' | 'retired';

export interface VersionSummary {
  version: number;
  status: VersionStatus;
}

/** Only a draft may be edited; published and retired versions are history (copy them to a new draft). */
export function assertEditableOrThrow(version: VersionSummary): void {
  if (version.status !== 'draft')
    throw new WorkflowError({
      code: WorkflowErrorCode.INVALID_VERSION_CHANGE,
      message: `Version ${version.version} is ${version.status}; edit a new draft instead`,
      details: { version: version.version, status: version.status },
    });
}

/**
 * What publishing `version` changes: it becomes published and the currently published one
 * retired. Refused when it is not a draft or its graph has problems (`issues` from validateGraph).
 */
export function publishPlanOrThrow(args: { versions: readonly VersionSummary[]; version: number; issues: readonly GraphIssue[] }): {
  publish: number;
  retire: number[];
} {
  const target = args.versions.find((v) => v.version === args.version);
  if (!target)
    throw new WorkflowError({
      code: WorkflowErrorCode.INVALID_VERSION_CHANGE,
      message: `There is no version ${args.version}`,
      details: { version: args.version },
    });
  if (target.status !== 'draft')
    throw new WorkflowError({
      code: WorkflowErrorCode.INVALID_VERSION_CHANGE,
      message: `Version ${args.version} is ${target.status}; only a draft can be published`,
      details: { version: args.version, status: target.status },
    });
  if (args.issues.length)
    throw new WorkflowError({
      code: WorkflowErrorCode.INVALID_GRAPH,
      message: `Version ${args.version} has ${args.issues.length} problem(s) and cannot be published`,
      details: { version: args.version },
      issues: [...args.issues],
    });
  return { publish: args.version, retire: args.versions.filter((v) => v.status === 'published').map((v) => v.version) };
}

/** Retiring the published version leaves the workflow without one (new submissions start nothing). */
export function retirePlanOrThrow(args: { versions: readonly VersionSummary[]; version: number }): { retire: number } {
  const target = args.versions.find((v) => v.version === args.version);
  if (!target || target.status !== 'published')
    throw new WorkflowError({
      code: WorkflowErrorCode.INVALID_VERSION_CHANGE,
      message: `Version ${args.version} is not published`,
      details: { version: args.version, status: target?.status ?? null },
    });
  return { retire: args.version };
}

export type NodeChange = 'type' | 'name' | 'settings' | 'position';
export type EdgeChange = 'from' | 'to' | 'condition' | 'isDefault' | 'priority' | 'label';

export interface GraphDiff {
  nodes: { added: string[]; removed: string[]; changed: { id: string; changes: NodeChange[]; settingsKeys: string[] }[] };
  edges: { added: string[]; removed: string[]; changed: { id: string; changes: EdgeChange[] }[] };
  /** Only positions moved (or nothing changed): the flow behaves the same. */
  layoutOnly: boolean;
}

/** What changes between two versions' graphs, by node and edge id (for the designer's publish dialog). */
export function diffGraphs({ before, after }: { before: WorkflowGraph; after: WorkflowGraph }): GraphDiff {
  const nodes = diffById<WorkflowNode, NodeChange>(before.nodes, after.nodes, ['type', 'name', 'settings', 'position']);
  const edges = diffById<WorkflowEdge, EdgeChange>(before.edges, after.edges, ['from', 'to', 'condition', 'isDefault', 'priority', 'label']);
  const beforeNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const changedNodes = nodes.changed.map(({ id, changes }) => {
    const a = (beforeNodes.get(id)?.settings ?? {}) as Record<string, unknown>;
    const b = (after.nodes.find((n) => n.id === id)?.settings ?? {}) as Record<string, unknown>;
    const settingsKeys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !same(a[k], b[k])).sort();
    return { id, changes, settingsKeys };
  });
  const layoutOnly =
    !nodes.added.length &&
    !nodes.removed.length &&
    !edges.added.length &&
    !edges.removed.length &&
    !edges.changed.length &&
    nodes.changed.every((c) => c.changes.every((x) => x === 'position'));
  return { nodes: { added: nodes.added, removed: nodes.removed, changed: changedNodes }, edges, layoutOnly };
}

function diffById<T extends { id: string }, C extends string>(before: readonly T[], after: readonly T[], keys: readonly C[]) {
  const a = new Map(before.map((x) => [x.id, x]));
  const b = new Map(after.map((x) => [x.id, x]));
  const changed: { id: string; changes: C[] }[] = [];
  for (const [id, x] of b) {
    const old = a.get(id);
    if (!old) continue;
    const changes = keys.filter((k) => !same((old as Record<string, unknown>)[k], (x as Record<string, unknown>)[k]));
    if (changes.length) changed.push({ id, changes });
  }
  return { added: [...b.keys()].filter((id) => !a.has(id)), removed: [...a.keys()].filter((id) => !b.has(id)), changed };
}

/** Structural equality of JSON values, key order ignored. */
function same(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  const kx = Object.keys(x).filter((k) => (x as Record<string, unknown>)[k] !== undefined);
  const ky = Object.keys(y).filter((k) => (y as Record<string, unknown>)[k] !== undefined);
  return kx.length === ky.length && kx.every((k) => same((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]));
}
