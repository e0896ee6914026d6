import { fieldPermissionsSchema, type FieldPermission } from '../settings';
import type { NodeTypeDefinition } from './definition';
import { leaveFirst } from './task-node';

export interface StartSettings {
  /** What the submitter may edit when the record comes back to them (returned or withdrawn). */
  fields: Record<string, FieldPermission>;
}

/**
 * 发起: where an instance begins (the submitter's submission). The first visit passes at
 * once; a later one (a return to the submitter, a withdraw) gives the submitter a resubmit task.
 */
export const startNodeType: NodeTypeDefinition<StartSettings> = {
  key: 'start',
  label: { en: 'Start', 'zh-CN': '发起' },
  description: { en: 'The submitter submits the record', 'zh-CN': '发起人提交数据' },
  category: 'human',
  settingsSchema: { type: 'object', properties: { fields: fieldPermissionsSchema }, required: ['fields'], additionalProperties: false },
  defaultSettings: () => ({ fields: {} }),
  outgoing: { min: 1, max: 1 },
  loopProgress: () => true,
  fieldReferences: (s) => Object.keys(s.fields ?? {}).map((field) => ({ path: `/fields/${field}`, field })),
  enter: ({ run, token }) => {
    if (run.state.path.length === 1) return leaveFirst(run, token);
    run.openTask({ token, kind: 'resubmit', assignee: run.state.submitterId, order: 0, origin: 'rule' });
    return { kind: 'wait' };
  },
  resume: ({ run, token, signal }) => {
    if (signal.kind !== 'taskDecided' || signal.task.status !== 'completed') return { kind: 'wait' };
    run.closeVisit(token.activation);
    return leaveFirst(run, token);
  },
  designer: { panel: 'start', icon: 'PlayCircleOutlined', color: '#52c41a' },
};
