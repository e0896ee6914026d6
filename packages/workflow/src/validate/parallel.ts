import { graphIssue, nodeLabel } from '../messages';
import type { GraphIndex } from '../graph-index';
import { GraphIssueCode, type GraphIssue } from '../types';

/** A parallel split, its join and the nodes of its paths (between them, neither included). */
export interface ParallelRegion {
  split: string;
  join: string;
  nodes: Set<string>;
}

function joinsOf(index: GraphIndex, splitId: string): string[] {
  return index.graph.nodes.filter((n) => n.type === 'join' && (n.settings as { split?: unknown } | undefined)?.split === splitId).map((n) => n.id);
}

/** Nodes reachable from the split without passing its join (an end is never inside: reaching one escapes). */
function regionNodes(index: GraphIndex, splitId: string, joinId: string): Set<string> {
  const seen = new Set<string>();
  const stack = index.outgoing(splitId).map((e) => e.to);
  while (stack.length) {
    const id = stack.pop()!;
    if (id === joinId || id === splitId || seen.has(id) || !index.node(id) || index.node(id)!.type === 'end') continue;
    seen.add(id);
    for (const e of index.outgoing(id)) stack.push(e.to);
  }
  return seen;
}

/** Every well-formed parallel region (a split with exactly one join). */
export function parallelRegions(index: GraphIndex): ParallelRegion[] {
  return index.graph.nodes
    .filter((n) => n.type === 'parallel')
    .flatMap((n) => {
      const joins = joinsOf(index, n.id);
      return joins.length === 1 ? [{ split: n.id, join: joins[0], nodes: regionNodes(index, n.id, joins[0]) }] : [];
    });
}

/** The innermost parallel region a node lies inside (its split and join excluded), or null. */
export function parallelRegionOf(index: GraphIndex, nodeId: string): ParallelRegion | null {
  const inside = parallelRegions(index).filter((r) => r.nodes.has(nodeId));
  inside.sort((a, b) => a.nodes.size - b.nodes.size);
  return inside[0] ?? null;
}

/** Splits need one join; a region's paths may not leave it or be entered from outside; joins name a split. */
export function parallelIssues(index: GraphIndex): GraphIssue[] {
  const issues: GraphIssue[] = [];
  for (const node of index.graph.nodes) {
    if (node.type === 'join') {
      const split = index.node(String((node.settings as { split?: unknown } | undefined)?.split ?? ''));
      if (!split || split.type !== 'parallel')
        issues.push(graphIssue({ code: GraphIssueCode.JOIN_WITHOUT_SPLIT, nodeId: node.id, path: '/split', params: { node: nodeLabel(node) } }));
    }
    if (node.type === 'parallel') {
      const count = joinsOf(index, node.id).length;
      if (count !== 1) issues.push(graphIssue({ code: GraphIssueCode.SPLIT_WITHOUT_JOIN, nodeId: node.id, params: { node: nodeLabel(node), count } }));
    }
  }
  for (const region of parallelRegions(index)) {
    const inside = (id: string) => region.nodes.has(id);
    for (const id of region.nodes) {
      const node = index.node(id)!;
      for (const e of index.outgoing(id))
        if (!inside(e.to) && e.to !== region.join)
          issues.push(graphIssue({ code: GraphIssueCode.PARALLEL_BRANCH_ESCAPES, nodeId: id, edgeId: e.id, params: { node: nodeLabel(node) } }));
      for (const e of index.incoming(id))
        if (!inside(e.from) && e.from !== region.split)
          issues.push(graphIssue({ code: GraphIssueCode.PARALLEL_REGION_ENTERED, nodeId: id, edgeId: e.id, params: { node: nodeLabel(node) } }));
    }
    const join = index.node(region.join)!;
    for (const e of index.incoming(region.join))
      if (!inside(e.from) && e.from !== region.split)
        issues.push(graphIssue({ code: GraphIssueCode.JOIN_ENTERED_FROM_OUTSIDE, nodeId: region.join, edgeId: e.id, params: { node: nodeLabel(join) } }));
  }
  return issues;
}
