/*
 * Property tests on a real SQLite database: compiled filters select exactly the rows that
 * evaluateFilter accepts, and keyset pages walk every row once in ORDER BY order.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateFilter } from './filter-eval';
import { compileFilterOrThrow } from './filter-sql';
import { compileKeysetOrThrow, compileSortOrThrow, decodeCursorOrThrow, encodeCursor, orderBySql } from './keyset';
import { registerFormulaOperations } from './formula/evaluator';
import { resolveField } from './testing/fields.fixture';
import {
  amountArb as amount,
  dateArb as date,
  dateRange,
  equality,
  filterTreeArb,
  hasNonCanonicalLiteral,
  idArb as id,
  instantArb as instant,
  isoLiteralArb as isoLiteral,
  membership,
  nowArb,
  nullable,
  ordered,
  orNull,
  startsWith,
  v,
} from './testing/filter-arbitraries';

// Servers register the formula operations too (they share json-logic's operator table with
// conditions): the equivalence must hold with them in place.
registerFormulaOperations();

interface Row {
  id: number;
  name: string | null;
  amount: number | null;
  closed_on: string | null;
  seen_at: string | null;
  active: boolean | null;
  stage: string | null;
  tags: string[] | null;
  owner: number | null;
  contacts: number[];
}

// ---- values shared by rows and filters so that filters actually hit rows
const text = fc.string({ unit: fc.constantFrom('a', 'A', 'b', '%', '_', '!', '\\', "'", 'é', 'É', ' '), maxLength: 4 });
const stage = fc.constantFrom('won', 'lost', 'open', 'Won', '');
const tag = fc.constantFrom('vip', 'VIP', 'new', 'a%b');

const rowArb = fc.record({
  name: orNull(text),
  amount: orNull(amount),
  closed_on: orNull(date),
  seen_at: orNull(instant.map((d) => d.toISOString())),
  active: orNull(fc.boolean()),
  stage: orNull(stage),
  tags: orNull(fc.uniqueArray(tag, { maxLength: 3 })),
  owner: orNull(id),
  contacts: fc.uniqueArray(id, { maxLength: 3 }),
});
const rowsArb = fc.array(rowArb, { maxLength: 25 }).map((rows) => rows.map((row, i): Row => ({ id: i + 1, ...row })));

// ---- filters of the supported subset (building blocks in testing/filter-arbitraries.ts)
const leafArb = fc.oneof(
  ...ordered('name', text),
  startsWith('name', text),
  ...membership('name', text),
  ...ordered('amount', amount),
  ...ordered('closed_on', date),
  dateRange('closed_on'),
  ...ordered('seen_at', isoLiteral),
  dateRange('seen_at'),
  fc.tuple(fc.constantFrom('==', '!='), fc.boolean()).map(([op, b]) => ({ [op]: [v('active'), b] })),
  ...nullable('active'),
  ...equality('stage', stage),
  ...membership('tags', tag),
  ...equality('owner', id),
  ...membership('contacts', id),
  fc.boolean(),
);

const filterArb = filterTreeArb(leafArb);

// ---- a real table in the storage layout the API uses
function createDatabase(rows: readonly Row[]): Database.Database {
  const db = new Database(':memory:');
  db.exec(`
    CREATE TABLE t_deals (id INTEGER PRIMARY KEY, f_name TEXT, f_amount REAL, f_closed_on TEXT,
      f_seen_at TEXT, f_active INTEGER, f_stage TEXT, f_tags TEXT, f_owner INTEGER);
    CREATE INDEX i_amount ON t_deals (f_amount);
    CREATE TABLE l_contacts (record_id INTEGER NOT NULL, target_id INTEGER NOT NULL, PRIMARY KEY (record_id, target_id));
  `);
  const insert = db.prepare('INSERT INTO t_deals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const link = db.prepare('INSERT INTO l_contacts VALUES (?, ?)');
  for (const r of rows) {
    insert.run(
      r.id,
      r.name,
      r.amount,
      r.closed_on,
      r.seen_at === null ? null : `${r.seen_at.slice(0, 10)} ${r.seen_at.slice(11, 23)}`,
      r.active === null ? null : Number(r.active),
      r.stage,
      r.tags === null ? null : JSON.stringify(r.tags),
      r.owner,
    );
    for (const target of r.contacts) link.run(r.id, target);
  }
  return db;
}

const SELECT = `SELECT r.id AS id, r.f_name AS name, r.f_amount AS amount, r.f_closed_on AS closed_on,
  r.f_seen_at AS seen_at, r.f_active AS active, r.f_stage AS stage, r.f_owner AS owner FROM t_deals r`;

describe('compiled SQL equals evaluateFilter on SQLite', () => {
  it('selects the same rows for random filters', () => {
    fc.assert(
      fc.property(rowsArb, fc.array(filterArb, { minLength: 1, maxLength: 5 }), nowArb, (rows, filters, now) => {
        const db = createDatabase(rows);
        try {
          for (const filter of filters) {
            const { sql, params } = compileFilterOrThrow({ filter, resolveField, dialect: 'sqlite', now });
            const fromSql = db
              .prepare(`SELECT r.id FROM t_deals r WHERE ${sql} ORDER BY r.id`)
              .pluck()
              .all(...params);
            const inMemory = rows.filter((record) => evaluateFilter({ filter, record: { ...record }, now, resolveField })).map((r) => r.id);
            expect(fromSql, JSON.stringify({ filter, sql, params })).toEqual(inMemory);
            // Without field metadata literals are used as written; canonical ones must agree too.
            if (!hasNonCanonicalLiteral(filter)) {
              const unbound = rows.filter((record) => evaluateFilter({ filter, record: { ...record }, now })).map((r) => r.id);
              expect(unbound, JSON.stringify(filter)).toEqual(inMemory);
            }
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 400 },
    );
  });
});

const SORTABLE = ['name', 'amount', 'closed_on', 'seen_at', 'active', 'stage', 'owner', 'id'];
const sortArb = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...SORTABLE), fc.boolean()), { maxLength: 3, selector: ([key]) => key })
  .map((keys) => keys.map(([key, desc]) => (desc ? '-' : '') + key).join(','));

describe('keyset pagination on SQLite', () => {
  it('walks every row exactly once in ORDER BY order', () => {
    fc.assert(
      fc.property(rowsArb, sortArb, fc.integer({ min: 1, max: 7 }), (rows, sort, pageSize) => {
        const db = createDatabase(rows);
        try {
          const sortKeys = compileSortOrThrow({ sort, resolveField });
          const order = orderBySql(sortKeys);
          const all = db.prepare(`${SELECT} ORDER BY ${order}`).all() as Record<string, unknown>[];
          const walked: unknown[] = [];
          let cursor: string | undefined;
          for (let page = 0; page <= rows.length; page += 1) {
            const where = cursor
              ? compileKeysetOrThrow({
                  sortKeys,
                  cursorValues: decodeCursorOrThrow({ cursor, sortKeys }),
                  dialect: 'sqlite',
                })
              : { sql: '1=1', params: [] };
            const batch = db.prepare(`${SELECT} WHERE ${where.sql} ORDER BY ${order} LIMIT ?`).all(...where.params, pageSize) as Record<string, unknown>[];
            walked.push(...batch.map((r) => r.id));
            if (batch.length < pageSize) break;
            cursor = encodeCursor({ sortKeys, row: batch.at(-1)! });
          }
          expect(walked, sort).toEqual(all.map((r) => r.id));
        } finally {
          db.close();
        }
      }),
      { numRuns: 400 },
    );
  });
});
