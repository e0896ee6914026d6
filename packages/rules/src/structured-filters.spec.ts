/*
 * Rich-text `contains` and address `in_region`: compiled SQL on a real SQLite database selects
 * exactly the rows the in-memory evaluation accepts, on random documents and needles.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateFilter } from './filter-eval';
import { compileFilterOrThrow } from './filter-sql';
import type { FilterField, ResolveField } from './types';
import { htmlContainsPattern, htmlText } from './value-kinds';

const FIELDS: Record<string, FilterField> = {
  notes: { key: 'notes', type: 'richtext', valueKind: 'html', operators: ['contains', 'is_empty', 'is_not_empty'], column: 'r.notes', sortable: false },
  addr: { key: 'addr', type: 'address', valueKind: 'region', operators: ['in_region', 'is_empty', 'is_not_empty'], column: 'r.addr', sortable: true },
};
const resolveField: ResolveField = (key) => FIELDS[key];

function database() {
  const db = new Database(':memory:');
  // As the API registers it (database/data-source.ts).
  db.function('regexp', (pattern, value) => (value === null || value === undefined ? 0 : new RegExp(String(pattern)).test(String(value)) ? 1 : 0));
  db.exec('CREATE TABLE r (id INTEGER PRIMARY KEY, notes TEXT COLLATE NOCASE, addr VARCHAR(255) COLLATE NOCASE, deleted_at TEXT)');
  db.exec('CREATE INDEX i_addr ON r (addr, deleted_at)');
  return db;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const word = fc.string({ unit: fc.constantFrom('a', 'B', 'b', '&', '<', '>', '"', '.', '(', ' ', '中'), minLength: 1, maxLength: 3 });
const tag = fc.constantFrom('p', 'b', 'em', 'span');
const fragment = fc.oneof(
  word.map(escape),
  fc.tuple(tag, word).map(([t, w]) => `<${t}>${escape(w)}</${t}>`),
  fc.tuple(word, word).map(([a, w]) => `<a href="https://x.example/${encodeURIComponent(a)}" title="${escape(a).replace(/"/g, '&quot;')}">${escape(w)}</a>`),
  fc.constant('<br />'),
);
const doc = fc.array(fragment, { maxLength: 5 }).map((parts) => parts.join(''));

describe('rich text contains', () => {
  it('matches the text, across tags, never the markup', () => {
    const db = database();
    const insert = db.prepare('INSERT INTO r (id, notes) VALUES (?, ?)');
    fc.assert(
      fc.property(fc.array(fc.option(doc, { nil: null }), { minLength: 1, maxLength: 8 }), word, fc.boolean(), (docs, needle, negate) => {
        db.exec('DELETE FROM r');
        docs.forEach((d, i) => insert.run(i + 1, d));
        const leaf = { contains: [{ var: 'notes' }, needle] };
        const filter = negate ? { '!': leaf } : leaf;
        const { sql, params } = compileFilterOrThrow({ filter, resolveField, dialect: 'sqlite', now: new Date() });
        const got = (db.prepare(`SELECT id FROM r WHERE ${sql} ORDER BY id`).all(...params) as { id: number }[]).map((r) => r.id);
        const want = docs.flatMap((d, i) => (evaluateFilter({ filter, record: { notes: d }, now: new Date(), resolveField }) ? [i + 1] : []));
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('reads text as people see it', () => {
    expect(htmlText('<p>a &amp; <b>b</b></p>')).toBe('a & b');
    const re = new RegExp(htmlContainsPattern('Report'));
    expect(re.test('<p>rep<b>ort</b></p>')).toBe(true);
    expect(re.test('<a href="/report">x</a>')).toBe(false);
    expect(new RegExp(htmlContainsPattern('a.b(')).test('<p>axb(</p>')).toBe(false);
  });
});

describe('address in_region', () => {
  const codes = ['440000|', '440300|x', '440305|科技园', '440304|', '440100|', '441900|', '110101|', '419001|'];
  it('selects what in-memory evaluation selects, through the index', () => {
    const db = database();
    const insert = db.prepare('INSERT INTO r (id, addr) VALUES (?, ?)');
    codes.forEach((c, i) => insert.run(i + 1, c));
    insert.run(codes.length + 1, null);
    const asValue = (stored: string | null) => {
      if (stored === null) return null;
      const code = stored.split('|')[0]!;
      return {
        province: `${code.slice(0, 2)}0000`,
        ...(code.endsWith('0000') ? {} : { city: `${code.slice(0, 4)}00` }),
        ...(code.endsWith('00') ? {} : { district: code }),
      };
    };
    const rows = [...codes, null];
    for (const target of ['440000', '440300', '440305', '441900', '110000', '110100', '419000', '120000']) {
      for (const negate of [false, true]) {
        const leaf = { in_region: [{ var: 'addr' }, target] };
        const filter = negate ? { '!': leaf } : leaf;
        const { sql, params } = compileFilterOrThrow({ filter, resolveField, dialect: 'sqlite', now: new Date() });
        const got = (db.prepare(`SELECT id FROM r WHERE ${sql} ORDER BY id`).all(...params) as { id: number }[]).map((r) => r.id);
        const want = rows.flatMap((s, i) => (evaluateFilter({ filter, record: { addr: asValue(s) }, now: new Date(), resolveField }) ? [i + 1] : []));
        expect(got, `${negate ? 'not ' : ''}${target}`).toEqual(want);
      }
    }
    const { sql, params } = compileFilterOrThrow({ filter: { in_region: [{ var: 'addr' }, '440300'] }, resolveField, dialect: 'sqlite', now: new Date() });
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM r WHERE ${sql} AND deleted_at IS NULL`).all(...params) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX i_addr \(addr>\? AND addr<\?\)/);
  });

  it('refuses a value that is no region code', () => {
    expect(() => compileFilterOrThrow({ filter: { in_region: [{ var: 'addr' }, 'Guangdong'] }, resolveField, dialect: 'sqlite', now: new Date() })).toThrow(
      /six-digit region code/,
    );
    expect(() => compileFilterOrThrow({ filter: { contains: [{ var: 'addr' }, '44'] }, resolveField, dialect: 'sqlite', now: new Date() })).toThrow(
      /not supported/,
    );
  });
});
