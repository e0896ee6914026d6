import type { NodeTypeDefinition } from './definition';

/** 并行分支: every outgoing path runs at once; the join that names this split waits for all of them. */
export const parallelNodeType: NodeTypeDefinition<Record<string, never>> = {
  key: 'parallel',
  label: { en: 'Parallel split', 'zh-CN': '并行分支' },
  description: { en: 'Runs every outgoing path at the same time', 'zh-CN': '所有分支同时进行' },
  category: 'flow',
  settingsSchema: { type: 'object', additionalProperties: false },
  defaultSettings: () => ({}),
  outgoing: { min: 2, max: 20 },
  loopProgress: () => false,
  enter: ({ run, token }) => ({ kind: 'leave', edges: run.graph.outgoing(token.nodeId) }),
  designer: { panel: 'parallel', icon: 'ForkOutlined', color: '#2f54eb' },
};
