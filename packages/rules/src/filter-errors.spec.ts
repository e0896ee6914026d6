import { describe, expect, it } from 'vitest';
import { assertConditionSafeOrThrow, CONDITION_LIMITS } from './condition-safety';
import { RulesError, RulesErrorCode, type RulesErrorDetails } from './errors';
import { evaluateFilter } from './filter-eval';
import { compileFilterOrThrow } from './filter-sql';
import { FIELDS, resolveField } from './testing/fields.fixture';

const now = new Date('2026-03-18T10:00:00Z');
const v = (key: string) => ({ var: key });

function errorOf(run: () => unknown): RulesError {
  try {
    run();
  } catch (error) {
    if (error instanceof RulesError) return error;
    throw error;
  }
  throw new Error('expected a RulesError');
}

function compileError(filter: unknown): { code: string; details: RulesErrorDetails } {
  const error = errorOf(() => compileFilterOrThrow({ filter, resolveField, dialect: 'mysql', now }));
  return { code: error.code, details: error.details };
}

describe('INVALID_FILTER', () => {
  it.each([
    ['unknown operation', { if: [true, 1, 2] }, '/if'],
    ['two operations in one object', { '==': [v('name'), 'a'], '!=': [v('name'), 'b'] }, ''],
    ['empty and', { and: [] }, '/and'],
    ['or without a list', { or: { '==': [v('name'), 'a'] } }, '/or'],
    ['literal first', { '==': ['a', v('name')] }, '/==/0'],
    ['var default', { '==': [{ var: ['name', 'x'] }, 'a'] }, '/==/0/var'],
    ['computed value', { '==': [v('amount'), { '+': [1, 2] }] }, '/==/1'],
    ['in without a list', { in: [v('stage'), 'won'] }, '/in/1'],
    ['! with two conditions', { '!': [true, false] }, '/!'],
    ['bare variable as condition', { and: [v('active')] }, '/and/0/var'],
    ['number as condition', { or: [1] }, '/or/0'],
    ['unknown date bound', { date_range: [v('closed_on'), { from: '2026-01-01', until: '2026-02-01' }] }, '/date_range/1/until'],
    ['three-way >', { '>': [1, v('amount'), 5] }, '/>'],
  ])('%s', (_name, filter, path) => {
    expect(compileError(filter)).toMatchObject({ code: RulesErrorCode.INVALID_FILTER, details: { path } });
  });

  it.each([
    ['__proto__ key from JSON.parse', JSON.parse('{"and":[{"__proto__":{"==":[{"var":"name"},"a"]}}]}'), '/and/0/__proto__'],
    ['constructor key', { and: [{ constructor: 1 }] }, '/and/0/constructor'],
    ['prototype key deep inside a value', { date_range: [v('closed_on'), { prototype: 'x' }] }, '/date_range/1/prototype'],
    ['var through constructor', { '==': [v('constructor'), 'a'] }, '/==/0/var'],
    ['var __proto__', { is_empty: [v('__proto__')] }, '/is_empty/0/var'],
    ['var path two relations deep', { '==': [v('owner.account.name'), 'a'] }, '/==/0/var'],
    ['var path through __proto__', { '==': [v('owner.__proto__'), 'a'] }, '/==/0/var'],
    ['var path with an empty segment', { '==': [v('owner.'), 'a'] }, '/==/0/var'],
    ['non-string var', { '==': [{ var: 1 }, 'a'] }, '/==/0/var'],
    ['injection in a key', { '==': [v('name; DROP TABLE x'), 'a'] }, '/==/0/var'],
    ['injection as operator', { "==') OR 1=1 --": [v('name'), 'a'] }, "/==') OR 1=1 --"],
  ])('%s', (_name, filter, path) => {
    expect(compileError(filter)).toMatchObject({ code: RulesErrorCode.INVALID_FILTER, details: { path } });
  });

  it('refuses non-JSON values', () => {
    for (const bad of [undefined, () => true, Number.NaN, new Date(), 10n, Symbol('x')]) {
      expect(errorOf(() => assertConditionSafeOrThrow({ '==': [v('amount'), bad] })).code).toBe(RulesErrorCode.INVALID_FILTER);
    }
  });

  it('evaluateFilter refuses the same shapes', () => {
    const error = errorOf(() => evaluateFilter({ filter: { '==': [v('constructor'), 'a'] }, record: {}, now }));
    expect(error.code).toBe(RulesErrorCode.INVALID_FILTER);
    expect(errorOf(() => evaluateFilter({ filter: { var: 'name' }, record: {}, now })).code).toBe(RulesErrorCode.INVALID_FILTER);
  });
});

