import { listPassThroughCodec, refCodec } from '../db-codecs';
import type { FieldTypeDefinition, JsonSchema } from '../types';
import { CHOICE_OPERATORS, LIST_OPERATORS, MAX_LIST_ITEMS, settingsObjectSchema, SINGLE_OR_MULTIPLE_OPERATORS } from './field-type-helpers';

/**
 * `displayFields`: target fields the picker shows beside the display field. `filter`: a
 * json-logic condition over the target's fields that limits what the picker offers; string
 * values `$form.<key>` stand for the current value of field `<key>` of the form being filled
 * in (`$row.<key>` for a sibling in the same subform row).
 */
export type RelationSettings = { targetEntityId: string; multiple: boolean; displayFields?: string[]; filter?: Record<string, unknown> };

const RECORD_ID_SCHEMA: JsonSchema = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER };

/** Link to one record (ref column) or several (link table) of another entity. */
export const relationFieldType: FieldTypeDefinition<RelationSettings> = {
  key: 'relation',
  label: { en: 'Relation', 'zh-CN': '关联数据' },
  settingsSchema: settingsObjectSchema({
    properties: {
      targetEntityId: { type: 'string', minLength: 1, maxLength: 64 },
      multiple: { type: 'boolean', default: false },
      displayFields: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 48 }, maxItems: 10, uniqueItems: true },
      filter: { type: 'object' },
    },
    required: ['targetEntityId'],
  }),
  defaultSettings: { multiple: false },
  storage: (settings) => (settings.multiple ? { kind: 'link-table' } : { kind: 'column', column: { kind: 'ref' }, indexable: true }),
  valueSchema: (settings) => (settings.multiple ? { type: 'array', items: RECORD_ID_SCHEMA, uniqueItems: true, maxItems: MAX_LIST_ITEMS } : RECORD_ID_SCHEMA),
  valueKind: (settings) => (settings.multiple ? 'id-list' : 'id'),
  operators: SINGLE_OR_MULTIPLE_OPERATORS,
  operatorsFor: (settings) => (settings.multiple ? LIST_OPERATORS : CHOICE_OPERATORS),
  sortable: false,
  uniqueAllowed: false,
  writable: true,
  publicFillable: false,
  reference: 'record',
  // Multiple: the ids go to the link table; the list passes through, read ids become numbers.
  toDb: (value, settings) => (settings.multiple ? listPassThroughCodec : refCodec).toDb(value, settings),
  fromDb: (raw, settings) => {
    if (!settings.multiple) return refCodec.fromDb(raw, settings);
    const ids = listPassThroughCodec.fromDb(raw, settings) as unknown[] | null;
    return ids && ids.map((id) => refCodec.fromDb(id, settings));
  },
};
