import { describe, expect, it } from 'vitest';
import { SchemaError, SchemaErrorCode } from './errors';
import { normalizeFieldOrThrow } from './field-definition';
import type { FieldDefinition, FieldTypeKey } from './types';

const OPTIONS = [
  { value: 'a', label: 'A' },
  { value: 'b', label: 'B', color: '#f00' },
];

function field(type: FieldTypeKey | string, settings: Record<string, unknown> = {}, extra: Partial<FieldDefinition> = {}): FieldDefinition {
  return { key: 'f', label: 'F', type: type as FieldTypeKey, settings, ...extra };
}

function errorOf(input: FieldDefinition): SchemaError {
  try {
    normalizeFieldOrThrow({ field: input });
  } catch (error) {
    if (error instanceof SchemaError) return error;
    throw error;
  }
  throw new Error('expected a SchemaError');
}

function issuePairs(error: SchemaError): [string, string][] {
  return (error.issues ?? []).map((issue) => [issue.path, issue.code]);
}

describe('normalizeFieldOrThrow: settings defaults', () => {
  it.each<[FieldTypeKey, Record<string, unknown>, Record<string, unknown>]>([
    ['text', {}, { maxLength: 255 }],
    ['textarea', {}, { maxLength: 10000 }],
    ['number', {}, { precision: 0 }],
    ['money', {}, { currency: 'CNY', precision: 2 }],
    ['date', {}, {}],
    ['datetime', {}, {}],
    ['switch', {}, {}],
    ['radio', { options: OPTIONS }, { options: OPTIONS }],
    ['select', { options: OPTIONS }, { options: OPTIONS }],
    ['checkbox', { options: OPTIONS }, { options: OPTIONS }],
    ['multiselect', { options: OPTIONS, maxItems: 2 }, { options: OPTIONS, maxItems: 2 }],
    ['email', {}, {}],
    ['phone', {}, {}],
    ['url', {}, {}],
    ['member', {}, { multiple: false }],
    ['department', {}, { multiple: false }],
    ['relation', { targetEntityId: 'e1' }, { targetEntityId: 'e1', multiple: false }],
    ['attachment', {}, { maxFiles: 10 }],
    ['serial', {}, { prefix: '', datePart: 'YYYYMMDD', digits: 4, reset: 'never' }],
  ])('%s fills %j to %j', (type, settings, expected) => {
    expect(normalizeFieldOrThrow({ field: field(type, settings) }).settings).toEqual(expected);
  });

  it('keeps given settings over defaults and treats missing settings as {}', () => {
    expect(normalizeFieldOrThrow({ field: field('money', { currency: 'USD', precision: 0, min: 0 }) }).settings).toEqual({
      currency: 'USD',
      precision: 0,
      min: 0,
    });
    const noSettings = { key: 'f', label: 'F', type: 'text' } as unknown as FieldDefinition;
    expect(normalizeFieldOrThrow({ field: noSettings }).settings).toEqual({ maxLength: 255 });
  });

  it('returns boolean flags, a trimmed label and implies unique for serial', () => {
    expect(normalizeFieldOrThrow({ field: field('text', {}, { label: '  Name ' }) })).toEqual({
      key: 'f',
      label: 'Name',
      type: 'text',
      required: false,
      unique: false,
      indexed: false,
      settings: { maxLength: 255 },
    });
    expect(normalizeFieldOrThrow({ field: field('serial') }).unique).toBe(true);
    expect(normalizeFieldOrThrow({ field: field('text', {}, { required: true, unique: true, indexed: true }) })).toMatchObject({
      required: true,
      unique: true,
      indexed: true,
    });
  });

  it('fills defaults of subform children', () => {
    const normalized = normalizeFieldOrThrow({
      field: field('subform', { fields: [{ key: 'qty', label: 'Qty', type: 'number', settings: {} }] }),
    });
    expect(normalized.settings).toEqual({
      maxRows: 200,
      fields: [{ key: 'qty', label: 'Qty', type: 'number', required: false, unique: false, indexed: false, settings: { precision: 0 } }],
    });
  });
});

