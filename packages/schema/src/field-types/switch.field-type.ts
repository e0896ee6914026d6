import { booleanCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, EMPTY_SETTINGS_SCHEMA } from './field-type-helpers';

export type SwitchSettings = Record<string, never>;

const SWITCH_OPERATORS = ['==', '!=', 'is_empty', 'is_not_empty'] as const;

/** On/off; stored 0/1. */
export const switchFieldType: FieldTypeDefinition<SwitchSettings> = {
  key: 'switch',
  label: { en: 'Switch', 'zh-CN': '开关' },
  settingsSchema: EMPTY_SETTINGS_SCHEMA,
  defaultSettings: {},
  storage: () => columnStorage({ column: { kind: 'boolean' }, indexable: true }),
  valueSchema: () => ({ type: 'boolean' }),
  valueKind: () => 'boolean',
  operators: SWITCH_OPERATORS,
  operatorsFor: () => SWITCH_OPERATORS,
  sortable: true,
  uniqueAllowed: false,
  writable: true,
  publicFillable: true,
  ...booleanCodec,
};
