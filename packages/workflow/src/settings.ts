/**
 * Settings shared by several node types, as TypeScript types and as the JSON Schema fragments
 * their definitions compose (the schemas are the truth; the types mirror them).
 */

/** Who a task goes to. Resolved at run time by the injected `AssigneeResolver`. */
export type AssigneeRule =
  | { kind: 'members'; ids: string[] }
  | { kind: 'roles'; ids: string[] }
  | { kind: 'departments'; ids: string[]; includeChildren?: boolean }
  /** The head of the submitter's department, `levels` up (1 = own department's head). */
  | { kind: 'submitterHead'; levels: number }
  /** The member(s) in a member field of the record. */
  | { kind: 'memberField'; field: string }
  | { kind: 'submitter' };

/** 或签 any one decides · 会签 all must approve · 依次 one after another · vote: approvals / assignees ≥ passRatio. */
export type MultiAssigneeMode = 'any' | 'all' | 'sequential' | 'vote';

/** What the assignee of a node may do with each field of the record; fields not listed are visible. */
export type FieldPermission = 'hidden' | 'visible' | 'editable' | 'required';

export interface Duration {
  amount: number;
  unit: 'minutes' | 'hours' | 'days';
}

export type DeadlineAction = 'remind' | 'autoApprove' | 'autoReject' | 'autoReturn' | 'escalate';

export interface DeadlineSettings {
  after: Duration;
  action: DeadlineAction;
  /** For `escalate`: who receives the task in addition (the original assignees keep theirs). */
  escalateTo?: AssigneeRule[];
}

/** When the submitter may withdraw (撤回) while the instance waits at this node. */
export type WithdrawPolicy = 'none' | 'untilFirstDecision' | 'anyNode';

/** Settings of the task nodes (approval, fill-in). */
export interface TaskNodeSettings {
  assignees: AssigneeRule[];
  mode: MultiAssigneeMode;
  /** For `vote`: share of approvals (0 < r ≤ 1) that passes the node. */
  passRatio?: number;
  fields: Record<string, FieldPermission>;
  deadline?: DeadlineSettings;
  withdraw: WithdrawPolicy;
  /** When the assignee rules resolve to nobody at run time: pass the node, or give it to the workflow admins. */
  whenNobody: 'autoApprove' | 'admins';
  allowReturn: boolean;
  allowTransfer: boolean;
  allowAddApprover: boolean;
  /** The assignee must sign (a signature image with the decision). */
  requireSignature: boolean;
}

const id = { type: 'string', minLength: 1, maxLength: 64 } as const;
const ids = { type: 'array', items: id, minItems: 1, maxItems: 500, uniqueItems: true } as const;
/** Field keys as the schema package spells them. */
export const fieldKeySchema = { type: 'string', pattern: '^[a-z][a-z0-9_]{0,47}$' } as const;

export const assigneeRuleSchema = {
  oneOf: [
    { type: 'object', properties: { kind: { const: 'members' }, ids }, required: ['kind', 'ids'], additionalProperties: false },
    { type: 'object', properties: { kind: { const: 'roles' }, ids }, required: ['kind', 'ids'], additionalProperties: false },
    {
      type: 'object',
      properties: { kind: { const: 'departments' }, ids, includeChildren: { type: 'boolean' } },
      required: ['kind', 'ids'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { kind: { const: 'submitterHead' }, levels: { type: 'integer', minimum: 1, maximum: 10 } },
      required: ['kind', 'levels'],
      additionalProperties: false,
    },
    { type: 'object', properties: { kind: { const: 'memberField' }, field: fieldKeySchema }, required: ['kind', 'field'], additionalProperties: false },
    { type: 'object', properties: { kind: { const: 'submitter' } }, required: ['kind'], additionalProperties: false },
  ],
} as const;

export const assigneesSchema = { type: 'array', items: assigneeRuleSchema, minItems: 1, maxItems: 20 } as const;

export const durationSchema = {
  type: 'object',
  properties: { amount: { type: 'integer', minimum: 1, maximum: 100_000 }, unit: { enum: ['minutes', 'hours', 'days'] } },
  required: ['amount', 'unit'],
  additionalProperties: false,
} as const;

export const fieldPermissionsSchema = {
  type: 'object',
  propertyNames: fieldKeySchema,
  additionalProperties: { enum: ['hidden', 'visible', 'editable', 'required'] },
  maxProperties: 500,
} as const;

export const deadlineSchema = {
  type: 'object',
  properties: { after: durationSchema, action: { enum: ['remind', 'autoApprove', 'autoReject', 'autoReturn', 'escalate'] }, escalateTo: assigneesSchema },
  required: ['after', 'action'],
  additionalProperties: false,
  if: { properties: { action: { const: 'escalate' } } },
  then: { properties: { escalateTo: assigneesSchema }, required: ['escalateTo'] },
} as const;

/** The JSON Schema of `TaskNodeSettings`; `modes` narrows the multi-assignee modes a node type offers. */
export function taskNodeSettingsSchema(modes: readonly MultiAssigneeMode[]) {
  return {
    type: 'object',
    properties: {
      assignees: assigneesSchema,
      mode: { enum: [...modes] },
      passRatio: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      fields: fieldPermissionsSchema,
      deadline: deadlineSchema,
      withdraw: { enum: ['none', 'untilFirstDecision', 'anyNode'] },
      whenNobody: { enum: ['autoApprove', 'admins'] },
      allowReturn: { type: 'boolean' },
      allowTransfer: { type: 'boolean' },
      allowAddApprover: { type: 'boolean' },
      requireSignature: { type: 'boolean' },
    },
    required: ['assignees', 'mode', 'fields', 'withdraw', 'whenNobody', 'allowReturn', 'allowTransfer', 'allowAddApprover', 'requireSignature'],
    additionalProperties: false,
    if: { properties: { mode: { const: 'vote' } } },
    then: { properties: { passRatio: { type: 'number' } }, required: ['passRatio'] },
  } as const;
}

/** Defaults of a new task node in the designer. */
export function defaultTaskSettings(mode: MultiAssigneeMode = 'any'): TaskNodeSettings {
  return {
    assignees: [{ kind: 'submitterHead', levels: 1 }],
    mode,
    fields: {},
    withdraw: 'untilFirstDecision',
    whenNobody: 'admins',
    allowReturn: true,
    allowTransfer: true,
    allowAddApprover: true,
    requireSignature: false,
  };
}

/** Milliseconds of a duration. */
export function durationMs(d: Duration): number {
  const unit = d.unit === 'minutes' ? 60_000 : d.unit === 'hours' ? 3_600_000 : 86_400_000;
  return d.amount * unit;
}
