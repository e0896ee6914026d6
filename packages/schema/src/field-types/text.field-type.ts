import { stringCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, settingsObjectSchema, TEXT_OPERATORS } from './field-type-helpers';

export type TextSettings = { maxLength: number };

/** Single-line text, up to 255 characters. */
export const textFieldType: FieldTypeDefinition<TextSettings> = {
  key: 'text',
  label: { en: 'Single-line text', 'zh-CN': '单行文本' },
  settingsSchema: settingsObjectSchema({
    properties: { maxLength: { type: 'integer', minimum: 1, maximum: 255, default: 255 } },
  }),
  defaultSettings: { maxLength: 255 },
  storage: () => columnStorage({ column: { kind: 'string', length: 255 }, indexable: true }),
  valueSchema: (settings) => ({ type: 'string', maxLength: settings.maxLength }),
  valueKind: () => 'string',
  operators: TEXT_OPERATORS,
  operatorsFor: () => TEXT_OPERATORS,
  sortable: true,
  uniqueAllowed: true,
  writable: true,
  publicFillable: true,
  ...stringCodec,
};
