import type { NodeTypeDefinition } from './definition';
import { leaveFirst } from './task-node';

export interface JoinSettings {
  /** The parallel split whose paths this join waits for. */
  split: string;
}

/** 汇聚: waits until every path of its parallel split has arrived, then goes on once. */
export const joinNodeType: NodeTypeDefinition<JoinSettings> = {
  key: 'join',
  label: { en: 'Join', 'zh-CN': '汇聚' },
  description: { en: 'Waits for every path of its parallel split', 'zh-CN': '等待并行分支的所有路径都到达后继续' },
  category: 'flow',
  settingsSchema: { type: 'object', properties: { split: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['split'], additionalProperties: false },
  defaultSettings: () => ({ split: '' }),
  outgoing: { min: 1, max: 1 },
  loopProgress: () => false,
  enter: ({ run, token, settings }) => {
    const runId = token.scope[token.scope.length - 1];
    const split = run.state.splits.find((s) => s.id === runId);
    if (!split || split.split !== settings.split)
      return { kind: 'fail', code: 'JOIN_SCOPE', message: `${token.nodeId} was reached outside its parallel split ${settings.split}` };
    split.arrived += 1;
    if (split.arrived < split.branches) return { kind: 'consumed' };
    // The last path continues as the one token after the join, on the trail that entered the split.
    run.state.splits = run.state.splits.filter((s) => s.id !== runId);
    token.scope = token.scope.slice(0, -1);
    token.trail = [...split.trail, { nodeId: token.nodeId, depth: token.scope.length }];
    return leaveFirst(run, token);
  },
  designer: { panel: 'join', icon: 'MergeCellsOutlined', color: '#2f54eb' },
};
