import { jsonListCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, EMPTY_OPERATORS, settingsObjectSchema } from './field-type-helpers';

export type AttachmentSettings = { maxFiles: number; accept?: string[] };

/** MIME type or wildcard pattern: 'image/*', 'application/pdf', '*\/*'. */
export const MIME_PATTERN = '^(\\*/\\*|[A-Za-z0-9][\\w!#$&^.+-]*/(\\*|[A-Za-z0-9][\\w!#$&^.+-]*))$';

const FILE_ID_SCHEMA = { type: 'string', minLength: 1, maxLength: 64 };

/** Uploaded files (a json list); the API stores each as {id, name, size, mime} so reads need no join. */
export const attachmentFieldType: FieldTypeDefinition<AttachmentSettings> = {
  key: 'attachment',
  label: { en: 'Attachment', 'zh-CN': '附件' },
  settingsSchema: settingsObjectSchema({
    properties: {
      maxFiles: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
      accept: {
        type: 'array',
        maxItems: 50,
        uniqueItems: true,
        items: { type: 'string', maxLength: 100, pattern: MIME_PATTERN },
      },
    },
  }),
  defaultSettings: { maxFiles: 10 },
  storage: () => columnStorage({ column: { kind: 'json' }, indexable: false }),
  // Each item is a file id or an object with an id (as reads return it; other keys ignored).
  valueSchema: (settings) => ({
    type: 'array',
    maxItems: settings.maxFiles,
    items: {
      type: ['string', 'object'],
      if: { type: 'object' },
      then: { type: 'object', properties: { id: FILE_ID_SCHEMA }, required: ['id'] },
      else: FILE_ID_SCHEMA,
    },
  }),
  valueKind: () => 'string-list',
  operators: EMPTY_OPERATORS,
  operatorsFor: () => EMPTY_OPERATORS,
  sortable: false,
  uniqueAllowed: false,
  writable: true,
  publicFillable: false,
  reference: 'file',
  fileTypes: (settings) => settings.accept,
  toDb: (value, settings) =>
    jsonListCodec.toDb(
      Array.isArray(value)
        ? value.map((ref: unknown) => (typeof ref === 'object' && ref !== null ? pickFileMetadata(ref as Record<string, unknown>) : ref))
        : value,
      settings,
    ),
  fromDb: (raw, settings) => jsonListCodec.fromDb(raw, settings),
};

/** Whether a MIME type matches one of the patterns (`image/*`, `*\/*`, exact); no patterns: any. */
export function mimeMatches(mime: string, patterns: readonly string[] | undefined): boolean {
  if (!patterns || patterns.length === 0) return true;
  const [type] = mime.toLowerCase().split('/');
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    return pattern === '*/*' || pattern === mime.toLowerCase() || (pattern.endsWith('/*') && pattern.slice(0, -2) === type);
  });
}

/** The file metadata kept in a record: nothing a client sent beyond these keys is stored. */
export function pickFileMetadata(ref: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: ref.id };
  for (const k of ['name', 'size', 'mime'] as const) if (ref[k] !== undefined) out[k] = ref[k];
  return out;
}
