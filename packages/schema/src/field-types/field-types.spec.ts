import { describe, expect, it } from 'vitest';
import { createAjv } from '../ajv';
import { SchemaError } from '../errors';
import { normalizeFieldOrThrow } from '../field-definition';
import { compileRecordValidator } from '../record-schema';
import { FIELD_TYPE_KEYS, FILTER_OPERATORS, type FieldDefinition, type FieldTypeKey } from '../types';
import { fieldTypes, getFieldTypeOrThrow, isFieldTypeKey } from './registry';

const ajv = createAjv();
const OPTIONS = [
  { value: 'red', label: 'Red' },
  { value: 'green', label: 'Green' },
];

/** Issue codes of writing `value` to a single optional field `f`. */
function codesOf(type: FieldTypeKey, settings: Record<string, unknown>, value: unknown): string[] {
  const field: FieldDefinition = { key: 'f', label: 'F', type, settings };
  const validate = compileRecordValidator({ ajv, fields: [normalizeFieldOrThrow({ field })], mode: 'update' });
  return validate({ f: value }).map((issue) => `${issue.path} ${issue.code}`);
}

type Case = [FieldTypeKey, Record<string, unknown>, unknown];

describe('values accepted', () => {
  it.each<Case>([
    ['text', {}, 'hello'],
    ['text', { maxLength: 3 }, '汉字好'],
    ['text', {}, null],
    ['textarea', {}, 'line 1\nline 2'],
    ['number', {}, 42],
    ['number', { precision: 2, min: -1, max: 1 }, 0.07],
    ['number', { precision: 10 }, 0.1234567891],
    ['number', {}, -1e19],
    ['money', {}, 12.34],
    ['money', { precision: 0 }, 100],
    ['date', {}, '2024-02-29'],
    ['datetime', {}, '2026-11-23T08:30:00Z'],
    ['datetime', {}, '2026-11-23T08:30:00.123+08:00'],
    ['switch', {}, false],
    ['radio', { options: OPTIONS }, 'red'],
    ['select', { options: OPTIONS }, 'green'],
    ['checkbox', { options: OPTIONS }, ['red', 'green']],
    ['multiselect', { options: OPTIONS }, []],
    ['email', {}, 'a.b+c@example.com'],
    ['phone', {}, '+86 138-0013-8000'],
    ['phone', {}, '13800138000'],
    ['url', {}, 'https://example.com/a?b=c#d'],
    ['url', {}, 'HTTP://example.com'],
    ['member', {}, 'u-1'],
    ['member', { multiple: true }, ['u-1', 'u-2']],
    ['department', { multiple: true }, []],
    ['relation', { targetEntityId: 'e' }, 12],
    ['relation', { targetEntityId: 'e', multiple: true }, [1, 2, 3]],
    ['subform', { fields: [{ key: 'qty', label: 'Qty', type: 'number', settings: {} }] }, [{ qty: 1 }, { id: 3, qty: null }, {}]],
    ['attachment', {}, ['f1', { id: 'f2', name: 'a.png', size: 3, mime: 'image/png' }]],
  ])('%s %j accepts %j', (type, settings, value) => {
    expect(codesOf(type, settings, value)).toEqual([]);
  });
});

