import { stringCodec } from '../db-codecs';
import { sanitizeRichText } from '../html';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, settingsObjectSchema } from './field-type-helpers';

export type RichtextSettings = { maxLength: number };

const RICHTEXT_OPERATORS = ['contains', 'is_empty', 'is_not_empty'] as const;

/**
 * Formatted text as HTML, sanitised on the server with an allow-list (see html.ts) on every
 * write, so a stored script or event handler can never come back; `contains` searches its text.
 */
export const richtextFieldType: FieldTypeDefinition<RichtextSettings> = {
  key: 'richtext',
  label: { en: 'Rich text', 'zh-CN': '富文本' },
  settingsSchema: settingsObjectSchema({
    properties: { maxLength: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 100_000 } },
  }),
  defaultSettings: { maxLength: 100_000 },
  storage: () => columnStorage({ column: { kind: 'text' }, indexable: false }),
  valueSchema: (settings) => ({ type: 'string', maxLength: settings.maxLength, sanitizeHtml: true }),
  valueKind: () => 'html',
  operators: RICHTEXT_OPERATORS,
  operatorsFor: () => RICHTEXT_OPERATORS,
  sortable: false,
  uniqueAllowed: false,
  writable: true,
  publicFillable: true,
  // Sanitised again on the way to the database (idempotent): no path around the validator stores raw HTML.
  toDb: (value, settings) => stringCodec.toDb(typeof value === 'string' ? sanitizeRichText(value) : value, settings),
  fromDb: (raw, settings) => stringCodec.fromDb(raw, settings),
};
