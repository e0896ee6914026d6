import type { FieldTypeDefinition } from '../types';
import { attachmentFieldType } from './attachment.field-type';
import { EMPTY_OPERATORS, settingsObjectSchema } from './field-type-helpers';

export type ImageSettings = { maxFiles: number };

/** The picture formats browsers show and the server can make thumbnails of. */
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/**
 * Pictures (several per field): uploaded files like attachments (a json list of
 * `{ id, name, size, mime }`), restricted to image formats; the API serves thumbnails.
 */
export const imageFieldType: FieldTypeDefinition<ImageSettings> = {
  key: 'image',
  label: { en: 'Image', 'zh-CN': '图片' },
  settingsSchema: settingsObjectSchema({ properties: { maxFiles: { type: 'integer', minimum: 1, maximum: 20, default: 9 } } }),
  defaultSettings: { maxFiles: 9 },
  storage: () => attachmentFieldType.storage({ maxFiles: 9 }),
  valueSchema: (settings, ctx) => attachmentFieldType.valueSchema({ maxFiles: settings.maxFiles }, ctx),
  valueKind: () => 'string-list',
  operators: EMPTY_OPERATORS,
  operatorsFor: () => EMPTY_OPERATORS,
  sortable: false,
  uniqueAllowed: false,
  writable: true,
  publicFillable: false,
  reference: 'file',
  fileTypes: () => IMAGE_MIME_TYPES,
  toDb: (value, settings) => attachmentFieldType.toDb(value, { maxFiles: settings.maxFiles }),
  fromDb: (raw, settings) => attachmentFieldType.fromDb(raw, { maxFiles: settings.maxFiles }),
};
