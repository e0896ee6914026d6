import { describe, expect, it } from 'vitest';
import { compileFilterOrThrow } from './filter-sql';
import { FIELDS, resolveField } from './testing/fields.fixture';
import type { FilterField, SqlDialect } from './types';

const now = new Date('2026-03-18T10:00:00Z'); // a Wednesday
const sql = (filter: unknown, dialect: SqlDialect = 'sqlite') => compileFilterOrThrow({ filter, resolveField, dialect, now });
const both = (filter: unknown) => {
  const mysql = sql(filter, 'mysql');
  expect(sql(filter, 'sqlite')).toEqual(mysql);
  return mysql;
};
const v = (key: string) => ({ var: key });

describe('compileFilterOrThrow: comparisons', () => {
  it('== and != (blank rows count as different)', () => {
    expect(both({ '==': [v('name'), 'Acme'] })).toEqual({ sql: 'r.f_name = ?', params: ['Acme'] });
    expect(both({ '!=': [v('name'), 'Acme'] })).toEqual({
      sql: '(r.f_name <> ? OR r.f_name IS NULL)',
      params: ['Acme'],
    });
  });

  it('== / != null test for NULL', () => {
    expect(both({ '==': [v('amount'), null] })).toEqual({ sql: 'r.f_amount IS NULL', params: [] });
    expect(both({ '!=': [v('amount'), null] })).toEqual({ sql: 'r.f_amount IS NOT NULL', params: [] });
  });

  it('ordered comparisons', () => {
    for (const op of ['<', '<=', '>', '>='] as const) {
      expect(both({ [op]: [v('amount'), 10] })).toEqual({ sql: `r.f_amount ${op} ?`, params: [10] });
    }
  });

  it('between inclusive and exclusive', () => {
    expect(both({ '<=': [1, v('amount'), 5] })).toEqual({
      sql: '(r.f_amount >= ? AND r.f_amount <= ?)',
      params: [1, 5],
    });
    expect(both({ '<': [1, v('amount'), 5] })).toEqual({ sql: '(r.f_amount > ? AND r.f_amount < ?)', params: [1, 5] });
  });

  it('booleans are bound as 1/0', () => {
    expect(both({ '==': [v('active'), true] })).toEqual({ sql: 'r.f_active = ?', params: [1] });
    expect(both({ '==': [v('active'), false] }).params).toEqual([0]);
  });

  it('datetimes are converted to the stored form (default and toDb)', () => {
    expect(both({ '>=': [v('seen_at'), '2026-03-01T08:00:00+08:00'] })).toEqual({
      sql: 'r.f_seen_at >= ?',
      params: ['2026-03-01 00:00:00.000'],
    });
    const custom: FilterField = { ...FIELDS.seen_at, toDb: (value) => `db:${String(value)}` };
    const out = compileFilterOrThrow({
      filter: { '==': [v('seen_at'), '2026-03-01T00:00:00Z'] },
      resolveField: () => custom,
      dialect: 'mysql',
      now,
    });
    expect(out.params).toEqual(['db:2026-03-01T00:00:00.000Z']);
  });

  it('in lists, and the empty list matches nothing', () => {
    expect(both({ in: [v('stage'), ['won', 'lost']] })).toEqual({ sql: 'r.f_stage IN (?, ?)', params: ['won', 'lost'] });
    expect(both({ in: [v('owner'), []] })).toEqual({ sql: '1=0', params: [] });
    expect(both({ '!': { in: [v('owner'), []] } })).toEqual({ sql: '1=1', params: [] });
  });
});

describe('compileFilterOrThrow: text and multi-values', () => {
  it('contains escapes LIKE wildcards with a dialect-neutral escape', () => {
    const expected = { sql: "r.f_name LIKE ? ESCAPE '!'", params: ['%50!%!_off!!%'] };
    expect(both({ contains: [v('name'), '50%_off!'] })).toEqual(expected);
    expect(both({ in: ['50%_off!', v('name')] })).toEqual(expected);
  });

  it('starts_with', () => {
    expect(both({ starts_with: [v('name'), 'ab'] })).toEqual({ sql: "r.f_name LIKE ? ESCAPE '!'", params: ['ab%'] });
  });

  it('contains on a JSON string list differs per dialect', () => {
    expect(sql({ contains: [v('tags'), 'vip'] }, 'mysql')).toEqual({
      sql: 'JSON_CONTAINS(r.f_tags, JSON_ARRAY(?))',
      params: ['vip'],
    });
    expect(sql({ in: ['vip', v('tags')] }, 'sqlite')).toEqual({
      sql: 'EXISTS (SELECT 1 FROM json_each(r.f_tags) WHERE json_each.value = ?)',
      params: ['vip'],
    });
  });

  it('contains on a link table', () => {
    expect(both({ contains: [v('contacts'), 7] })).toEqual({
      sql: 'EXISTS (SELECT 1 FROM l_contacts l WHERE l.record_id = r.id AND l.target_id = ?)',
      params: [7],
    });
  });

  it('is_empty / is_not_empty per storage', () => {
    expect(both({ is_empty: [v('name')] }).sql).toBe("(r.f_name IS NULL OR r.f_name = '')");
    expect(both({ is_not_empty: [v('name')] }).sql).toBe("(r.f_name IS NOT NULL AND r.f_name <> '')");
    expect(both({ is_empty: v('amount') }).sql).toBe('r.f_amount IS NULL');
    expect(sql({ is_empty: [v('tags')] }, 'mysql').sql).toBe('(r.f_tags IS NULL OR JSON_LENGTH(r.f_tags) = 0)');
    expect(sql({ is_not_empty: [v('tags')] }, 'sqlite').sql).toBe('(r.f_tags IS NOT NULL AND json_array_length(r.f_tags) > 0)');
    expect(both({ is_empty: [v('contacts')] }).sql).toBe('NOT EXISTS (SELECT 1 FROM l_contacts l WHERE l.record_id = r.id)');
    expect(both({ is_not_empty: [v('contacts')] }).sql).toBe('EXISTS (SELECT 1 FROM l_contacts l WHERE l.record_id = r.id)');
  });
});

