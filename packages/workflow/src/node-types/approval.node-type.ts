import { defaultTaskSettings, taskNodeSettingsSchema, type TaskNodeSettings } from '../settings';
import type { NodeTypeDefinition } from './definition';
import { enterTaskNode, resumeTaskNode, taskFieldReferences } from './task-node';

/** 审批: the assignees approve or reject; multi-assignee mode, deadline, field permissions. */
export const approvalNodeType: NodeTypeDefinition<TaskNodeSettings> = {
  key: 'approval',
  label: { en: 'Approval', 'zh-CN': '审批' },
  description: { en: 'Assignees approve or reject the record', 'zh-CN': '由处理人审批通过或驳回' },
  category: 'human',
  settingsSchema: taskNodeSettingsSchema(['any', 'all', 'sequential', 'vote']),
  defaultSettings: () => defaultTaskSettings('any'),
  outgoing: { min: 1, max: 1 },
  loopProgress: () => true,
  assigneeRules: (s) => [
    { path: '/assignees', rules: s.assignees },
    ...(s.deadline?.escalateTo ? [{ path: '/deadline/escalateTo', rules: s.deadline.escalateTo }] : []),
  ],
  fieldReferences: taskFieldReferences,
  enter: (args) => enterTaskNode(args, 'approval'),
  resume: resumeTaskNode,
  designer: { panel: 'approval', icon: 'AuditOutlined', color: '#fa8c16' },
};