describe('normalizeFieldOrThrow: settings refusals', () => {
  it.each<[FieldTypeKey, Record<string, unknown>, [string, string][]]>([
    ['text', { maxLength: 256 }, [['/settings/maxLength', 'too_large']]],
    ['text', { maxLength: 0 }, [['/settings/maxLength', 'too_small']]],
    ['text', { maxLength: 'long' }, [['/settings/maxLength', 'invalid_type']]],
    ['text', { colour: 'red' }, [['/settings/colour', 'unknown_field']]],
    ['textarea', { maxLength: 65536 }, [['/settings/maxLength', 'too_large']]],
    ['number', { precision: 11 }, [['/settings/precision', 'too_large']]],
    ['number', { precision: 1.5 }, [['/settings/precision', 'invalid_type']]],
    ['number', { min: 10, max: 1 }, [['/settings/max', 'invalid_range']]],
    ['number', { unit: 'x'.repeat(21) }, [['/settings/unit', 'too_long']]],
    ['money', { currency: 'usd' }, [['/settings/currency', 'invalid_format']]],
    ['money', { precision: 5 }, [['/settings/precision', 'too_large']]],
    ['date', { format: 'DD/MM' }, [['/settings/format', 'unknown_field']]],
    ['switch', { x: 1 }, [['/settings/x', 'unknown_field']]],
    ['radio', {}, [['/settings/options', 'required']]],
    ['select', { options: [] }, [['/settings/options', 'too_few']]],
    ['select', { options: [{ value: '', label: 'Empty' }] }, [['/settings/options/0/value', 'too_short']]],
    ['select', { options: [{ value: 'x'.repeat(101), label: 'Long' }] }, [['/settings/options/0/value', 'too_long']]],
    ['select', { options: [{ value: 'a' }] }, [['/settings/options/0/label', 'required']]],
    ['select', { options: [{ value: 'a', label: 'A', icon: 'x' }] }, [['/settings/options/0/icon', 'unknown_field']]],
    [
      'radio',
      {
        options: [
          { value: 'a', label: 'A' },
          { value: 'b', label: 'B' },
          { value: 'a', label: 'A again' },
        ],
      },
      [['/settings/options/2/value', 'duplicate_value']],
    ],
    ['checkbox', { options: OPTIONS, minItems: 2, maxItems: 1 }, [['/settings/maxItems', 'invalid_range']]],
    ['multiselect', { options: OPTIONS, minItems: 3 }, [['/settings/minItems', 'invalid_range']]],
    ['member', { multiple: 'yes' }, [['/settings/multiple', 'invalid_type']]],
    ['relation', {}, [['/settings/targetEntityId', 'required']]],
    ['subform', {}, [['/settings/fields', 'required']]],
    ['subform', { fields: [] }, [['/settings/fields', 'too_few']]],
    ['subform', { fields: [{ key: 'a', label: 'A', type: 'text' }], maxRows: 1001 }, [['/settings/maxRows', 'too_large']]],
    ['attachment', { maxFiles: 51 }, [['/settings/maxFiles', 'too_large']]],
    ['attachment', { accept: ['image'] }, [['/settings/accept/0', 'invalid_format']]],
    ['serial', { prefix: 'QT/' }, [['/settings/prefix', 'invalid_format']]],
    ['serial', { digits: 13 }, [['/settings/digits', 'too_large']]],
    ['serial', { datePart: 'YYMM' }, [['/settings/datePart', 'invalid_option']]],
    ['serial', { reset: 'weekly' }, [['/settings/reset', 'invalid_option']]],
    ['serial', { datePart: 'YYYY', reset: 'daily' }, [['/settings/datePart', 'invalid_combination']]],
    ['serial', { datePart: '', reset: 'yearly' }, [['/settings/datePart', 'invalid_combination']]],
  ])('%s refuses %j', (type, settings, expected) => {
    const error = errorOf(field(type, settings));
    expect(error.code).toBe(SchemaErrorCode.INVALID_SETTINGS);
    expect(issuePairs(error)).toEqual(expected);
    expect(error.message).toContain(type);
  });

  it('accepts valid option, attachment and serial settings', () => {
    expect(() => normalizeFieldOrThrow({ field: field('attachment', { accept: ['image/*', 'application/pdf', '*/*'] }) })).not.toThrow();
    expect(() => normalizeFieldOrThrow({ field: field('serial', { prefix: 'QT-', datePart: 'YYYYMM', reset: 'monthly' }) })).not.toThrow();
    const many = Array.from({ length: 500 }, (_, i) => ({ value: `v${i}`, label: `V${i}` }));
    expect(() => normalizeFieldOrThrow({ field: field('select', { options: many }) })).not.toThrow();
    expect(errorOf(field('select', { options: [...many, { value: 'x', label: 'X' }] })).code).toBe(SchemaErrorCode.INVALID_SETTINGS);
  });

  it('refuses settings that are not an object', () => {
    expect(issuePairs(errorOf(field('text', [] as unknown as Record<string, unknown>)))).toEqual([['/settings', 'invalid_type']]);
  });

  it('lists all subform child problems under their paths', () => {
    const error = errorOf(
      field('subform', {
        fields: [
          { key: 'qty', label: 'Qty', type: 'number', settings: { precision: 20 } },
          { key: 'Bad', label: 'Bad', type: 'text', settings: {} },
          { key: 'qty', label: 'Again', type: 'text', settings: {} },
          { key: 'rows', label: 'Rows', type: 'subform', settings: {} },
          { key: 'no', label: 'No', type: 'serial', settings: {} },
          { key: 'links', label: 'Links', type: 'relation', settings: { targetEntityId: 'e', multiple: true } },
          { key: 'code', label: 'Code', type: 'text', unique: true, settings: {} },
          { key: 'select', label: 'Sel', type: 'colour', settings: {} },
        ],
      }),
    );
    expect(error.code).toBe(SchemaErrorCode.INVALID_SETTINGS);
    expect(issuePairs(error)).toEqual([
      ['/settings/fields/0/settings/precision', 'too_large'],
      ['/settings/fields/1/key', 'invalid_key'],
      ['/settings/fields/2/key', 'duplicate_key'],
      ['/settings/fields/3/type', 'not_allowed_in_subform'],
      ['/settings/fields/4/type', 'not_allowed_in_subform'],
      ['/settings/fields/5/settings/multiple', 'not_allowed_in_subform'],
      ['/settings/fields/6/unique', 'not_allowed_in_subform'],
      ['/settings/fields/7/key', 'reserved_key'],
      ['/settings/fields/7/type', 'unknown_type'],
    ]);
    for (const issue of error.issues ?? []) expect(issue.message.startsWith(issue.path)).toBe(true);
  });

  it('accepts a single relation in a subform', () => {
    const normalized = normalizeFieldOrThrow({
      field: field('subform', { fields: [{ key: 'product', label: 'Product', type: 'relation', settings: { targetEntityId: 'p' } }] }),
    });
    expect((normalized.settings.fields as FieldDefinition[])[0].settings).toEqual({ targetEntityId: 'p', multiple: false });
  });
});

