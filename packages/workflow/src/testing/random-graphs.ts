import fc from 'fast-check';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../types';
import { members, task } from './fixtures';

/** A block of a structured graph: built into nodes and edges between an entry and an exit. */
export type Block =
  | { kind: 'approval'; mode: 'any' | 'all' | 'sequential' | 'vote'; who: string[]; deadline?: 'remind' | 'autoApprove' | 'autoReturn' | 'escalate' }
  | { kind: 'fill' }
  | { kind: 'cc' }
  | { kind: 'action'; onError: 'stop' | 'continue' }
  | { kind: 'wait' }
  | { kind: 'branch'; arms: Block[][] }
  | { kind: 'parallel'; arms: Block[][] };

const people = fc.subarray(['manager', 'director', 'finance1', 'finance2', 'legal'], { minLength: 1, maxLength: 3 });

/** Random blocks: human, automatic, exclusive branches and parallel splits nested a few levels deep. */
export const blocksArb: fc.Arbitrary<Block[]> = fc
  .letrec<{ seq: Block[]; block: Block }>((tie) => ({
    seq: fc.array(tie('block'), { minLength: 1, maxLength: 3 }),
    block: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({
        kind: fc.constant('approval' as const),
        mode: fc.constantFrom('any' as const, 'all' as const, 'sequential' as const, 'vote' as const),
        who: people,
        deadline: fc.option(fc.constantFrom('remind' as const, 'autoApprove' as const, 'autoReturn' as const, 'escalate' as const), { nil: undefined }),
      }),
      fc.constant({ kind: 'fill' as const }),
      fc.constant({ kind: 'cc' as const }),
      fc.record({ kind: fc.constant('action' as const), onError: fc.constantFrom('stop' as const, 'continue' as const) }),
      fc.constant({ kind: 'wait' as const }),
      fc.record({ kind: fc.constant('branch' as const), arms: fc.array(tie('seq'), { minLength: 2, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('parallel' as const), arms: fc.array(tie('seq'), { minLength: 2, maxLength: 3 }) }),
    ),
  }))
  .seq.filter((seq) => size(seq) <= 25);

function size(seq: Block[]): number {
  return seq.reduce((n, b) => n + 1 + (b.kind === 'branch' || b.kind === 'parallel' ? b.arms.reduce((m, a) => m + size(a), 0) : 0), 0);
}

/** Builds start → blocks → end. Branch arms test `amount` against the arm's index; the last arm is the default. */
export function buildGraph(blocks: Block[]): WorkflowGraph {
  const nodes: WorkflowNode[] = [{ id: 'start', type: 'start', settings: { fields: {} } }];
  const edges: WorkflowEdge[] = [];
  let n = 0;
  const add = (node: Omit<WorkflowNode, 'id'>): string => {
    const id = `n${++n}`;
    nodes.push({ id, ...node });
    return id;
  };
  const link = (from: string, to: string, extra: Partial<WorkflowEdge> = {}) => edges.push({ id: `e${edges.length + 1}`, from, to, ...extra });
  const seq = (list: Block[], entry: string, extra: Partial<WorkflowEdge> = {}): string => {
    let at = entry;
    list.forEach((b, i) => (at = block(b, at, i === 0 ? extra : {})));
    return at;
  };
  const block = (b: Block, from: string, extra: Partial<WorkflowEdge>): string => {
    switch (b.kind) {
      case 'approval': {
        const deadline = b.deadline
          ? { after: { amount: 1, unit: 'hours' }, action: b.deadline, ...(b.deadline === 'escalate' ? { escalateTo: members('admin') } : {}) }
          : undefined;
        const id = add({
          type: 'approval',
          settings: task(members(...b.who), { mode: b.mode, ...(b.mode === 'vote' ? { passRatio: 0.5 } : {}), ...(deadline ? { deadline } : {}) } as never),
        });
        link(from, id, extra);
        return id;
      }
      case 'fill': {
        const id = add({ type: 'fill', settings: task(members('rep2')) });
        link(from, id, extra);
        return id;
      }
      case 'cc': {
        const id = add({ type: 'cc', settings: { assignees: members('legal'), fields: {} } });
        link(from, id, extra);
        return id;
      }
      case 'action': {
        const id = add({ type: 'action', settings: { action: { kind: 'webhook', url: 'https://example.com/hook', method: 'POST' }, onError: b.onError } });
        link(from, id, extra);
        return id;
      }
      case 'wait': {
        const id = add({ type: 'wait', settings: { mode: 'duration', duration: { amount: 2, unit: 'hours' } } });
        link(from, id, extra);
        return id;
      }
      case 'branch': {
        const id = add({ type: 'branch', settings: {} });
        link(from, id, extra);
        const merge = add({ type: 'cc', settings: { assignees: members('manager'), fields: {} } });
        b.arms.forEach((arm, i) => {
          const last = i === b.arms.length - 1;
          link(seq(arm, id, last ? { isDefault: true } : { condition: { '==': [{ var: 'amount' }, i] } }), merge);
        });
        return merge;
      }
      case 'parallel': {
        const id = add({ type: 'parallel', settings: {} });
        link(from, id, extra);
        const join = add({ type: 'join', settings: { split: id } });
        for (const arm of b.arms) link(seq(arm, id), join);
        return join;
      }
    }
  };
  const last = seq(blocks, 'start');
  nodes.push({ id: 'end', type: 'end', settings: { outcome: 'approved' } });
  link(last, 'end');
  return { nodes, edges };
}

/** Random structured graphs (valid by construction; the property tests check that validateGraph agrees). */
export const graphArb: fc.Arbitrary<WorkflowGraph> = blocksArb.map(buildGraph);
