/*
 * Issue 4: condition → SQL gives the same rows as in-memory evaluation on random data, on the
 * database the API runs on (embedded SQLite, or MariaDB/MySQL when DATABASE_URL is set).
 *
 * The table is built with the API's own DDL (createRecordTableSql, ADD COLUMN with
 * columnTypeSql, createLinkTableSql: TEXT COLLATE NOCASE / VARCHAR+MEDIUMTEXT in a
 * utf8mb4_unicode_ci table, DECIMAL(30,10)/NUMERIC, DATE, DATETIME(3), TINYINT(1), LONGTEXT
 * json, BIGINT refs, a link table), the filter fields come from the API's own filterFieldOf
 * and the field types' toDb stores the values, so the compiler is exercised exactly as on a
 * records list. Filters use only the operators each field type offers.
 */
import { compileFilterOrThrow, evaluateFilter, type FilterField, registerFormulaOperations } from '@crm/rules';
import { getFieldTypeOrThrow } from '@crm/schema';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  amountArb,
  dateArb,
  dateRange,
  equality,
  filterTreeArb,
  hasNonCanonicalLiteral,
  idArb,
  instantArb,
  isoLiteralArb,
  membership,
  nowArb,
  nullable,
  ordered,
  orNull,
  startsWith,
  v,
} from '../../../packages/rules/src/testing/filter-arbitraries';
import { Db } from '../src/database/db';
import { columnTypeSql, createLinkTableSql, createRecordTableSql } from '../src/modules/ddl/schema.repository';
import type { FieldMeta } from '../src/modules/entities/entity-meta';
import { filterFieldOf } from '../src/modules/entities/entity-runtime.service';
import { startApi, type TestApi } from './support/harness';

// The API process shares json-logic's operator table with the formula operations.
registerFormulaOperations();

const TABLE = 't_prop_deals';
const LINKS = 'l_prop_contacts';
const ROWS = 60;
const FILTERS_PER_DATASET = 16;
const DATASETS = 25; // 400 filters, each over 60 rows

/*
 * Text values are restricted to where the database's text semantics and in-memory evaluation
 * legitimately agree (README "Semantics shared by SQL and memory"): the API's text columns are
 * case-insensitive (SQLite NOCASE, MySQL utf8mb4_unicode_ci, which also folds accents and pads
 * trailing spaces, so 'a ' = 'a' and ' ' = '' there), while evaluateFilter's `==` is strict.
 * So: lowercase ASCII letters, LIKE/escape/quote metacharacters and one accented letter that has
 * no case or accent partner in the set; no upper case, no spaces. Everything else (LIKE
 * escaping, blanks, '' as empty, negation) is exercised in full.
 */
const text = fc.string({ unit: fc.constantFrom('a', 'b', '%', '_', '!', '\\', "'", 'é'), maxLength: 4 });
const stage = fc.constantFrom('won', 'lost', 'open', ''); // a VARCHAR too: lowercase only (see above)
// Multi-select values live in a JSON list, compared as JSON (case-sensitive on every database).
const tag = fc.constantFrom('vip', 'VIP', 'new', 'a%b');

const OPTIONS = (values: string[]) => values.map((value) => ({ value, label: value }));
const FIELDS: { key: string; type: string; settings: Record<string, unknown>; column?: string; table?: string }[] = [
  { key: 'name', type: 'text', settings: { maxLength: 255 }, column: 'f_name' },
  { key: 'notes', type: 'textarea', settings: { maxLength: 10000 }, column: 'f_notes' },
  { key: 'amount', type: 'number', settings: { precision: 2 }, column: 'f_amount' },
  { key: 'closed_on', type: 'date', settings: {}, column: 'f_closed_on' },
  { key: 'seen_at', type: 'datetime', settings: {}, column: 'f_seen_at' },
  { key: 'active', type: 'switch', settings: {}, column: 'f_active' },
  { key: 'stage', type: 'select', settings: { options: OPTIONS(['won', 'lost', 'open']) }, column: 'f_stage' },
  { key: 'tags', type: 'multiselect', settings: { options: OPTIONS(['vip', 'VIP', 'new', 'a%b']) }, column: 'f_tags' },
  { key: 'owner', type: 'relation', settings: { targetEntityId: 'target', multiple: false }, column: 'f_owner' },
  { key: 'contacts', type: 'relation', settings: { targetEntityId: 'target', multiple: true }, table: LINKS },
];
const COLUMN_FIELDS = FIELDS.filter((f) => f.column);

const filterFields = new Map<string, FilterField>();
for (const f of FIELDS) {
  const meta = { key: f.key, type: f.type, settings: f.settings, physical: { column: f.column, table: f.table } } as unknown as FieldMeta;
  filterFields.set(f.key, filterFieldOf(meta)!);
}
const resolveField = (key: string) => filterFields.get(key);

interface Row {
  id: number;
  [key: string]: unknown;
}

