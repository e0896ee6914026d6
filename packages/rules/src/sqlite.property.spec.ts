/*
 * Property tests on a real SQLite database: compiled filters select exactly the rows that
 * evaluateFilter accepts, and keyset pages walk every row once in ORDER BY order.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateOfDay, RELATIVE_DATE_RANGES } from './dates';
import { evaluateFilter } from './filter-eval';
import { compileFilterOrThrow } from './filter-sql';
import { compileKeysetOrThrow, compileSortOrThrow, decodeCursorOrThrow, encodeCursor, orderBySql } from './keyset';
import { registerFormulaOperations } from './formula/evaluator';
import { resolveField } from './testing/fields.fixture';

// Servers register the formula operations too (they share json-logic's operator table with
// conditions): the equivalence must hold with them in place.
registerFormulaOperations();

const BASE_DAY = Date.UTC(2026, 0, 1) / 86_400_000; // spans a year, month and week boundary
const DAY_MS = 86_400_000;

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
const amount = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, -1.5, 2.25));
const date = fc.integer({ min: -60, max: 60 }).map((d) => dateOfDay(BASE_DAY + d));
const instant = fc
  .tuple(fc.integer({ min: -60, max: 60 }), fc.oneof(fc.constantFrom(0, DAY_MS - 1), fc.integer({ min: 0, max: DAY_MS - 1 })))
  .map(([d, ms]) => new Date((BASE_DAY + d) * DAY_MS + ms));
const stage = fc.constantFrom('won', 'lost', 'open', 'Won', '');
const tag = fc.constantFrom('vip', 'VIP', 'new', 'a%b');
const id = fc.integer({ min: 1, max: 5 });
const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });

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
const nowArb = fc.integer({ min: -40 * DAY_MS, max: 40 * DAY_MS }).map((ms) => new Date(BASE_DAY * DAY_MS + ms));

// ---- filters of the supported subset
const v = (key: string) => ({ var: key });
/** ISO forms a client may send; the compiler and evaluateFilter must agree on all of them. */
const isoLiteral = instant.chain((d) =>
  fc.constantFrom(
    d.toISOString(),
    d.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00'),
  ),
);

function ordered(key: string, value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown>[] {
  return [
    fc.tuple(fc.constantFrom('==', '!=', '<', '<=', '>', '>='), value).map(([op, x]) => ({ [op]: [v(key), x] })),
    fc.tuple(fc.constantFrom('<', '<='), value, value).map(([op, lo, hi]) => ({ [op]: [lo, v(key), hi] })),
    fc.array(value, { maxLength: 3 }).map((xs) => ({ in: [v(key), xs] })),
    ...nullable(key),
  ];
}
function nullable(key: string): fc.Arbitrary<unknown>[] {
  return [
    fc.constantFrom('==', '!=').map((op) => ({ [op]: [v(key), null] })),
    fc.constantFrom('is_empty', 'is_not_empty').map((op) => ({ [op]: [v(key)] })),
  ];
}
function membership(key: string, value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown>[] {
  return [
    value.map((x) => ({ contains: [v(key), x] })),
    value.map((x) => ({ in: [x, v(key)] })),
    fc.constantFrom('is_empty', 'is_not_empty').map((op) => ({ [op]: [v(key)] })),
  ];
}
const dateRange = (key: string) =>
  fc.oneof(
    fc.constantFrom(...RELATIVE_DATE_RANGES),
    fc.record({ from: date, to: date }, { requiredKeys: [] }).filter((r) => r.from !== undefined || r.to !== undefined),
  ).map((spec) => ({ date_range: [v(key), spec] }));

const leafArb = fc.oneof(
  ...ordered('name', text),
  text.map((x) => ({ starts_with: [v('name'), x] })),
  ...membership('name', text),
  ...ordered('amount', amount),
  ...ordered('closed_on', date),
  dateRange('closed_on'),
  ...ordered('seen_at', isoLiteral),
  dateRange('seen_at'),
  fc.tuple(fc.constantFrom('==', '!='), fc.boolean()).map(([op, b]) => ({ [op]: [v('active'), b] })),
  ...nullable('active'),
  fc.tuple(fc.constantFrom('==', '!='), stage).map(([op, s]) => ({ [op]: [v('stage'), s] })),
  fc.array(stage, { maxLength: 3 }).map((xs) => ({ in: [v('stage'), xs] })),
  ...nullable('stage'),
  ...membership('tags', tag),
  fc.tuple(fc.constantFrom('==', '!='), id).map(([op, x]) => ({ [op]: [v('owner'), x] })),
  fc.array(id, { maxLength: 3 }).map((xs) => ({ in: [v('owner'), xs] })),
  ...nullable('owner'),
  ...membership('contacts', id),
  fc.boolean(),
);

const filterArb = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((items) => ({ and: items })),
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((items) => ({ or: items })),
    tie('node').map((item) => ({ '!': item })),
    tie('node').map((item) => ({ '!': [item] })),
  ),
})).node;

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
            const inMemory = rows
              .filter((record) => evaluateFilter({ filter, record: { ...record }, now, resolveField }))
              .map((r) => r.id);
            expect(fromSql, JSON.stringify({ filter, sql, params })).toEqual(inMemory);
            // Without field metadata literals are used as written; canonical ones must agree too.
            if (!/:\d\dZ|\+08:00/.test(JSON.stringify(filter))) {
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
            const batch = db
              .prepare(`${SELECT} WHERE ${where.sql} ORDER BY ${order} LIMIT ?`)
              .all(...where.params, pageSize) as Record<string, unknown>[];
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
