import { describe, expect, it } from 'vitest';
import { createAjv } from './ajv';
import { buildRecordSchema, compileRecordValidator } from './record-schema';
import type { FieldDefinition } from './types';

const ajv = createAjv();

const fields: FieldDefinition[] = [
  { key: 'name', label: 'Name', type: 'text', required: true, settings: { maxLength: 10 } },
  { key: 'amount', label: 'Amount', type: 'money', settings: { min: 0, max: 1000 } },
  {
    key: 'tags',
    label: 'Tags',
    type: 'checkbox',
    required: true,
    settings: {
      options: [
        { value: 'vip', label: 'VIP' },
        { value: 'new', label: 'New' },
      ],
    },
  },
  { key: 'no', label: 'No', type: 'serial', settings: {} },
  {
    key: 'items',
    label: 'Items',
    type: 'subform',
    settings: {
      maxRows: 3,
      fields: [
        { key: 'product', label: 'Product', type: 'text', required: true, settings: {} },
        { key: 'qty', label: 'Qty', type: 'number', settings: { min: 1 } },
      ],
    },
  },
];

const validateCreate = compileRecordValidator({ ajv, fields, mode: 'create' });
const validateUpdate = compileRecordValidator({ ajv, fields, mode: 'update' });
const pairs = (issues: { path: string; code: string }[]) => issues.map((issue) => [issue.path, issue.code]);

describe('buildRecordSchema', () => {
  it('lists required fields only in create mode and refuses unknown keys', () => {
    const create = buildRecordSchema({ fields, mode: 'create' });
    expect(create).toMatchObject({ type: 'object', additionalProperties: false, required: ['name', 'tags'] });
    const update = buildRecordSchema({ fields, mode: 'update' });
    expect(update.required).toBeUndefined();
    expect(Object.keys(update.properties as object)).toEqual(['name', 'amount', 'tags', 'no', 'items']);
  });

  it('allows null for optional fields only', () => {
    const properties = buildRecordSchema({ fields, mode: 'create' }).properties as Record<string, Record<string, unknown>>;
    expect(properties.amount).not.toHaveProperty('nonEmpty');
    expect(properties.amount.type).toEqual(['number', 'null']);
    expect(properties.name).toMatchObject({ type: ['string', 'null'], nonEmpty: true });
  });

  it('is a plain JSON document', () => {
    const schema = buildRecordSchema({ fields, mode: 'create' });
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});

describe('compileRecordValidator', () => {
  it('accepts a valid create body', () => {
    expect(
      validateCreate({
        name: 'Acme',
        tags: ['vip'],
        amount: 12.5,
        items: [
          { product: 'P', qty: 2 },
          { id: 7, product: 'Q', qty: null },
        ],
      }),
    ).toEqual([]);
    expect(validateCreate({ name: 'Acme', tags: ['vip'], amount: null, items: null })).toEqual([]);
  });

  it('lists every offending path: missing, unknown, read-only and invalid values', () => {
    const issues = validateCreate({ amount: 1000.001, tags: ['vip', 'gold'], no: 'QT-1', foo: 1, bar: 2 });
    expect(pairs(issues)).toEqual(
      expect.arrayContaining([
        ['/name', 'required'],
        ['/foo', 'unknown_field'],
        ['/bar', 'unknown_field'],
        ['/no', 'read_only'],
        ['/amount', 'too_large'],
        ['/amount', 'too_many_decimals'],
        ['/tags/1', 'invalid_option'],
      ]),
    );
    expect(issues).toHaveLength(7);
    expect(issues.find((issue) => issue.code === 'read_only')?.message).toBe('/no is read-only: the server assigns it');
  });

  it('refuses a serial even when null', () => {
    expect(pairs(validateUpdate({ no: null }))).toEqual([['/no', 'read_only']]);
  });

  it('treats empty values of required fields as missing', () => {
    expect(pairs(validateCreate({ name: '', tags: [] }))).toEqual([
      ['/name', 'required'],
      ['/tags', 'required'],
    ]);
    expect(validateCreate({ name: '', tags: ['vip'] })[0].message).toBe('/name is required');
  });

  it('lets updates omit required fields but not null them', () => {
    expect(validateUpdate({ amount: 5 })).toEqual([]);
    expect(pairs(validateUpdate({ name: null, tags: null }))).toEqual([
      ['/name', 'required'],
      ['/tags', 'required'],
    ]);
    expect(pairs(validateUpdate({ name: 5, tags: 'vip' }))).toEqual([
      ['/name', 'invalid_type'],
      ['/tags', 'invalid_type'],
    ]);
  });

  it('points into subform rows', () => {
    const issues = validateCreate({
      name: 'Acme',
      tags: ['vip'],
      items: [{ product: 'P', qty: 1 }, { product: 'Q', qty: 0.5 }, { qty: 'x', extra: 1, id: 0 }, { product: 'R' }],
    });
    expect(pairs(issues)).toEqual(
      expect.arrayContaining([
        ['/items', 'too_many'],
        ['/items/1/qty', 'too_small'],
        ['/items/1/qty', 'too_many_decimals'],
        ['/items/2/product', 'required'],
        ['/items/2/extra', 'unknown_field'],
        ['/items/2/qty', 'invalid_type'],
        ['/items/2/id', 'too_small'],
      ]),
    );
    expect(issues).toHaveLength(7);
  });

  it('refuses a body that is not an object', () => {
    expect(pairs(validateUpdate([]))).toEqual([['', 'invalid_type']]);
    expect(validateUpdate(null)[0].message).toBe('(root) must be an object');
  });

  it('treats __proto__ as an unknown field', () => {
    expect(pairs(validateUpdate(JSON.parse('{"__proto__": {"name": "x"}}')))).toEqual([['/__proto__', 'unknown_field']]);
  });

  it('validates thousands of bodies per second', () => {
    const body = { name: 'Acme', tags: ['vip'], amount: 12.5, items: [{ product: 'P', qty: 2 }] };
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) validateCreate(body);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
