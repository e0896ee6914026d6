import { fieldKeySchema } from '../settings';
import type { NodeTypeDefinition } from './definition';
import { leaveFirst } from './task-node';

export interface SubprocessSettings {
  /** The workflow to start (its published version at the time). */
  workflowId: string;
  /** The relation field of this record naming the related record(s) the sub-process runs on. */
  relationField: string;
  /** Wait until every started sub-process has finished, or go on at once. */
  wait: boolean;
}

/**
 * 子流程: starts a workflow on the related record(s). The runtime starts them from the
 * `startSubprocess` effect and, when `wait` is set, answers `subprocessFinished` with its key.
 */
export const subprocessNodeType: NodeTypeDefinition<SubprocessSettings> = {
  key: 'subprocess',
  label: { en: 'Sub-process', 'zh-CN': '子流程' },
  description: { en: 'Starts a workflow on a related record', 'zh-CN': '在关联数据上发起另一个流程' },
  category: 'automatic',
  settingsSchema: {
    type: 'object',
    properties: { workflowId: { type: 'string', minLength: 1, maxLength: 64 }, relationField: fieldKeySchema, wait: { type: 'boolean' } },
    required: ['workflowId', 'relationField', 'wait'],
    additionalProperties: false,
  },
  defaultSettings: () => ({ workflowId: '', relationField: '', wait: true }),
  outgoing: { min: 1, max: 1 },
  loopProgress: (s) => s.wait,
  fieldReferences: (s) => [{ path: '/relationField', field: s.relationField, types: ['relation'] }],
  enter: ({ run, token, node, settings }) => {
    run.emit({ type: 'startSubprocess', nodeId: node.id, workflowId: settings.workflowId, relationField: settings.relationField, wait: settings.wait });
    if (!settings.wait) return leaveFirst(run, token);
    const key = run.effects[run.effects.length - 1].key;
    run.state.pending.push({ key, kind: 'subprocess', tokenId: token.id, activation: token.activation, nodeId: node.id });
    return { kind: 'wait' };
  },
  resume: ({ run, token, signal }) => {
    if (signal.kind !== 'workFinished') return { kind: 'wait' };
    run.log({ kind: 'subprocessFinished', nodeId: token.nodeId, detail: { status: signal.status ?? 'approved' } });
    return leaveFirst(run, token);
  },
  designer: { panel: 'subprocess', icon: 'PartitionOutlined', color: '#08979c' },
};
