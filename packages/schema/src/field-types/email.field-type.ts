import { stringCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, EMPTY_SETTINGS_SCHEMA, TEXT_OPERATORS } from './field-type-helpers';

export type EmailSettings = Record<string, never>;

/** Email address, up to 255 characters. */
export const emailFieldType: FieldTypeDefinition<EmailSettings> = {
  key: 'email',
  label: { en: 'Email', 'zh-CN': '邮箱' },
  settingsSchema: EMPTY_SETTINGS_SCHEMA,
  defaultSettings: {},
  storage: () => columnStorage({ column: { kind: 'string', length: 255 }, indexable: true }),
  valueSchema: () => ({ type: 'string', format: 'email', maxLength: 255 }),
  valueKind: () => 'string',
  operators: TEXT_OPERATORS,
  operatorsFor: () => TEXT_OPERATORS,
  sortable: true,
  uniqueAllowed: true,
  writable: true,
  publicFillable: true,
  ...stringCodec,
};
