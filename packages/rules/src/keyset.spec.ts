import { describe, expect, it } from 'vitest';
import { RulesError, RulesErrorCode } from './errors';
import { compileKeysetOrThrow, compileSortOrThrow, decodeCursorOrThrow, encodeCursor, MAX_CURSOR_LENGTH, orderBySql, type SortKey } from './keyset';
import { resolveField } from './testing/fields.fixture';

const sortOf = (sort?: string) => compileSortOrThrow({ sort, resolveField });
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof RulesError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected a RulesError');
};
const encodeRaw = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');

describe('compileSortOrThrow / orderBySql', () => {
  it('defaults to newest first by id', () => {
    expect(sortOf()).toEqual([{ key: 'id', column: 'r.id', dir: 'desc' }]);
    expect(sortOf('  ')).toEqual([{ key: 'id', column: 'r.id', dir: 'desc' }]);
  });

  it('adds the id tie-breaker in the direction of the last key', () => {
    expect(orderBySql(sortOf('-amount,name'))).toBe('r.f_amount DESC, r.f_name ASC, r.id ASC');
    expect(orderBySql(sortOf('name,-closed_on'))).toBe('r.f_name ASC, r.f_closed_on DESC, r.id DESC');
    expect(orderBySql(sortOf('id'))).toBe('r.id ASC');
    expect(orderBySql(sortOf('-id,name'))).toBe('r.id DESC, r.f_name ASC');
  });

  it.each([
    ['unknown field', 'nope', RulesErrorCode.UNKNOWN_FIELD, { field: 'nope' }],
    ['not sortable', 'tags', RulesErrorCode.INVALID_SORT, { field: 'tags' }],
    ['duplicate', 'name,-name', RulesErrorCode.INVALID_SORT, { field: 'name' }],
    ['too many keys', 'name,amount,stage,owner', RulesErrorCode.INVALID_SORT, {}],
    ['empty key', 'name,', RulesErrorCode.INVALID_SORT, {}],
    ['injection', 'name; DROP TABLE x', RulesErrorCode.INVALID_SORT, {}],
    ['sql direction', 'name DESC', RulesErrorCode.INVALID_SORT, {}],
    ['prototype path', 'constructor', RulesErrorCode.INVALID_SORT, {}],
    ['double minus', '--name', RulesErrorCode.INVALID_SORT, {}],
  ])('%s', (_name, sort, code, details) => {
    expect(codeOf(() => sortOf(sort))).toEqual({ code, details });
  });
});

describe('compileKeysetOrThrow', () => {
  const keyset = (sortKeys: SortKey[], cursorValues: (string | number | null)[]) => compileKeysetOrThrow({ sortKeys, cursorValues, dialect: 'mysql' });

  it('is a plain range on the id when sorting by id only', () => {
    expect(keyset(sortOf(), [42])).toEqual({ sql: 'r.id < ?', params: [42] });
    expect(keyset(sortOf('id'), [42])).toEqual({ sql: 'r.id > ?', params: [42] });
  });

  it('ascending keys: NULL sorts first', () => {
    expect(keyset(sortOf('amount'), [5, 9])).toEqual({
      sql: 'r.f_amount >= ? AND (r.f_amount > ? OR (r.f_amount = ? AND r.id > ?))',
      params: [5, 5, 5, 9],
    });
    expect(keyset(sortOf('amount'), [null, 9])).toEqual({
      sql: '(r.f_amount IS NOT NULL OR (r.f_amount IS NULL AND r.id > ?))',
      params: [9],
    });
  });

  it('descending keys: NULL sorts last', () => {
    expect(keyset(sortOf('-amount'), [5, 9])).toEqual({
      sql: '((r.f_amount < ? OR r.f_amount IS NULL) OR (r.f_amount = ? AND r.id < ?))',
      params: [5, 5, 9],
    });
    expect(keyset(sortOf('-amount'), [null, 9])).toEqual({ sql: '(r.f_amount IS NULL AND r.id < ?)', params: [9] });
  });

  it('nests several keys and ignores keys after the id', () => {
    expect(keyset(sortOf('-stage,name'), ['won', null, 3])).toEqual({
      sql: '((r.f_stage < ? OR r.f_stage IS NULL) OR (r.f_stage = ? AND (r.f_name IS NOT NULL OR (r.f_name IS NULL AND r.id > ?))))',
      params: ['won', 'won', 3],
    });
    expect(keyset(sortOf('-id,name'), [7, 'x'])).toEqual({ sql: 'r.id < ?', params: [7] });
  });

  it('refuses values that do not fit the sort', () => {
    expect(codeOf(() => keyset(sortOf('amount'), [5])).code).toBe(RulesErrorCode.INVALID_CURSOR);
    expect(codeOf(() => keyset(sortOf('amount'), [5, 0])).code).toBe(RulesErrorCode.INVALID_CURSOR);
    expect(codeOf(() => keyset(sortOf('amount'), [{} as never, 1])).code).toBe(RulesErrorCode.INVALID_CURSOR);
  });
});

