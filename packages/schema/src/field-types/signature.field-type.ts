import type { FieldTypeDefinition } from '../types';
import { attachmentFieldType } from './attachment.field-type';
import { EMPTY_OPERATORS, settingsObjectSchema } from './field-type-helpers';

export type SignatureSettings = Record<string, never>;

/**
 * A handwritten signature (手写签名), drawn in the browser and uploaded as one PNG; stored like
 * an attachment with at most one file (`[{ id, name, size, mime }]`), so downloads, access
 * checks and the audit of attach/detach are the files module's.
 */
export const signatureFieldType: FieldTypeDefinition<SignatureSettings> = {
  key: 'signature',
  label: { en: 'Signature', 'zh-CN': '手写签名' },
  settingsSchema: settingsObjectSchema({ properties: {} }),
  defaultSettings: {},
  storage: () => attachmentFieldType.storage({ maxFiles: 1 }),
  valueSchema: (_settings, ctx) => attachmentFieldType.valueSchema({ maxFiles: 1 }, ctx),
  valueKind: () => 'string-list',
  operators: EMPTY_OPERATORS,
  operatorsFor: () => EMPTY_OPERATORS,
  sortable: false,
  uniqueAllowed: false,
  writable: true,
  publicFillable: false,
  reference: 'file',
  fileTypes: () => ['image/png'],
  toDb: (value) => attachmentFieldType.toDb(value, { maxFiles: 1 }),
  fromDb: (raw) => attachmentFieldType.fromDb(raw, { maxFiles: 1 }),
};
