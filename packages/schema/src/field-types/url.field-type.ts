import { stringCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, EMPTY_SETTINGS_SCHEMA, LONG_TEXT_OPERATORS } from './field-type-helpers';

export type UrlSettings = Record<string, never>;

/** http(s) scheme and a non-empty host; `format: uri` alone admits javascript: and mailto:. */
export const HTTP_URL_PATTERN = '^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+';

/** Web link, up to 2000 characters, http or https only. */
export const urlFieldType: FieldTypeDefinition<UrlSettings> = {
  key: 'url',
  label: { en: 'Link', 'zh-CN': '链接' },
  settingsSchema: EMPTY_SETTINGS_SCHEMA,
  defaultSettings: {},
  storage: () => columnStorage({ column: { kind: 'text' }, indexable: false }),
  valueSchema: () => ({ type: 'string', format: 'uri', pattern: HTTP_URL_PATTERN, maxLength: 2000 }),
  valueKind: () => 'string',
  operators: LONG_TEXT_OPERATORS,
  operatorsFor: () => LONG_TEXT_OPERATORS,
  sortable: false,
  uniqueAllowed: false,
  writable: true,
  publicFillable: true,
  ...stringCodec,
};
