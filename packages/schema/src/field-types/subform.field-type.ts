import { listPassThroughCodec } from '../db-codecs';
import { prefixIssues, type Issue } from '../errors';
import type { FieldDefinition, FieldTypeDefinition, FieldTypeKey, JsonSchema, NormalizedFieldDefinition } from '../types';
import { settingsObjectSchema } from './field-type-helpers';

export type SubformSettings = { fields: FieldDefinition[]; maxRows: number };

/** Child field types a subform row cannot hold (nesting, link tables, server counters, rollups over relations). */
const TYPES_NOT_IN_SUBFORM: readonly FieldTypeKey[] = ['subform', 'serial', 'rollup'];

/** Shape of a child field definition; its settings are checked by the child's own type. */
const CHILD_FIELD_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    label: { type: 'string' },
    type: { type: 'string' },
    required: { type: 'boolean' },
    unique: { type: 'boolean' },
    indexed: { type: 'boolean' },
    settings: { type: 'object' },
  },
  required: ['key', 'label', 'type'],
};

function notAllowed(args: { path: string; what: string }): Issue {
  const { path, what } = args;
  return { path, code: 'not_allowed_in_subform', message: `${path}: ${what} is not allowed in a subform` };
}

/** Rows of child fields, stored in a child table. */
export const subformFieldType: FieldTypeDefinition<SubformSettings> = {
  key: 'subform',
  label: { en: 'Subform', 'zh-CN': '子表单' },
  settingsSchema: settingsObjectSchema({
    properties: {
      fields: { type: 'array', minItems: 1, maxItems: 100, items: CHILD_FIELD_SCHEMA },
      maxRows: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
    },
    required: ['fields'],
  }),
  defaultSettings: { maxRows: 200 },
  refineSettings: ({ settings, ctx }) => {
    const issues: Issue[] = [];
    const fields: NormalizedFieldDefinition[] = [];
    const firstIndexByKey = new Map<string, number>();
    settings.fields.forEach((child, index) => {
      const base = `/fields/${index}`;
      if (TYPES_NOT_IN_SUBFORM.includes(child.type)) {
        issues.push(notAllowed({ path: `${base}/type`, what: `type ${child.type}` }));
        return;
      }
      if (child.type === 'relation' && child.settings?.multiple === true) {
        issues.push(notAllowed({ path: `${base}/settings/multiple`, what: 'a multiple relation' }));
      }
      // Unique across rows of one record or of all records is ambiguous; refuse until needed.
      if (child.unique === true) issues.push(notAllowed({ path: `${base}/unique`, what: 'unique' }));
      const first = firstIndexByKey.get(child.key);
      if (first !== undefined) {
        issues.push({ path: `${base}/key`, code: 'duplicate_key', message: `${base}/key repeats the key of field ${first} ("${child.key}")` });
      } else {
        firstIndexByKey.set(child.key, index);
      }
      const result = ctx.normalizeChild(child);
      issues.push(...prefixIssues({ prefix: base, issues: result.issues }));
      if (result.field) fields.push(result.field);
    });
    return { settings: { ...settings, fields }, issues };
  },
  storage: () => ({ kind: 'child-table' }),
  valueSchema: (settings, ctx) => {
    const childSchema = ctx.childSchema;
    if (!childSchema) throw new Error('subform valueSchema needs ctx.childSchema (use buildRecordSchema)');
    const properties: Record<string, JsonSchema> = {
      id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    };
    for (const child of settings.fields) properties[child.key] = childSchema(child);
    const required = settings.fields.filter((child) => child.required === true).map((child) => child.key);
    return {
      type: 'array',
      maxItems: settings.maxRows,
      items: {
        type: 'object',
        properties,
        ...(required.length > 0 ? { required } : {}),
        additionalProperties: false,
      },
    };
  },
  valueKind: () => 'object-list',
  operators: [],
  operatorsFor: () => [],
  sortable: false,
  uniqueAllowed: false,
  writable: true,
  publicFillable: true,
  ...listPassThroughCodec,
};
