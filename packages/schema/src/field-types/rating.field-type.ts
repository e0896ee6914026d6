import { integerCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, NUMBER_OPERATORS, settingsObjectSchema } from './field-type-helpers';

export type RatingSettings = { max: 5 | 10 };

/** Stars from 1 to `max` (5 or 10), whole numbers; filtered and sorted as a number. */
export const ratingFieldType: FieldTypeDefinition<RatingSettings> = {
  key: 'rating',
  label: { en: 'Rating', 'zh-CN': '评分' },
  settingsSchema: settingsObjectSchema({
    properties: { max: { type: 'integer', enum: [5, 10], default: 5 } },
  }),
  defaultSettings: { max: 5 },
  storage: () => columnStorage({ column: { kind: 'integer' }, indexable: true }),
  valueSchema: (settings) => ({ type: 'integer', minimum: 1, maximum: settings.max }),
  valueKind: () => 'number',
  operators: NUMBER_OPERATORS,
  operatorsFor: () => NUMBER_OPERATORS,
  sortable: true,
  uniqueAllowed: false,
  writable: true,
  publicFillable: true,
  ...integerCodec,
};
