import type { StepOutcome, StepSignal } from '../node-types/definition';
import { NODE_TYPES, settingsOf } from '../node-types/registry';
import { failInstance, finishInstance } from './lifecycle';
import { returnToOrThrow } from './return';
import type { Run } from './run';
import type { Token } from './state';

/** Moves a token into a node and runs the node's step (and, for automatic nodes, onward). */
export function enterNode(run: Run, token: Token, nodeId: string): void {
  if (run.state.status !== 'running' || !run.state.tokens.includes(token)) return;
  run.step();
  const node = run.graph.node(nodeId);
  if (!node) {
    failInstance(run, { code: 'UNKNOWN_NODE', message: `The graph has no node ${nodeId}`, nodeId });
    return;
  }
  token.nodeId = nodeId;
  token.activation = run.nextId('a');
  token.enteredAt = run.at;
  token.trail.push({ nodeId, depth: token.scope.length });
  run.state.path.push(nodeId);
  run.log({ kind: 'entered', nodeId });
  apply(run, token, NODE_TYPES[node.type].enter({ run, token, node, settings: settingsOf(node) }));
}

/** Hands a signal (task decided, timer, finished work) to the node the token waits at. */
export function resumeNode(run: Run, token: Token, signal: StepSignal): void {
  const node = run.graph.node(token.nodeId);
  const def = node ? NODE_TYPES[node.type] : undefined;
  if (!node || !def?.resume) return;
  apply(run, token, def.resume({ run, token, node, settings: settingsOf(node), signal }));
}

function apply(run: Run, token: Token, outcome: StepOutcome): void {
  switch (outcome.kind) {
    case 'wait':
      return;
    case 'consumed':
      run.state.tokens = run.state.tokens.filter((t) => t !== token);
      return;
    case 'reject':
      finishInstance(run, 'rejected');
      return;
    case 'fail':
      failInstance(run, { code: outcome.code, message: outcome.message, nodeId: token.nodeId });
      return;
    case 'return':
      returnToOrThrow(run, token, outcome.target);
      return;
    case 'leave':
      leave(run, token, outcome.edges);
  }
}

function leave(run: Run, token: Token, edges: { to: string }[]): void {
  if (edges.length === 0) {
    failInstance(run, { code: 'NO_OUTGOING_PATH', message: `${token.nodeId} has no outgoing connection`, nodeId: token.nodeId });
    return;
  }
  if (edges.length === 1) {
    enterNode(run, token, edges[0].to);
    return;
  }
  // A parallel split: one token per path, inside a new split run the join counts.
  const join = run.graph.graph.nodes.find((n) => n.type === 'join' && settingsOf<{ split: string }>(n).split === token.nodeId);
  const splitRun = {
    id: run.nextId('s'),
    split: token.nodeId,
    join: join?.id ?? '',
    branches: edges.length,
    arrived: 0,
    scope: [...token.scope],
    trail: token.trail.map((s) => ({ ...s })),
  };
  run.state.splits.push(splitRun);
  run.state.tokens = run.state.tokens.filter((t) => t !== token);
  const children = edges.map(() => {
    const child: Token = {
      id: run.nextId('p'),
      nodeId: token.nodeId,
      activation: token.activation,
      scope: [...token.scope, splitRun.id],
      trail: token.trail.map((s) => ({ ...s })),
      enteredAt: run.at,
    };
    run.state.tokens.push(child);
    return child;
  });
  children.forEach((child, i) => enterNode(run, child, edges[i].to));
}