describe('normalizeFieldOrThrow: field refusals', () => {
  it('refuses a bad key with INVALID_KEY and a reserved one with RESERVED_KEY', () => {
    expect(errorOf(field('text', {}, { key: 'Bad Key' })).code).toBe(SchemaErrorCode.INVALID_KEY);
    const reserved = errorOf(field('text', {}, { key: 'created_at' }));
    expect(reserved.code).toBe(SchemaErrorCode.RESERVED_KEY);
    expect(reserved.message).toContain('created_at');
    expect(issuePairs(reserved)).toEqual([['/key', 'reserved_key']]);
  });

  it('refuses an unknown type naming it', () => {
    const error = errorOf(field('colour'));
    expect(error.code).toBe(SchemaErrorCode.UNKNOWN_FIELD_TYPE);
    expect(error.message).toContain('colour');
    expect(errorOf(field('toString')).code).toBe(SchemaErrorCode.UNKNOWN_FIELD_TYPE);
  });

  it.each([
    ['', 'too_short'],
    ['   ', 'too_short'],
    ['x'.repeat(101), 'too_long'],
    [7, 'invalid_type'],
  ])('refuses label %j', (label, code) => {
    const error = errorOf(field('text', {}, { label: label as string }));
    expect(error.code).toBe(SchemaErrorCode.INVALID_FIELD);
    expect(issuePairs(error)).toEqual([['/label', code]]);
  });

  it.each<[FieldTypeKey, Record<string, unknown>]>([
    ['textarea', {}],
    ['switch', {}],
    ['select', { options: OPTIONS }],
    ['checkbox', { options: OPTIONS }],
    ['url', {}],
    ['member', {}],
    ['relation', { targetEntityId: 'e' }],
    ['attachment', {}],
  ])('refuses unique on %s', (type, settings) => {
    const error = errorOf(field(type, settings, { unique: true }));
    expect(error.code).toBe(SchemaErrorCode.INVALID_FIELD);
    expect(issuePairs(error)).toEqual([['/unique', 'unique_not_allowed']]);
  });

  it.each<[FieldTypeKey, Record<string, unknown>]>([
    ['text', {}],
    ['number', {}],
    ['money', {}],
    ['date', {}],
    ['datetime', {}],
    ['email', {}],
    ['phone', {}],
    ['serial', {}],
  ])('allows unique on %s', (type, settings) => {
    expect(normalizeFieldOrThrow({ field: field(type, settings, { unique: true }) }).unique).toBe(true);
  });

  it('refuses an index where storage cannot have one', () => {
    expect(issuePairs(errorOf(field('textarea', {}, { indexed: true })))).toEqual([['/indexed', 'index_not_allowed']]);
    expect(issuePairs(errorOf(field('member', { multiple: true }, { indexed: true })))).toEqual([['/indexed', 'index_not_allowed']]);
    expect(normalizeFieldOrThrow({ field: field('member', {}, { indexed: true }) }).indexed).toBe(true);
  });

  it('refuses required on a server-assigned serial and non-boolean flags', () => {
    expect(issuePairs(errorOf(field('serial', {}, { required: true })))).toEqual([['/required', 'required_not_allowed']]);
    expect(issuePairs(errorOf(field('text', {}, { required: 'yes' as unknown as boolean })))).toEqual([['/required', 'invalid_type']]);
  });

  it('throws with the first problem code and lists every issue', () => {
    const error = errorOf({ key: 'Bad', label: '', type: 'text', settings: { maxLength: 999 } });
    expect(error.code).toBe(SchemaErrorCode.INVALID_KEY);
    expect(issuePairs(error)).toEqual([
      ['/key', 'invalid_key'],
      ['/label', 'too_short'],
      ['/settings/maxLength', 'too_large'],
    ]);
  });
});
