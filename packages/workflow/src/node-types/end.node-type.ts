import { finishInstance } from '../engine/lifecycle';
import type { NodeTypeDefinition } from './definition';

export interface EndSettings {
  /** How the instance ends when it arrives here. */
  outcome: 'approved' | 'rejected';
}

/** 结束: the instance finishes with the node's outcome. */
export const endNodeType: NodeTypeDefinition<EndSettings> = {
  key: 'end',
  label: { en: 'End', 'zh-CN': '结束' },
  description: { en: 'The workflow ends here', 'zh-CN': '流程在此结束' },
  category: 'flow',
  settingsSchema: { type: 'object', properties: { outcome: { enum: ['approved', 'rejected'] } }, required: ['outcome'], additionalProperties: false },
  defaultSettings: () => ({ outcome: 'approved' }),
  outgoing: { min: 0, max: 0 },
  loopProgress: () => false,
  enter: ({ run, settings }) => {
    finishInstance(run, settings.outcome);
    return { kind: 'consumed' };
  },
  designer: { panel: 'end', icon: 'StopOutlined', color: '#8c8c8c' },
};
