import { stringCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, LONG_TEXT_OPERATORS, settingsObjectSchema } from './field-type-helpers';

export type TextareaSettings = { maxLength: number };

/** Multi-line text in a TEXT column; not indexable or sortable. */
export const textareaFieldType: FieldTypeDefinition<TextareaSettings> = {
  key: 'textarea',
  label: { en: 'Multi-line text', 'zh-CN': '多行文本' },
  settingsSchema: settingsObjectSchema({
    properties: { maxLength: { type: 'integer', minimum: 1, maximum: 65535, default: 10000 } },
  }),
  defaultSettings: { maxLength: 10000 },
  storage: () => columnStorage({ column: { kind: 'text' }, indexable: false }),
  valueSchema: (settings) => ({ type: 'string', maxLength: settings.maxLength }),
  valueKind: () => 'string',
  operators: LONG_TEXT_OPERATORS,
  operatorsFor: () => LONG_TEXT_OPERATORS,
  sortable: false,
  uniqueAllowed: false,
  writable: true,
  publicFillable: true,
  ...stringCodec,
};
