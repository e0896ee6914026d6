import { fieldKeySchema } from '../settings';
import type { FieldReference, NodeTypeDefinition } from './definition';
import { leaveFirst } from './task-node';

/**
 * A value an action writes: a literal, or `{ "var": "<field>" }` to copy a field of the
 * instance's record (for create-record values and webhook bodies).
 */
export type ActionValue = unknown;

export type ActionSettings =
  | { kind: 'setFields'; values: Record<string, ActionValue> }
  | { kind: 'createRecord'; entity: string; values: Record<string, ActionValue> }
  | { kind: 'webhook'; url: string; method: 'POST' | 'PUT'; headers?: Record<string, string>; body?: Record<string, ActionValue> };

export interface ActionNodeSettings {
  action: ActionSettings;
  /** A failed action stops the instance (an admin can retry by reactivating) or is noted and passed. */
  onError: 'stop' | 'continue';
}

const values = { type: 'object', propertyNames: fieldKeySchema, maxProperties: 200 } as const;

/**
 * 自动化动作: sets fields of the record, creates a record in another entity, or calls a webhook.
 * The runtime runs it from the outbox (idempotency key = the effect key) and answers with an
 * `actionFinished` event carrying that key; the token waits until then.
 */
export const actionNodeType: NodeTypeDefinition<ActionNodeSettings> = {
  key: 'action',
  label: { en: 'Automatic action', 'zh-CN': '自动化动作' },
  description: { en: 'Sets fields, creates a record or calls a webhook', 'zh-CN': '修改字段、新增数据或调用 Webhook' },
  category: 'automatic',
  settingsSchema: {
    type: 'object',
    properties: {
      action: {
        oneOf: [
          {
            type: 'object',
            properties: { kind: { const: 'setFields' }, values: { ...values, minProperties: 1 } },
            required: ['kind', 'values'],
            additionalProperties: false,
          },
          {
            type: 'object',
            properties: { kind: { const: 'createRecord' }, entity: { type: 'string', minLength: 1, maxLength: 64 }, values },
            required: ['kind', 'entity', 'values'],
            additionalProperties: false,
          },
          {
            type: 'object',
            properties: {
              kind: { const: 'webhook' },
              url: { type: 'string', pattern: '^https?://', maxLength: 2000 },
              method: { enum: ['POST', 'PUT'] },
              headers: { type: 'object', additionalProperties: { type: 'string', maxLength: 2000 }, maxProperties: 50 },
              body: { type: 'object', maxProperties: 200 },
            },
            required: ['kind', 'url', 'method'],
            additionalProperties: false,
          },
        ],
      },
      onError: { enum: ['stop', 'continue'] },
    },
    required: ['action', 'onError'],
    additionalProperties: false,
  },
  defaultSettings: () => ({ action: { kind: 'setFields', values: {} }, onError: 'stop' }),
  outgoing: { min: 1, max: 1 },
  // Only writing the record can change what a loop's conditions read.
  loopProgress: (s) => s.action.kind === 'setFields',
  fieldReferences: actionFieldReferences,
  enter: ({ run, token, node, settings }) => {
    run.emit({ type: 'runAction', nodeId: node.id, action: settings.action });
    const key = run.effects[run.effects.length - 1].key;
    run.state.pending.push({ key, kind: 'action', tokenId: token.id, activation: token.activation, nodeId: node.id });
    return { kind: 'wait' };
  },
  resume: ({ run, token, settings, signal }) => {
    if (signal.kind !== 'workFinished') return { kind: 'wait' };
    if (signal.ok || settings.onError === 'continue') {
      if (!signal.ok) run.log({ kind: 'skipped', nodeId: token.nodeId, detail: { error: signal.error ?? 'failed' } });
      return leaveFirst(run, token);
    }
    return { kind: 'fail', code: 'ACTION_FAILED', message: signal.error ?? 'The automatic action failed' };
  },
  designer: { panel: 'action', icon: 'ThunderboltOutlined', color: '#eb2f96' },
};

/** Fields read by `{ "var": … }` values; the fields a set-fields action writes; a created record's fields. */
function actionFieldReferences(s: ActionNodeSettings): FieldReference[] {
  const a = s.action;
  const refs: FieldReference[] = [];
  const reads = (vals: Record<string, unknown> | undefined, base: string) => {
    for (const [k, v] of Object.entries(vals ?? {})) {
      if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { var?: unknown }).var === 'string')
        refs.push({ path: `${base}/${k}/var`, field: (v as { var: string }).var });
    }
  };
  if (a.kind === 'setFields') for (const k of Object.keys(a.values)) refs.push({ path: `/action/values/${k}`, field: k });
  if (a.kind === 'createRecord') for (const k of Object.keys(a.values)) refs.push({ path: `/action/values/${k}`, field: k, entity: a.entity });
  reads(a.kind === 'webhook' ? a.body : a.values, a.kind === 'webhook' ? '/action/body' : '/action/values');
  return refs;
}

/** Keys a set-fields action writes (the loop check compares them with the fields conditions read). */
export function fieldsWrittenBy(s: ActionNodeSettings): string[] {
  return s.action.kind === 'setFields' ? Object.keys(s.action.values) : [];
}