describe('FILTER_TOO_COMPLEX', () => {
  const nest = (levels: number): unknown => (levels === 0 ? { '==': [v('amount'), 1] } : { '!': nest(levels - 1) });

  it('depth', () => {
    // '!' levels + '==' + var: depth = levels + 2
    expect(() => assertConditionSafeOrThrow(nest(CONDITION_LIMITS.maxDepth - 2))).not.toThrow();
    expect(compileError(nest(CONDITION_LIMITS.maxDepth - 1)).code).toBe(RulesErrorCode.FILTER_TOO_COMPLEX);
  });

  it('hostile nesting does not overflow the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(compileError(deep).code).toBe(RulesErrorCode.FILTER_TOO_COMPLEX);
  });

  it('node count', () => {
    const leaf = { '==': [v('amount'), 1] };
    expect(compileError({ or: Array.from({ length: 100 }, () => leaf) }).code).toBe(RulesErrorCode.FILTER_TOO_COMPLEX);
    expect(() => assertConditionSafeOrThrow({ or: Array.from({ length: 90 }, () => leaf) })).not.toThrow();
  });

  it('long strings and long in-lists', () => {
    expect(compileError({ '==': [v('name'), 'x'.repeat(1001)] }).code).toBe(RulesErrorCode.FILTER_TOO_COMPLEX);
    expect(() => compileFilterOrThrow({ filter: { '==': [v('name'), 'x'.repeat(1000)] }, resolveField, dialect: 'sqlite', now })).not.toThrow();
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(compileFilterOrThrow({ filter: { in: [v('owner'), ids(1000)] }, resolveField, dialect: 'sqlite', now }).params).toHaveLength(1000);
    expect(compileError({ in: [v('owner'), ids(1001)] }).code).toBe(RulesErrorCode.FILTER_TOO_COMPLEX);
  });
});

describe('UNKNOWN_FIELD', () => {
  it('names the key', () => {
    expect(compileError({ and: [true, { '==': [v('nope'), 1] }] })).toEqual({
      code: RulesErrorCode.UNKNOWN_FIELD,
      details: { field: 'nope', path: '/and/1/==' },
    });
  });

  it('a relation.field path is unknown unless the resolver knows it', () => {
    expect(compileError({ '==': [v('owner.name'), 'a'] })).toEqual({
      code: RulesErrorCode.UNKNOWN_FIELD,
      details: { field: 'owner.name', path: '/==' },
    });
  });

  it('does not reach inherited members of a naive field map', () => {
    const naive: Record<string, unknown> = { ...FIELDS };
    const error = errorOf(() =>
      compileFilterOrThrow({
        filter: { '==': [v('toString'), 'a'] },
        resolveField: (key) => naive[key] as never,
        dialect: 'sqlite',
        now,
      }),
    );
    expect(error.code).toBe(RulesErrorCode.UNKNOWN_FIELD);
  });
});

describe('UNSUPPORTED_OPERATOR', () => {
  it.each([
    ['not offered by the field', { contains: [v('stage'), 'w'] }, 'contains', 'stage'],
    ['between not offered', { '<=': [1, v('owner'), 3] }, 'between', 'owner'],
    ['date_range on a number', { date_range: [v('amount'), 'today'] }, 'date_range', 'amount'],
    ['== on a list', { '==': [v('tags'), 'vip'] }, '==', 'tags'],
  ])('%s', (_name, filter, operator, field) => {
    expect(compileError(filter)).toMatchObject({ code: RulesErrorCode.UNSUPPORTED_OPERATOR, details: { operator, field } });
  });

  it('also when the field claims an operator its value kind cannot honour', () => {
    const odd = { ...FIELDS.tags, operators: ['==' as const] };
    const error = errorOf(() => compileFilterOrThrow({ filter: { '==': [v('tags'), 'a'] }, resolveField: () => odd, dialect: 'sqlite', now }));
    expect(error.code).toBe(RulesErrorCode.UNSUPPORTED_OPERATOR);
  });
});

describe('INVALID_VALUE', () => {
  it.each([
    ['string for a number', { '==': [v('amount'), '5'] }],
    ['number for text', { '==': [v('name'), 5] }],
    ['bad date', { '==': [v('closed_on'), '2026-02-30'] }],
    ['date for a datetime', { '>': [v('seen_at'), '2026-02-01'] }],
    ['datetime without zone', { '>': [v('seen_at'), '2026-02-01T10:00:00'] }],
    ['number for a switch', { '==': [v('active'), 1] }],
    ['negative id', { '==': [v('owner'), -1] }],
    ['fractional id', { in: [v('owner'), [1, 1.5]] }],
    ['id as text', { contains: [v('contacts'), '7'] }],
    ['injection text for a number', { '<': [v('amount'), '1; DROP TABLE r'] }],
    ['null in a list', { in: [v('stage'), ['won', null]] }],
    ['null for <', { '<': [v('amount'), null] }],
    ['null bound for between', { '<=': [null, v('amount'), 3] }],
    ['unknown relative range', { date_range: [v('closed_on'), 'last_decade'] }],
    ['empty date range', { date_range: [v('closed_on'), {}] }],
    ['bad explicit bound', { date_range: [v('closed_on'), { from: '01/02/2026' }] }],
  ])('%s', (_name, filter) => {
    const error = compileError(filter);
    expect(error.code).toBe(RulesErrorCode.INVALID_VALUE);
    expect(error.details.field).toBeTypeOf('string');
  });
});

describe('RulesError', () => {
  it('is an Error with a stable code', () => {
    const error = errorOf(() => compileFilterOrThrow({ filter: 5, resolveField, dialect: 'sqlite', now }));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RulesError');
    expect(error.code).toBe('INVALID_FILTER');
  });
});
