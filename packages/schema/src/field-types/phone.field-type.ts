import { stringCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, EMPTY_SETTINGS_SCHEMA, TEXT_OPERATORS } from './field-type-helpers';

export type PhoneSettings = Record<string, never>;

/** Phone number: optional +, then digits, dashes and spaces (5..25 characters). */
export const PHONE_PATTERN = '^\\+?[0-9][0-9\\- ]{4,24}$';

export const phoneFieldType: FieldTypeDefinition<PhoneSettings> = {
  key: 'phone',
  label: { en: 'Phone', 'zh-CN': '手机号' },
  settingsSchema: EMPTY_SETTINGS_SCHEMA,
  defaultSettings: {},
  storage: () => columnStorage({ column: { kind: 'string', length: 255 }, indexable: true }),
  valueSchema: () => ({ type: 'string', pattern: PHONE_PATTERN }),
  valueKind: () => 'string',
  operators: TEXT_OPERATORS,
  operatorsFor: () => TEXT_OPERATORS,
  sortable: true,
  uniqueAllowed: true,
  writable: true,
  publicFillable: true,
  ...stringCodec,
};