const rowArb = fc.record({
  name: orNull(text),
  notes: orNull(text),
  amount: orNull(amountArb),
  closed_on: orNull(dateArb),
  seen_at: orNull(instantArb.map((d) => d.toISOString())),
  active: orNull(fc.boolean()),
  stage: orNull(stage),
  tags: orNull(fc.uniqueArray(tag, { maxLength: 3 })),
  owner: orNull(idArb),
  contacts: fc.uniqueArray(idArb, { maxLength: 3 }),
});
const rowsArb = fc.array(rowArb, { minLength: ROWS, maxLength: ROWS }).map((rows) => rows.map((row, i): Row => ({ id: i + 1, ...row })));

// Each leaf uses only what the field type offers (operatorsFor): text ==, !=, in, contains,
// starts_with, blanks; long text contains, starts_with, blanks; dates no `in`; …
const leafArb = fc.oneof(
  ...equality('name', text),
  startsWith('name', text),
  ...membership('name', text),
  startsWith('notes', text),
  ...membership('notes', text),
  ...ordered('amount', amountArb),
  ...ordered('closed_on', dateArb, { inList: false }),
  dateRange('closed_on'),
  ...ordered('seen_at', isoLiteralArb, { inList: false }),
  dateRange('seen_at'),
  fc.tuple(fc.constantFrom('==', '!='), fc.boolean()).map(([op, b]) => ({ [op]: [v('active'), b] })),
  ...nullable('active'),
  ...equality('stage', stage),
  ...membership('tags', tag),
  ...equality('owner', idArb),
  ...membership('contacts', idArb),
  fc.boolean(),
);
const filterArb = filterTreeArb(leafArb);

describe('compiled conditions select the rows evaluateFilter accepts, on the API database', () => {
  let api: TestApi;
  let db: Db;

  beforeAll(async () => {
    api = await startApi();
    db = api.app.get(Db);
    const d = db.dialect;
    for (const sql of createRecordTableSql(d, TABLE)) await db.run(sql);
    for (const f of COLUMN_FIELDS) {
      const storage = getFieldTypeOrThrow(f.type).storage(f.settings as never);
      if (storage.kind !== 'column') throw new Error(`${f.key} is not a column`);
      await db.run(`ALTER TABLE ${TABLE} ADD COLUMN ${f.column} ${columnTypeSql(d, storage.column)} NULL`);
    }
    for (const sql of createLinkTableSql(d, LINKS)) await db.run(sql);
  });

  afterAll(async () => {
    await api?.close();
  });

  async function load(rows: readonly Row[]): Promise<void> {
    await db.run(`DELETE FROM ${LINKS}`);
    await db.run(`DELETE FROM ${TABLE}`);
    const columns = ['id', 'created_at', 'updated_at', ...COLUMN_FIELDS.map((f) => f.column!)];
    const params: unknown[] = [];
    for (const row of rows) {
      params.push(row.id, '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000');
      for (const f of COLUMN_FIELDS) params.push(getFieldTypeOrThrow(f.type).toDb(row[f.key], f.settings as never));
    }
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    await db.run(`INSERT INTO ${TABLE} (${columns.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`, params);
    const links = rows.flatMap((row) => (row.contacts as number[]).map((target) => [row.id, target]));
    if (links.length) await db.run(`INSERT INTO ${LINKS} (record_id, target_id) VALUES ${links.map(() => '(?, ?)').join(', ')}`, links.flat());
  }

  it('selects the same rows for random filters over random rows', async () => {
    let filtersRun = 0;
    let properSubsets = 0;
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.array(filterArb, { minLength: FILTERS_PER_DATASET, maxLength: FILTERS_PER_DATASET }), nowArb, async (rows, filters, now) => {
        await load(rows);
        for (const filter of filters) {
          const { sql, params } = compileFilterOrThrow({ filter, resolveField, dialect: db.dialect, now });
          const fromSql = (await db.query<{ id: unknown }>(`SELECT r.id AS id FROM ${TABLE} r WHERE ${sql} ORDER BY r.id`, params)).map((r) => Number(r.id));
          const inMemory = rows.filter((record) => evaluateFilter({ filter, record: { ...record }, now, resolveField })).map((r) => r.id);
          expect(fromSql, JSON.stringify({ filter, sql, params, now })).toEqual(inMemory);
          if (!hasNonCanonicalLiteral(filter)) {
            const unbound = rows.filter((record) => evaluateFilter({ filter, record: { ...record }, now })).map((r) => r.id);
            expect(unbound, JSON.stringify(filter)).toEqual(inMemory);
          }
          filtersRun += 1;
          if (inMemory.length > 0 && inMemory.length < rows.length) properSubsets += 1;
        }
      }),
      { numRuns: DATASETS },
    );
    expect(filtersRun).toBeGreaterThanOrEqual(DATASETS * FILTERS_PER_DATASET);
    // The property is only meaningful if many filters select some rows but not all.
    expect(properSubsets).toBeGreaterThan(filtersRun / 4);
  });
});
