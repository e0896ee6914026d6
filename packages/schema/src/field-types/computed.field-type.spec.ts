import { describe, expect, it } from 'vitest';
import { createAjv } from '../ajv';
import { SchemaError } from '../errors';
import { normalizeFieldOrThrow } from '../field-definition';
import { compileRecordValidator } from '../record-schema';
import type { FieldDefinition } from '../types';
import { fieldTypes } from './registry';

const ajv = createAjv();
const formula = (settings: Record<string, unknown>): FieldDefinition => ({ key: 'total', label: 'Total', type: 'formula', settings });
const rollup = (settings: Record<string, unknown>): FieldDefinition => ({ key: 'won', label: 'Won', type: 'rollup', settings });
const issuesOf = (field: FieldDefinition) => {
  try {
    normalizeFieldOrThrow({ field });
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(SchemaError);
    return ((err as SchemaError).issues ?? []).map((i) => `${i.path} ${i.code}`);
  }
};

describe('formula field type', () => {
  it('fills defaults: a number rounded to 2 places', () => {
    expect(normalizeFieldOrThrow({ field: formula({ expression: 'qty * price' }) }).settings).toEqual({
      expression: 'qty * price',
      resultType: 'number',
      precision: 2,
    });
  });

  it('refuses a missing or blank expression, an unknown result type and unknown settings', () => {
    expect(issuesOf(formula({}))).toEqual(['/settings/expression required']);
    expect(issuesOf(formula({ expression: '   ' }))).toEqual(['/settings/expression too_short']);
    expect(issuesOf(formula({ expression: '1', resultType: 'money' }))).toEqual(['/settings/resultType invalid_option']);
    expect(issuesOf(formula({ expression: '1', colour: 'red' }))).toEqual(['/settings/colour unknown_field']);
    expect(issuesOf(formula({ expression: 'x'.repeat(4001) }))).toEqual(['/settings/expression too_long']);
  });

  it('cannot be required or unique, but can be indexed', () => {
    expect(issuesOf({ ...formula({ expression: '1' }), required: true })).toEqual(['/required required_not_allowed']);
    expect(issuesOf({ ...formula({ expression: '1' }), unique: true })).toEqual(['/unique unique_not_allowed']);
    expect(normalizeFieldOrThrow({ field: { ...formula({ expression: '1' }), indexed: true } }).indexed).toBe(true);
  });

  it('is stored in a real column of its result type', () => {
    const storage = (resultType: string) => fieldTypes.formula.storage({ expression: '1', resultType: resultType as never, precision: 2 });
    expect(storage('number')).toEqual({ kind: 'column', column: { kind: 'decimal', precision: 30, scale: 10 }, indexable: true });
    expect(storage('text')).toEqual({ kind: 'column', column: { kind: 'string', length: 255 }, indexable: true });
    expect(storage('date')).toEqual({ kind: 'column', column: { kind: 'date' }, indexable: true });
    expect(storage('datetime')).toEqual({ kind: 'column', column: { kind: 'datetime' }, indexable: true });
    expect(storage('switch')).toEqual({ kind: 'column', column: { kind: 'boolean' }, indexable: true });
  });

  it('filters with the operators of its result type', () => {
    const ops = (resultType: string) => fieldTypes.formula.operatorsFor({ expression: '1', resultType: resultType as never, precision: 2 });
    expect(ops('number')).toContain('between');
    expect(ops('text')).toContain('starts_with');
    expect(ops('date')).toContain('date_range');
    expect(ops('switch')).toEqual(['==', '!=', 'is_empty', 'is_not_empty']);
    expect(fieldTypes.formula.valueKind({ expression: '1', resultType: 'datetime', precision: 0 })).toBe('datetime');
  });

  it('converts by result type, rounding numbers to the precision', () => {
    expect(fieldTypes.formula.toDb(0.1 + 0.2, { expression: '1', resultType: 'number', precision: 2 })).toBe('0.30');
    expect(fieldTypes.formula.toDb(2.345, { expression: '1', resultType: 'number', precision: 2 })).toBe('2.35');
    expect(fieldTypes.formula.toDb(true, { expression: '1', resultType: 'switch', precision: 2 })).toBe(1);
    expect(fieldTypes.formula.fromDb('2026-11-23 08:00:00.000', { expression: '1', resultType: 'datetime', precision: 2 })).toBe('2026-11-23T08:00:00.000Z');
    expect(fieldTypes.formula.fromDb('12.5000000000', { expression: '1', resultType: 'number', precision: 2 })).toBe(12.5);
  });

  it('is refused as read_only in a record write, also inside subform rows', () => {
    const items: FieldDefinition = {
      key: 'items',
      label: 'Items',
      type: 'subform',
      settings: {
        fields: [
          { key: 'qty', label: 'Qty', type: 'number', settings: {} },
          { key: 'amount', label: 'Amount', type: 'formula', settings: { expression: 'qty * 2' } },
        ],
      },
    };
    const fields = [normalizeFieldOrThrow({ field: formula({ expression: '1' }) }), normalizeFieldOrThrow({ field: items })];
    const validate = compileRecordValidator({ ajv, fields, mode: 'create' });
    expect(validate({ total: 5 }).map((i) => `${i.path} ${i.code}`)).toEqual(['/total read_only']);
    expect(validate({ items: [{ qty: 1, amount: 2 }] }).map((i) => `${i.path} ${i.code}`)).toEqual(['/items/0/amount read_only']);
    expect(validate({ items: [{ qty: 1 }] })).toEqual([]);
  });
});

