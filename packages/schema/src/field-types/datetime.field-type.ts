import { dateTimeCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, DATE_OPERATORS, EMPTY_SETTINGS_SCHEMA } from './field-type-helpers';

export type DateTimeSettings = Record<string, never>;

/** Instant: ISO 8601 with Z or an offset in the API, UTC in storage. */
export const datetimeFieldType: FieldTypeDefinition<DateTimeSettings> = {
  key: 'datetime',
  label: { en: 'Date and time', 'zh-CN': '日期时间' },
  settingsSchema: EMPTY_SETTINGS_SCHEMA,
  defaultSettings: {},
  storage: () => columnStorage({ column: { kind: 'datetime' }, indexable: true }),
  valueSchema: () => ({ type: 'string', format: 'date-time' }),
  valueKind: () => 'datetime',
  operators: DATE_OPERATORS,
  operatorsFor: () => DATE_OPERATORS,
  sortable: true,
  uniqueAllowed: true,
  writable: true,
  publicFillable: true,
  ...dateTimeCodec,
};
