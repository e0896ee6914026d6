import { SchemaError, SchemaErrorCode } from '../errors';
import { ADDRESS_LEVELS, addressText, type AddressLevel, type AddressValue, regionLevelOf, regionPath } from '../regions';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, settingsObjectSchema } from './field-type-helpers';

export type AddressSettings = { level: AddressLevel; detail: boolean };

const ADDRESS_OPERATORS = ['in_region', 'is_empty', 'is_not_empty'] as const;
const CODE = { type: 'string', pattern: '^\\d{6}$' };
const DETAIL_MAX = 200;

/**
 * 省 / 市 / 区县 from the shipped region data set plus a detail line. Stored in one indexed
 * VARCHAR as "<deepest code>|<detail>": codes are hierarchical, so "inside Guangdong" or
 * "inside Shenzhen" is an index range over the column's leading digits (see `in_region`).
 */
export const addressFieldType: FieldTypeDefinition<AddressSettings> = {
  key: 'address',
  label: { en: 'Address', 'zh-CN': '地址' },
  settingsSchema: settingsObjectSchema({
    properties: {
      level: { type: 'string', enum: [...ADDRESS_LEVELS], default: 'district' },
      detail: { type: 'boolean', default: true },
    },
  }),
  defaultSettings: { level: 'district', detail: true },
  storage: () => columnStorage({ column: { kind: 'string', length: 255 }, indexable: true, autoIndex: true }),
  // `text` is what reads return; a client may send it back, it is recomputed.
  valueSchema: (settings) => ({
    type: 'object',
    properties: {
      province: CODE,
      city: CODE,
      district: CODE,
      ...(settings.detail ? { detail: { type: 'string', maxLength: DETAIL_MAX } } : {}),
      text: { type: 'string' },
    },
    required: ['province'],
    additionalProperties: false,
    addressLevel: settings.level,
  }),
  valueKind: () => 'region',
  operators: ADDRESS_OPERATORS,
  operatorsFor: () => ADDRESS_OPERATORS,
  sortable: true,
  uniqueAllowed: false,
  writable: true,
  publicFillable: true,
  toDb(value) {
    if (value === null || value === undefined) return null;
    const a = value as AddressValue;
    const deepest = a.district ?? a.city ?? a.province;
    if (typeof deepest !== 'string' || !regionLevelOf(deepest)) throw invalid(value);
    return `${deepest}|${(a.detail ?? '').trim()}`;
  },
  fromDb(raw) {
    if (raw === null || raw === undefined) return null;
    const text = String(raw);
    const bar = text.indexOf('|');
    const code = bar < 0 ? text : text.slice(0, bar);
    const detail = bar < 0 ? '' : text.slice(bar + 1);
    const value: AddressValue = { province: '', ...regionPath(code), ...(detail ? { detail } : {}) };
    if (!value.province) throw invalid(raw);
    return { ...value, text: addressText(value) };
  },
};

function invalid(value: unknown): SchemaError {
  return new SchemaError({
    code: SchemaErrorCode.INVALID_VALUE,
    message: `Cannot convert ${JSON.stringify(value)}: expected an address with known region codes.`,
    details: { expected: 'an address' },
  });
}