describe('values refused', () => {
  it.each<[...Case, string[]]>([
    ['text', { maxLength: 3 }, 'abcd', ['/f too_long']],
    ['text', {}, 5, ['/f invalid_type']],
    ['textarea', { maxLength: 5 }, 'abcdef', ['/f too_long']],
    ['number', {}, '5', ['/f invalid_type']],
    ['number', {}, 1.5, ['/f too_many_decimals']],
    ['number', { precision: 2 }, 0.1 + 0.2, ['/f too_many_decimals']],
    ['number', { min: 0, max: 10 }, 11, ['/f too_large']],
    ['number', { min: 0, max: 10 }, -1, ['/f too_small']],
    ['number', {}, 1e20, ['/f too_large']],
    ['money', {}, 1.234, ['/f too_many_decimals']],
    ['money', {}, 1e16, ['/f too_large']],
    ['money', { min: 0 }, -0.01, ['/f too_small']],
    ['date', {}, '2026-02-30', ['/f invalid_format']],
    ['date', {}, '2026-2-3', ['/f invalid_format']],
    ['date', {}, '2026-11-23T00:00:00Z', ['/f invalid_format']],
    ['datetime', {}, '2026-11-23T08:30:00', ['/f invalid_format']],
    ['datetime', {}, '2026-11-31T08:30:00Z', ['/f invalid_format']],
    ['datetime', {}, 1700000000000, ['/f invalid_type']],
    ['switch', {}, 1, ['/f invalid_type']],
    ['switch', {}, 'true', ['/f invalid_type']],
    ['radio', { options: OPTIONS }, 'blue', ['/f invalid_option']],
    ['select', { options: OPTIONS }, ['red'], ['/f invalid_type']],
    ['checkbox', { options: OPTIONS }, ['red', 'blue'], ['/f/1 invalid_option']],
    ['checkbox', { options: OPTIONS }, ['red', 'red'], ['/f/1 duplicate_items']],
    ['multiselect', { options: OPTIONS, maxItems: 1 }, ['red', 'green'], ['/f too_many']],
    ['multiselect', { options: OPTIONS, minItems: 2 }, ['red'], ['/f too_few']],
    ['multiselect', { options: OPTIONS }, 'red', ['/f invalid_type']],
    ['email', {}, 'not-an-email', ['/f invalid_format']],
    ['email', {}, `${'a'.repeat(250)}@x.com`, ['/f too_long']],
    ['phone', {}, '12', ['/f invalid_format']],
    ['phone', {}, '+86 abc 1234', ['/f invalid_format']],
    ['url', {}, 'javascript:alert(1)', ['/f invalid_format']],
    ['url', {}, 'ftp://example.com', ['/f invalid_format']],
    ['url', {}, 'https://', ['/f invalid_format']],
    ['url', {}, `https://example.com/${'a'.repeat(2000)}`, ['/f too_long']],
    ['member', {}, ['u-1'], ['/f invalid_type']],
    ['member', {}, 'x'.repeat(37), ['/f too_long']],
    ['member', { multiple: true }, ['u-1', 'u-1'], ['/f/1 duplicate_items']],
    ['relation', { targetEntityId: 'e' }, 0, ['/f too_small']],
    ['relation', { targetEntityId: 'e' }, 1.5, ['/f invalid_type']],
    ['relation', { targetEntityId: 'e' }, '12', ['/f invalid_type']],
    ['relation', { targetEntityId: 'e', multiple: true }, [1, 1], ['/f/1 duplicate_items']],
    ['relation', { targetEntityId: 'e', multiple: true }, Array.from({ length: 1001 }, (_, i) => i + 1), ['/f too_many']],
    ['subform', { maxRows: 1, fields: [{ key: 'qty', label: 'Qty', type: 'number', settings: {} }] }, [{}, {}], ['/f too_many']],
    [
      'subform',
      { fields: [{ key: 'qty', label: 'Qty', type: 'number', required: true, settings: {} }] },
      [{ qty: 1 }, { qty: null }, {}],
      ['/f/1/qty required', '/f/2/qty required'],
    ],
    ['subform', { fields: [{ key: 'qty', label: 'Qty', type: 'number', settings: {} }] }, [5], ['/f/0 invalid_type']],
    ['attachment', { maxFiles: 1 }, ['a', 'b'], ['/f too_many']],
    ['attachment', {}, [{ name: 'x' }], ['/f/0/id required']],
    ['attachment', {}, [42], ['/f/0 invalid_type']],
    ['attachment', {}, [''], ['/f/0 too_short']],
  ])('%s %j refuses %j', (type, settings, value, expected) => {
    expect(codesOf(type, settings, value)).toEqual(expected);
  });
});

