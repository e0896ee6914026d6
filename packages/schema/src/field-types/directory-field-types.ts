import { jsonListCodec, stringCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import {
  CHOICE_OPERATORS,
  columnStorage,
  LIST_OPERATORS,
  MAX_LIST_ITEMS,
  MEMBER_ID_SCHEMA,
  settingsObjectSchema,
  SINGLE_OR_MULTIPLE_OPERATORS,
} from './field-type-helpers';

export type DirectorySettings = { multiple: boolean };

/**
 * Definition of a type holding one or several ids from the workspace directory (member,
 * department): a string(36) column when single, a json list when multiple.
 */
export function directoryFieldType(args: { key: 'member' | 'department'; label: FieldTypeDefinition['label'] }): FieldTypeDefinition<DirectorySettings> {
  return {
    key: args.key,
    label: args.label,
    settingsSchema: settingsObjectSchema({ properties: { multiple: { type: 'boolean', default: false } } }),
    defaultSettings: { multiple: false },
    storage: (settings) =>
      settings.multiple
        ? columnStorage({ column: { kind: 'json' }, indexable: false })
        : columnStorage({ column: { kind: 'string', length: 36 }, indexable: true }),
    valueSchema: (settings) => (settings.multiple ? { type: 'array', items: MEMBER_ID_SCHEMA, uniqueItems: true, maxItems: MAX_LIST_ITEMS } : MEMBER_ID_SCHEMA),
    valueKind: (settings) => (settings.multiple ? 'string-list' : 'string'),
    operators: SINGLE_OR_MULTIPLE_OPERATORS,
    operatorsFor: (settings) => (settings.multiple ? LIST_OPERATORS : CHOICE_OPERATORS),
    sortable: false,
    uniqueAllowed: false,
    writable: true,
    publicFillable: false,
    reference: args.key,
    toDb: (value, settings) => (settings.multiple ? jsonListCodec : stringCodec).toDb(value, settings),
    fromDb: (raw, settings) => (settings.multiple ? jsonListCodec : stringCodec).fromDb(raw, settings),
  };
}
