import { assigneesSchema, fieldPermissionsSchema, type AssigneeRule, type FieldPermission } from '../settings';
import type { NodeTypeDefinition } from './definition';
import { leaveFirst } from './task-node';

export interface CcSettings {
  assignees: AssigneeRule[];
  /** What the people copied may see (editable/required act as visible: a copy is read-only). */
  fields: Record<string, FieldPermission>;
}

/** 抄送: the record is copied to people for information; the flow goes on at once. */
export const ccNodeType: NodeTypeDefinition<CcSettings> = {
  key: 'cc',
  label: { en: 'Copy to', 'zh-CN': '抄送' },
  description: { en: 'Copies the record to people for their information', 'zh-CN': '将数据抄送给相关人员知悉' },
  category: 'human',
  settingsSchema: {
    type: 'object',
    properties: { assignees: assigneesSchema, fields: fieldPermissionsSchema },
    required: ['assignees', 'fields'],
    additionalProperties: false,
  },
  defaultSettings: () => ({ assignees: [{ kind: 'submitter' }], fields: {} }),
  outgoing: { min: 1, max: 1 },
  loopProgress: () => false,
  assigneeRules: (s) => [{ path: '/assignees', rules: s.assignees }],
  fieldReferences: (s) => [
    ...Object.keys(s.fields ?? {}).map((field) => ({ path: `/fields/${field}`, field })),
    ...s.assignees.flatMap((r, i) => (r.kind === 'memberField' ? [{ path: `/assignees/${i}/field`, field: r.field, types: ['member'] as const }] : [])),
  ],
  enter: ({ run, token, settings }) => {
    const to = run.context.resolver.resolve({ rules: settings.assignees, submitterId: run.state.submitterId, record: run.context.record });
    if (to.length) run.emit({ type: 'notify', kind: 'cc', to, nodeId: token.nodeId });
    run.log({ kind: 'cc', nodeId: token.nodeId, detail: { to } });
    return leaveFirst(run, token);
  },
  designer: { panel: 'cc', icon: 'SendOutlined', color: '#13c2c2' },
};
