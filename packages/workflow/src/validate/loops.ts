import { conditionFieldKeys } from '@crm/rules';
import type { GraphIndex } from '../graph-index';
import { graphIssue, nodeLabel } from '../messages';
import { fieldsWrittenBy, type ActionNodeSettings } from '../node-types/action.node-type';
import { NODE_TYPES, settingsOf } from '../node-types/registry';
import { GraphIssueCode, type GraphIssue } from '../types';

/** Strongly connected components with a cycle (Tarjan, iterative so deep graphs cannot overflow the stack). */
export function cycles(index: GraphIndex): string[][] {
  const ids = index.graph.nodes.map((n) => n.id);
  const num = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (num.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    num.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const edges = index.outgoing(frame.id).filter((e) => index.node(e.to));
      if (frame.next < edges.length) {
        const to = edges[frame.next++].to;
        if (!num.has(to)) {
          num.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) low.set(frame.id, Math.min(low.get(frame.id)!, num.get(to)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1].id, Math.min(low.get(work[work.length - 1].id)!, low.get(frame.id)!));
      if (low.get(frame.id) === num.get(frame.id)) {
        const scc: string[] = [];
        let id: string;
        do {
          id = stack.pop()!;
          onStack.delete(id);
          scc.push(id);
        } while (id !== frame.id);
        const selfLoop = scc.length === 1 && index.outgoing(scc[0]).some((e) => e.to === scc[0]);
        if (scc.length > 1 || selfLoop) out.push(scc.reverse());
      }
    }
  }
  return out;
}

/**
 * Loops that can never end: a cycle with no node that waits for a person, a timer or outside
 * work, where set-fields actions (if any) write none of the fields its branch conditions read —
 * each pass sees the same record and takes the same way round again.
 */
export function endlessLoopIssues(index: GraphIndex): GraphIssue[] {
  const issues: GraphIssue[] = [];
  for (const scc of cycles(index)) {
    const members = new Set(scc);
    const nodes = scc.map((id) => index.node(id)!).filter((n) => NODE_TYPES[n.type]);
    const waits = nodes.some((n) => n.type !== 'action' && NODE_TYPES[n.type].loopProgress(settingsOf(n)));
    if (waits) continue;
    const written = new Set(nodes.filter((n) => n.type === 'action').flatMap((n) => fieldsWrittenBy(settingsOf<ActionNodeSettings>(n))));
    const read = new Set(
      nodes
        .filter((n) => n.type === 'branch')
        .flatMap((n) =>
          index
            .outgoing(n.id)
            .filter((e) => members.has(e.to) || !e.isDefault)
            .flatMap((e) => conditionFieldKeys(e.condition ?? null)),
        ),
    );
    if ([...written].some((k) => read.has(k))) continue;
    const first = nodes[0];
    issues.push(graphIssue({ code: GraphIssueCode.ENDLESS_LOOP, nodeId: first.id, params: { node: nodeLabel(first), cycle: scc.join(' → ') } }));
  }
  return issues;
}
