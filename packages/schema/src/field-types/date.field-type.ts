import { dateCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, DATE_OPERATORS, EMPTY_SETTINGS_SCHEMA } from './field-type-helpers';

export type DateSettings = Record<string, never>;

/** Calendar date 'YYYY-MM-DD' (a real one: 2026-02-30 is refused). */
export const dateFieldType: FieldTypeDefinition<DateSettings> = {
  key: 'date',
  label: { en: 'Date', 'zh-CN': '日期' },
  settingsSchema: EMPTY_SETTINGS_SCHEMA,
  defaultSettings: {},
  storage: () => columnStorage({ column: { kind: 'date' }, indexable: true }),
  valueSchema: () => ({ type: 'string', format: 'date' }),
  valueKind: () => 'date',
  operators: DATE_OPERATORS,
  operatorsFor: () => DATE_OPERATORS,
  sortable: true,
  uniqueAllowed: true,
  writable: true,
  publicFillable: true,
  ...dateCodec,
};
