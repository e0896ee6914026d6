import { decimalCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, NUMBER_OPERATORS, rangeIssues, settingsObjectSchema, withBounds } from './field-type-helpers';

export type MoneySettings = { currency: string; precision: number; min?: number; max?: number };

/** Largest magnitude DECIMAL(20,4) holds (16 integer digits). */
const MONEY_LIMIT = 1e16;

/** Amount in one ISO 4217 currency, up to 4 decimal places; stored DECIMAL(20,4). */
export const moneyFieldType: FieldTypeDefinition<MoneySettings> = {
  key: 'money',
  label: { en: 'Money', 'zh-CN': '金额' },
  settingsSchema: settingsObjectSchema({
    properties: {
      currency: { type: 'string', pattern: '^[A-Z]{3}$', default: 'CNY' },
      precision: { type: 'integer', minimum: 0, maximum: 4, default: 2 },
      min: { type: 'number', exclusiveMinimum: -MONEY_LIMIT, exclusiveMaximum: MONEY_LIMIT },
      max: { type: 'number', exclusiveMinimum: -MONEY_LIMIT, exclusiveMaximum: MONEY_LIMIT },
    },
  }),
  defaultSettings: { currency: 'CNY', precision: 2 },
  refineSettings: ({ settings }) => ({
    settings,
    issues: rangeIssues({ min: settings.min, max: settings.max, minKey: 'min', maxKey: 'max' }),
  }),
  storage: () => columnStorage({ column: { kind: 'decimal', precision: 20, scale: 4 }, indexable: true }),
  valueSchema: (settings) =>
    withBounds({
      schema: { type: 'number', decimalPlaces: settings.precision, exclusiveMinimum: -MONEY_LIMIT, exclusiveMaximum: MONEY_LIMIT },
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
