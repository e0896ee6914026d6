import { decimalCodec } from '../db-codecs';
import type { Issue } from '../errors';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, NUMBER_OPERATORS, settingsObjectSchema } from './field-type-helpers';

export const ROLLUP_AGGREGATES = ['sum', 'avg', 'count', 'min', 'max'] as const;
export type RollupAggregate = (typeof ROLLUP_AGGREGATES)[number];

/**
 * Aggregate over the records of `sourceEntityId` whose relation field `relationField` points
 * at this record. `field` (number or money in the source) is what sum/avg/min/max aggregate;
 * count counts records (or, with `field`, records where it is not empty). `condition` is a
 * json-logic filter over the source's fields. Results are rounded to `precision`.
 */
export type RollupSettings = {
  sourceEntityId: string;
  relationField: string;
  aggregate: RollupAggregate;
  field?: string;
  condition?: Record<string, unknown>;
  precision: number;
};

const FIELD_KEY = { type: 'string', minLength: 1, maxLength: 48 };

/** Server-computed; stored DECIMAL(30,10) so it filters and sorts like a number. */
export const rollupFieldType: FieldTypeDefinition<RollupSettings> = {
  key: 'rollup',
  label: { en: 'Rollup', 'zh-CN': '汇总' },
  settingsSchema: settingsObjectSchema({
    properties: {
      sourceEntityId: { type: 'string', minLength: 1, maxLength: 64 },
      relationField: FIELD_KEY,
      aggregate: { enum: [...ROLLUP_AGGREGATES] },
      field: FIELD_KEY,
      condition: { type: 'object' },
      precision: { type: 'integer', minimum: 0, maximum: 10, default: 2 },
    },
    required: ['sourceEntityId', 'relationField', 'aggregate'],
  }),
  defaultSettings: { precision: 2 },
  refineSettings: ({ settings }) => {
    const issues: Issue[] = [];
    if (settings.aggregate !== 'count' && settings.field === undefined) {
      issues.push({ path: '/field', code: 'required', message: `/field is required for ${settings.aggregate} (the number or money field to aggregate)` });
    }
    return { settings, issues };
  },
  storage: () => columnStorage({ column: { kind: 'decimal', precision: 30, scale: 10 }, indexable: true }),
  valueSchema: () => ({ type: 'number' }),
  valueKind: () => 'number',
  operators: NUMBER_OPERATORS,
  operatorsFor: () => NUMBER_OPERATORS,
  sortable: true,
  uniqueAllowed: false,
  writable: false,
  publicFillable: false,
  ...decimalCodec,
};