describe('compileFilterOrThrow: date ranges', () => {
  const range = (key: string, spec: unknown) => both({ date_range: [v(key), spec] });

  it('relative ranges on a date field (UTC, weeks from Monday)', () => {
    const cases: Record<string, [string, string]> = {
      today: ['2026-03-18', '2026-03-19'],
      yesterday: ['2026-03-17', '2026-03-18'],
      tomorrow: ['2026-03-19', '2026-03-20'],
      this_week: ['2026-03-16', '2026-03-23'],
      last_week: ['2026-03-09', '2026-03-16'],
      next_week: ['2026-03-23', '2026-03-30'],
      this_month: ['2026-03-01', '2026-04-01'],
      last_month: ['2026-02-01', '2026-03-01'],
      next_month: ['2026-04-01', '2026-05-01'],
      this_year: ['2026-01-01', '2027-01-01'],
      last_year: ['2025-01-01', '2026-01-01'],
      last_7_days: ['2026-03-12', '2026-03-19'],
      last_30_days: ['2026-02-17', '2026-03-19'],
      next_7_days: ['2026-03-18', '2026-03-25'],
      next_30_days: ['2026-03-18', '2026-04-17'],
    };
    for (const [name, params] of Object.entries(cases)) {
      expect(range('closed_on', name), name).toEqual({
        sql: '(r.f_closed_on >= ? AND r.f_closed_on < ?)',
        params,
      });
    }
  });

  it('a Sunday still belongs to the week that started on Monday', () => {
    const out = compileFilterOrThrow({
      filter: { date_range: [v('closed_on'), 'this_week'] },
      resolveField,
      dialect: 'sqlite',
      now: new Date('2026-03-22T23:59:59Z'),
    });
    expect(out.params).toEqual(['2026-03-16', '2026-03-23']);
  });

  it('explicit bounds are inclusive dates; datetimes compare from midnight UTC', () => {
    expect(range('seen_at', { from: '2026-01-01', to: '2026-01-31' })).toEqual({
      sql: '(r.f_seen_at >= ? AND r.f_seen_at < ?)',
      params: ['2026-01-01 00:00:00.000', '2026-02-01 00:00:00.000'],
    });
    expect(range('closed_on', { to: '2026-12-31' })).toEqual({ sql: '(r.f_closed_on < ?)', params: ['2027-01-01'] });
    expect(range('closed_on', { from: '2026-02-28', to: null })).toEqual({
      sql: '(r.f_closed_on >= ?)',
      params: ['2026-02-28'],
    });
  });
});

describe('compileFilterOrThrow: logic', () => {
  it('and / or / constants', () => {
    expect(both({ and: [{ '==': [v('stage'), 'won'] }, { or: [{ '>': [v('amount'), 1] }, { is_empty: [v('owner')] }] }] })).toEqual({
      sql: '(r.f_stage = ? AND (r.f_amount > ? OR r.f_owner IS NULL))',
      params: ['won', 1],
    });
    expect(both({ or: [{ '==': [v('stage'), 'won'] }] }).sql).toBe('r.f_stage = ?');
    expect(both(true).sql).toBe('1=1');
    expect(both({ '!': false }).sql).toBe('1=1');
  });

  it('negation is pushed to the leaves so that blanks match json-logic', () => {
    expect(both({ '!': { and: [{ '==': [v('stage'), 'won'] }, { '<': [v('amount'), 5] }] } })).toEqual({
      sql: '((r.f_stage <> ? OR r.f_stage IS NULL) OR (r.f_amount >= ? OR r.f_amount IS NULL))',
      params: ['won', 5],
    });
    expect(both({ '!': [{ '!=': [v('stage'), 'won'] }] })).toEqual({ sql: 'r.f_stage = ?', params: ['won'] });
    expect(both({ '!': { contains: [v('name'), 'x'] } }).sql).toBe("(r.f_name IS NULL OR NOT (r.f_name LIKE ? ESCAPE '!'))");
    expect(sql({ '!': { contains: [v('tags'), 'x'] } }, 'mysql').sql).toBe('(r.f_tags IS NULL OR NOT (JSON_CONTAINS(r.f_tags, JSON_ARRAY(?))))');
    expect(both({ '!': { '<=': [1, v('amount'), 2] } }).sql).toBe('(r.f_amount < ? OR r.f_amount > ? OR r.f_amount IS NULL)');
    expect(both({ '!': { date_range: [v('closed_on'), 'today'] } }).sql).toBe('(r.f_closed_on < ? OR r.f_closed_on >= ? OR r.f_closed_on IS NULL)');
    expect(both({ '!': { in: [v('stage'), ['a']] } }).sql).toBe('(r.f_stage IS NULL OR NOT (r.f_stage IN (?)))');
  });

  it('hostile values only ever become parameters', () => {
    const hostile = "' OR 1=1 --";
    const out = both({ or: [{ '==': [v('name'), hostile] }, { in: [v('stage'), [hostile, '"); DROP TABLE r; --']] }] });
    expect(out.sql).toBe('(r.f_name = ? OR r.f_stage IN (?, ?))');
    expect(out.params).toEqual([hostile, hostile, '"); DROP TABLE r; --']);
  });
});
