/** Pure helpers over the department tree (rows of id and parent id). */

export interface TreeNode {
  id: string;
  parent_id: string | null;
  name: string;
}

/** Children by parent id; a department whose parent is missing counts as a root (key ''). */
export function childrenOf(nodes: TreeNode[]): Map<string, TreeNode[]> {
  const ids = new Set(nodes.map((n) => n.id));
  const out = new Map<string, TreeNode[]>();
  for (const n of nodes) {
    const key = n.parent_id && ids.has(n.parent_id) ? n.parent_id : '';
    out.set(key, [...(out.get(key) ?? []), n]);
  }
  for (const list of out.values()) list.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return out;
}

/** Depth-first order (siblings by name) with each department's depth (roots 0). */
export function treeOrder<T extends TreeNode>({ nodes }: { nodes: T[] }): { node: T; depth: number }[] {
  const children = childrenOf(nodes) as Map<string, T[]>;
  const out: { node: T; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string, depth: number) => {
    for (const n of children.get(parent) ?? []) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      out.push({ node: n, depth });
      walk(n.id, depth + 1);
    }
  };
  walk('', 0);
  return out;
}

/**
 * The cycle that putting `movingId` under `newParentId` would make, as ids from the moving
 * department down to the new parent and back (`[a, b, c, a]`), or null when there is none.
 */
export function cycleIfMoved({ nodes, movingId, newParentId }: { nodes: TreeNode[]; movingId: string; newParentId: string | null }): string[] | null {
  if (newParentId === null) return null;
  const parent = new Map(nodes.map((n) => [n.id, n.parent_id]));
  const upward: string[] = [];
  for (let at: string | null | undefined = newParentId; at; at = parent.get(at)) {
    upward.push(at);
    if (at === movingId) return [...upward.reverse(), movingId];
    if (upward.length > nodes.length) break;
  }
  return null;
}

/** The given ids that exist, plus every department below them. */
export function withDescendants({ children, known, ids }: { children: Map<string, string[]>; known: Set<string>; ids: string[] }): string[] {
  const out = new Set<string>();
  const stack = ids.filter((id) => known.has(id));
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return [...out];
}