describe('rollup field type', () => {
  const base = { sourceEntityId: 'opp', relationField: 'customer' };

  it('needs a source, a relation field and an aggregate; a field unless it counts', () => {
    expect(normalizeFieldOrThrow({ field: rollup({ ...base, aggregate: 'count' }) }).settings).toEqual({ ...base, aggregate: 'count', precision: 2 });
    expect(issuesOf(rollup({ ...base, aggregate: 'sum' }))).toEqual(['/settings/field required']);
    expect(issuesOf(rollup({ aggregate: 'sum', field: 'amount' }))).toEqual(['/settings/sourceEntityId required', '/settings/relationField required']);
    expect(issuesOf(rollup({ ...base, aggregate: 'median', field: 'amount' }))).toEqual(['/settings/aggregate invalid_option']);
    expect(issuesOf(rollup({ ...base, aggregate: 'sum', field: 'amount', condition: 'won' }))).toEqual(['/settings/condition invalid_type']);
  });

  it('is a read-only number stored as DECIMAL(30,10)', () => {
    const settings = { ...base, aggregate: 'sum' as const, field: 'amount', precision: 2 };
    expect(fieldTypes.rollup.storage(settings)).toEqual({ kind: 'column', column: { kind: 'decimal', precision: 30, scale: 10 }, indexable: true });
    expect(fieldTypes.rollup.writable).toBe(false);
    expect(fieldTypes.rollup.toDb(1234.5, settings)).toBe('1234.50');
  });

  it('cannot live in a subform row', () => {
    const items: FieldDefinition = { key: 'items', label: 'Items', type: 'subform', settings: { fields: [rollup({ ...base, aggregate: 'count' })] } };
    expect(issuesOf(items)).toEqual(['/settings/fields/0/type not_allowed_in_subform']);
  });
});

describe('relation picker settings', () => {
  it('accepts display fields and a filter condition', () => {
    const f = normalizeFieldOrThrow({
      field: {
        key: 'contact',
        label: 'Contact',
        type: 'relation',
        settings: { targetEntityId: 'e', displayFields: ['phone'], filter: { '==': [{ var: 'customer' }, '$form.customer'] } },
      },
    });
    expect(f.settings.displayFields).toEqual(['phone']);
  });

  it('refuses repeated display fields and a filter that is not an object', () => {
    const rel = (settings: Record<string, unknown>): FieldDefinition => ({
      key: 'c',
      label: 'C',
      type: 'relation',
      settings: { targetEntityId: 'e', ...settings },
    });
    expect(issuesOf(rel({ displayFields: ['a', 'a'] }))).toEqual(['/settings/displayFields/1 duplicate_items']);
    expect(issuesOf(rel({ filter: [1] }))).toEqual(['/settings/filter invalid_type']);
  });
});
