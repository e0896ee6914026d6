import { jsonObjectCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, EMPTY_OPERATORS, settingsObjectSchema } from './field-type-helpers';

export type LocationSettings = { labelMaxLength: number };

/** A point on the map: WGS-84 latitude and longitude (range-checked) and an optional place label. */
export const locationFieldType: FieldTypeDefinition<LocationSettings> = {
  key: 'location',
  label: { en: 'Location', 'zh-CN': '定位' },
  settingsSchema: settingsObjectSchema({
    properties: { labelMaxLength: { type: 'integer', minimum: 1, maximum: 500, default: 200 } },
  }),
  defaultSettings: { labelMaxLength: 200 },
  storage: () => columnStorage({ column: { kind: 'json' }, indexable: false }),
  valueSchema: (settings) => ({
    type: 'object',
    properties: {
      lat: { type: 'number', minimum: -90, maximum: 90 },
      lng: { type: 'number', minimum: -180, maximum: 180 },
      label: { type: 'string', maxLength: settings.labelMaxLength },
    },
    required: ['lat', 'lng'],
    additionalProperties: false,
  }),
  valueKind: () => 'object',
  operators: EMPTY_OPERATORS,
  operatorsFor: () => EMPTY_OPERATORS,
  sortable: false,
  uniqueAllowed: false,
  writable: true,
  publicFillable: true,
  ...jsonObjectCodec,
};
