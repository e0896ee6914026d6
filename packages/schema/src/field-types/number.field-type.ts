import { decimalCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, NUMBER_OPERATORS, rangeIssues, settingsObjectSchema, withBounds } from './field-type-helpers';

export type NumberSettings = { precision: number; min?: number; max?: number; unit?: string };

/** Largest magnitude DECIMAL(30,10) holds (20 integer digits). */
const NUMBER_LIMIT = 1e20;

/** Number with up to 10 decimal places; stored DECIMAL(30,10) so precision edits need no DDL. */
export const numberFieldType: FieldTypeDefinition<NumberSettings> = {
  key: 'number',
  label: { en: 'Number', 'zh-CN': '数字' },
  settingsSchema: settingsObjectSchema({
    properties: {
      precision: { type: 'integer', minimum: 0, maximum: 10, default: 0 },
      min: { type: 'number', exclusiveMinimum: -NUMBER_LIMIT, exclusiveMaximum: NUMBER_LIMIT },
      max: { type: 'number', exclusiveMinimum: -NUMBER_LIMIT, exclusiveMaximum: NUMBER_LIMIT },
      unit: { type: 'string', maxLength: 20 },
    },
  }),
  defaultSettings: { precision: 0 },
  refineSettings: ({ settings }) => ({
    settings,
    issues: rangeIssues({ min: settings.min, max: settings.max, minKey: 'min', maxKey: 'max' }),
  }),
  storage: () => columnStorage({ column: { kind: 'decimal', precision: 30, scale: 10 }, indexable: true }),
  valueSchema: (settings) =>
    withBounds({
      schema: { type: 'number', decimalPlaces: settings.precision, exclusiveMinimum: -NUMBER_LIMIT, exclusiveMaximum: NUMBER_LIMIT },
      bounds: { minimum: settings.min, maximum: settings.max },
    }),
  valueKind: () => 'number',
  operators: NUMBER_OPERATORS,
  operatorsFor: () => NUMBER_OPERATORS,
  sortable: true,
  uniqueAllowed: true,
  writable: true,
  publicFillable: true,
  ...decimalCodec,
};