describe('cursors', () => {
  const sortKeys = sortOf('-amount,name');

  it('round-trip storage values, with the id at its sort position', () => {
    const cursor = encodeCursor({ sortKeys, row: { id: 12, amount: 2.5, name: null, other: 'ignored' } });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursorOrThrow({ cursor, sortKeys })).toEqual([2.5, null, 12]);
    const unicode = encodeCursor({ sortKeys: sortOf('name'), row: { id: 1, name: '客户 é' } });
    expect(decodeCursorOrThrow({ cursor: unicode, sortKeys: sortOf('name') })).toEqual(['客户 é', 1]);
    const bigintId = encodeCursor({ sortKeys: sortOf(), row: { id: 9n } });
    expect(decodeCursorOrThrow({ cursor: bigintId, sortKeys: sortOf() })).toEqual([9]);
    const stringId = encodeCursor({ sortKeys: sortOf(), row: { id: '10' } });
    expect(decodeCursorOrThrow({ cursor: stringId, sortKeys: sortOf() })).toEqual([10]);
  });

  it('stores booleans as 1/0 and Dates in the stored datetime form', () => {
    const cursor = encodeCursor({
      sortKeys: sortOf('active,seen_at'),
      row: { id: 3, active: true, seen_at: new Date('2026-01-02T03:04:05.678Z') },
    });
    expect(decodeCursorOrThrow({ cursor, sortKeys: sortOf('active,seen_at') })).toEqual([1, '2026-01-02 03:04:05.678', 3]);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$def'],
    ['padding/garbage', 'a'],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')],
    ['JSON array', encodeRaw([1, 2, 3])],
    ['other sort', encodeRaw({ s: '-amount,name,-id', v: [1, 'a'], id: 1 })],
    ['wrong arity', encodeRaw({ s: '-amount,name,id', v: [1], id: 1 })],
    ['object value', encodeRaw({ s: '-amount,name,id', v: [{ $gt: 1 }, 'a'], id: 1 })],
    ['boolean value', encodeRaw({ s: '-amount,name,id', v: [true, 'a'], id: 1 })],
    ['string id', encodeRaw({ s: '-amount,name,id', v: [1, 'a'], id: '1 OR 1=1' })],
    ['zero id', encodeRaw({ s: '-amount,name,id', v: [1, 'a'], id: 0 })],
    ['extra keys', encodeRaw({ s: '-amount,name,id', v: [1, 'a'], id: 1, x: 1 })],
    ['__proto__', Buffer.from('{"s":"-amount,name,id","v":[1,"a"],"__proto__":{"id":1}}').toString('base64url')],
    ['too long', 'A'.repeat(MAX_CURSOR_LENGTH + 1)],
  ])('refuses %s', (_name, cursor) => {
    expect(codeOf(() => decodeCursorOrThrow({ cursor, sortKeys })).code).toBe(RulesErrorCode.INVALID_CURSOR);
  });

  it('turns hostile cursor values into parameters only', () => {
    const hostile = "x' OR 1=1 --";
    const cursor = encodeRaw({ s: '-amount,name,id', v: [1, hostile], id: 5 });
    const out = compileKeysetOrThrow({ sortKeys, cursorValues: decodeCursorOrThrow({ cursor, sortKeys }), dialect: 'sqlite' });
    expect(out.sql).not.toContain(hostile);
    expect(out.params).toContain(hostile);
  });
});