describe('registry', () => {
  it('has one definition per key, under its own key', () => {
    expect(Object.keys(fieldTypes).sort()).toEqual([...FIELD_TYPE_KEYS].sort());
    for (const key of FIELD_TYPE_KEYS) expect(fieldTypes[key].key).toBe(key);
  });

  it('refuses unknown keys, including inherited object properties', () => {
    expect(() => getFieldTypeOrThrow('colour')).toThrow(SchemaError);
    expect(() => getFieldTypeOrThrow('constructor')).toThrow(/Unknown field type "constructor"/);
    expect(isFieldTypeKey('__proto__')).toBe(false);
    expect(getFieldTypeOrThrow('text')).toBe(fieldTypes.text);
  });

  it('compiles every settings schema in strict mode', () => {
    for (const key of FIELD_TYPE_KEYS) expect(() => ajv.compile(fieldTypes[key].settingsSchema)).not.toThrow();
  });

  it('only lists known operators; operatorsFor is a subset of operators', () => {
    for (const key of FIELD_TYPE_KEYS) {
      const def = getFieldTypeOrThrow(key);
      for (const op of def.operators) expect(FILTER_OPERATORS).toContain(op);
      for (const multiple of [false, true]) {
        const settings = { ...def.defaultSettings, multiple, options: OPTIONS, targetEntityId: 'e', fields: [] };
        for (const op of def.operatorsFor(settings)) expect(def.operators).toContain(op);
      }
    }
  });

  it('gives unique only to indexable column types', () => {
    for (const key of FIELD_TYPE_KEYS) {
      const def = getFieldTypeOrThrow(key);
      if (!def.uniqueAllowed) continue;
      const storage = def.storage({ ...def.defaultSettings });
      expect(storage.kind === 'column' && storage.indexable).toBe(true);
    }
  });

  it('switches member and relation storage, kind and operators on multiple', () => {
    const member = fieldTypes.member;
    expect(member.storage({ multiple: false })).toEqual({ kind: 'column', column: { kind: 'string', length: 36 }, indexable: true });
    expect(member.storage({ multiple: true })).toEqual({ kind: 'column', column: { kind: 'json' }, indexable: false });
    expect(member.valueKind({ multiple: true })).toBe('string-list');
    expect(member.operatorsFor({ multiple: false })).toEqual(['==', '!=', 'in', 'is_empty', 'is_not_empty']);
    expect(member.operatorsFor({ multiple: true })).toEqual(['contains', 'is_empty', 'is_not_empty']);
    const relation = fieldTypes.relation;
    expect(relation.storage({ targetEntityId: 'e', multiple: false })).toEqual({ kind: 'column', column: { kind: 'ref' }, indexable: true });
    expect(relation.storage({ targetEntityId: 'e', multiple: true })).toEqual({ kind: 'link-table' });
    expect(relation.valueKind({ targetEntityId: 'e', multiple: true })).toBe('id-list');
  });

  it('stores numbers in fixed decimal columns and marks server-computed types read-only', () => {
    expect(fieldTypes.number.storage({ precision: 2 })).toEqual({ kind: 'column', column: { kind: 'decimal', precision: 30, scale: 10 }, indexable: true });
    expect(fieldTypes.money.storage({ currency: 'CNY', precision: 2 })).toEqual({
      kind: 'column',
      column: { kind: 'decimal', precision: 20, scale: 4 },
      indexable: true,
    });
    expect(FIELD_TYPE_KEYS.filter((key) => !fieldTypes[key].writable)).toEqual(['serial', 'formula', 'rollup']);
  });
});

describe('toDb / fromDb per type', () => {
  it('round-trips typical values', () => {
    const cases: [FieldTypeKey, Record<string, unknown>, unknown, unknown][] = [
      ['text', {}, 'hi', 'hi'],
      ['number', { precision: 3 }, 0.1 + 0.2, '0.300'],
      ['money', { currency: 'CNY', precision: 2 }, 12.5, '12.50'],
      ['switch', {}, true, 1],
      ['date', {}, '2026-11-23', '2026-11-23'],
      ['datetime', {}, '2026-11-23T08:00:00.000Z', '2026-11-23 08:00:00.000'],
      ['checkbox', { options: OPTIONS }, ['red'], '["red"]'],
      ['member', { multiple: true }, ['u1', 'u2'], '["u1","u2"]'],
      ['member', { multiple: false }, 'u1', 'u1'],
      ['relation', { targetEntityId: 'e', multiple: false }, 9, 9],
      ['relation', { targetEntityId: 'e', multiple: true }, [1, 2], [1, 2]],
      ['attachment', { maxFiles: 10 }, ['f1', 'f2'], '["f1","f2"]'],
      ['serial', {}, 'QT-1', 'QT-1'],
    ];
    for (const [type, settings, value, stored] of cases) {
      const def = getFieldTypeOrThrow(type);
      expect(def.toDb(value, settings)).toEqual(stored);
      expect(def.fromDb(def.toDb(value, settings), settings)).toEqual(type === 'number' ? 0.3 : value);
      expect(def.toDb(null, settings)).toBeNull();
      expect(def.fromDb(null, settings)).toBeNull();
    }
  });

  it('stores attachment objects with their file metadata only (id, name, size, mime)', () => {
    expect(fieldTypes.attachment.toDb(['f1', { id: 'f2', name: 'x.pdf', size: 3, mime: 'application/pdf', evil: '<script>' }], { maxFiles: 10 })).toBe(
      '["f1",{"id":"f2","name":"x.pdf","size":3,"mime":"application/pdf"}]',
    );
  });

  it('reads MySQL json arrays already parsed and link-table ids as numbers', () => {
    expect(fieldTypes.checkbox.fromDb(['red'], { options: OPTIONS })).toEqual(['red']);
    expect(fieldTypes.relation.fromDb(['1', 2n], { targetEntityId: 'e', multiple: true })).toEqual([1, 2]);
  });

  it('normalizes datetimes with offsets to UTC', () => {
    const stored = fieldTypes.datetime.toDb('2026-11-23T08:00:00+08:00', {});
    expect(stored).toBe('2026-11-23 00:00:00.000');
    expect(fieldTypes.datetime.fromDb(stored, {})).toBe('2026-11-23T00:00:00.000Z');
  });
});
