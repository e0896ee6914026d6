import { defaultTaskSettings, taskNodeSettingsSchema, type TaskNodeSettings } from '../settings';
import type { NodeTypeDefinition } from './definition';
import { enterTaskNode, resumeTaskNode, taskFieldReferences } from './task-node';

/** 填写: the assignees fill in the fields the node makes editable and hand the record on. */
export const fillNodeType: NodeTypeDefinition<TaskNodeSettings> = {
  key: 'fill',
  label: { en: 'Fill in', 'zh-CN': '填写' },
  description: { en: 'Assignees fill in fields and hand the record on', 'zh-CN': '由处理人填写字段后提交' },
  category: 'human',
  settingsSchema: taskNodeSettingsSchema(['any', 'all', 'sequential']),
  defaultSettings: () => defaultTaskSettings('any'),
  outgoing: { min: 1, max: 1 },
  loopProgress: () => true,
  assigneeRules: (s) => [
    { path: '/assignees', rules: s.assignees },
    ...(s.deadline?.escalateTo ? [{ path: '/deadline/escalateTo', rules: s.deadline.escalateTo }] : []),
  ],
  fieldReferences: taskFieldReferences,
  enter: (args) => enterTaskNode(args, 'fill'),
  resume: resumeTaskNode,
  designer: { panel: 'fill', icon: 'EditOutlined', color: '#1677ff' },
};
