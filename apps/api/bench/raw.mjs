// The raw driver doing the API's work, in the same run (issue 9, item 8): the filtered list
// query with the same index hint, single-row inserts and multi-row inserts, sent by mysql2 with
// 16 connections in closed loops, so each API figure can be printed beside it as a ratio.
// The SQL is rebuilt from the entity's metadata rows exactly as the API builds it
// (records.repository.ts findPage: select list, `FORCE INDEX` of the pinned field, WHERE,
// ORDER BY r.id DESC, LIMIT 21). Inserts go to a copy of the record table (`CREATE TABLE … LIKE`:
// the same columns and indexes) holding rows copied from the seed, so the API's data is untouched.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(resolve(here, '..'), 'package.json'));
const mysql = require('mysql2/promise');

const SYSTEM_COLUMNS = ['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'owner_id', 'deleted_at', 'form_version'];
const NAME = /^[a-z][a-z0-9_]{0,63}$/;
const name = (s) => {
  if (!NAME.test(s)) throw new Error(`unexpected physical name ${s}`);
  return s;
};

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : null);
const r2 = (x) => (x === null || x === undefined ? null : Math.round(x * 100) / 100);

/** The record table, its select list and the filtered field's column and index, from the metadata tables. */
export async function rawPlan(url, entityId, filterKey) {
  const conn = await mysql.createConnection({ uri: url });
  try {
    const [[entity]] = await conn.query('SELECT table_name FROM entities WHERE id = ?', [entityId]);
    const [fields] = await conn.query('SELECT `key`, physical FROM fields WHERE entity_id = ? ORDER BY position, id', [entityId]);
    const physical = fields.map((f) => ({ key: f.key, ...(typeof f.physical === 'string' ? JSON.parse(f.physical) : f.physical) }));
    const columns = physical.filter((f) => f.column).map((f) => name(f.column));
    const pinned = physical.find((f) => f.key === filterKey);
    if (!pinned?.column || !pinned.index) throw new Error(`field ${filterKey} has no indexed column`);
    return {
      table: name(entity.table_name),
      selectList: [...SYSTEM_COLUMNS, ...columns].map((c) => `r.${c}`).join(', '),
      insertColumns: SYSTEM_COLUMNS.filter((c) => c !== 'id').concat(columns),
      filterColumn: name(pinned.column),
      filterIndex: name(pinned.index),
    };
  } finally {
    await conn.end();
  }
}

/** The API's list statement for `column = value` (newest first), page 1 or after `afterId`. */
export function listSql(plan, afterId) {
  const keyset = afterId ? ' AND (r.id < ?)' : '';
  return `SELECT ${plan.selectList} FROM ${plan.table} r FORCE INDEX (${plan.filterIndex}) WHERE r.deleted_at IS NULL AND (r.${plan.filterColumn} = ?)${keyset} ORDER BY r.id DESC LIMIT 21`;
}

/**
 * `connections` closed loops, each on its own connection, each sending `next()`'s statement as
 * soon as the previous answer arrives; an unmeasured warm-up first. Latency per statement.
 */
async function closedLoop({ url, connections, duration, warmup, next, unitsPer = () => 1 }) {
  const pool = mysql.createPool({ uri: url, connectionLimit: connections, dateStrings: true });
  const conns = await Promise.all(Array.from({ length: connections }, () => pool.getConnection()));
  const latencies = [];
  let units = 0;
  let measuring = false;
  let stopAt = Date.now() + warmup * 1000;
  const loop = async (conn) => {
    while (Date.now() < stopAt) {
      const [sql, params] = next();
      const t0 = process.hrtime.bigint();
      await conn.query(sql, params);
      if (measuring) {
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        units += unitsPer();
      }
    }
  };
  try {
    await Promise.all(conns.map(loop));
    measuring = true;
    const start = Date.now();
    stopAt = start + duration * 1000;
    await Promise.all(conns.map(loop));
    const secs = (Date.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      durationSec: r2(secs),
      statements: latencies.length,
      perSec: Math.round((latencies.length / secs) * 10) / 10,
      unitsPerSec: Math.round(units / secs),
      p50: r2(percentile(latencies, 50)),
      p95: r2(percentile(latencies, 95)),
      p99: r2(percentile(latencies, 99)),
    };
  } finally {
    for (const c of conns) c.release();
    await pool.end();
  }
}

/** The filtered list statement, as the API sends it, in closed loops. */
export function rawList({ url, plan, value, afterId, connections, duration, warmup }) {
  const sql = listSql(plan, afterId);
  const params = afterId ? [value, afterId] : [value];
  return closedLoop({ url, connections, duration, warmup, next: () => [sql, params] });
}

/**
 * Single-row and multi-row inserts of seeded rows (copied, ids left to AUTO_INCREMENT) into a
 * copy of the record table. Returns { single, multi } where `multi` inserts `batch` rows a statement.
 */
export async function rawInserts({ url, plan, connections, duration, warmup, batch, multiRows }) {
  const copy = name(`${plan.table}_rawbench`.slice(0, 64));
  const conn = await mysql.createConnection({ uri: url, dateStrings: true });
  let sample;
  try {
    await conn.query(`DROP TABLE IF EXISTS ${copy}`);
    await conn.query(`CREATE TABLE ${copy} LIKE ${plan.table}`);
    const [rows] = await conn.query({ sql: `SELECT ${plan.insertColumns.join(', ')} FROM ${plan.table} ORDER BY id LIMIT 1000`, rowsAsArray: true });
    sample = rows;
  } finally {
    await conn.end();
  }
  const cols = plan.insertColumns.join(', ');
  const one = `(${plan.insertColumns.map(() => '?').join(', ')})`;
  let i = 0;
  const single = await closedLoop({
    url,
    connections,
    duration,
    warmup,
    next: () => [`INSERT INTO ${copy} (${cols}) VALUES ${one}`, sample[i++ % sample.length]],
  });
  // Multi-row: `batch` rows a statement, 2 in flight (as the bench's bulk seed), over `multiRows` rows.
  const stmt = `INSERT INTO ${copy} (${cols}) VALUES ${Array.from({ length: batch }, () => one).join(', ')}`;
  const batchParams = () => {
    const out = [];
    for (let k = 0; k < batch; k++) out.push(...sample[i++ % sample.length]);
    return out;
  };
  const pool = mysql.createPool({ uri: url, connectionLimit: 2 });
  let multi;
  try {
    const statements = Math.max(2, Math.round(multiRows / batch));
    const prepared = Array.from({ length: Math.min(statements, 4) }, batchParams);
    let left = statements;
    const start = process.hrtime.bigint();
    await Promise.all(
      [0, 1].map(async (w) => {
        for (let k = w; left > 0; k += 2) {
          left--;
          await pool.query(stmt, prepared[k % prepared.length]);
        }
      }),
    );
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    multi = { rows: statements * batch, batch, concurrency: 2, seconds: r2(secs), rowsPerSec: Math.round((statements * batch) / secs) };
  } finally {
    await pool.end();
    const c = await mysql.createConnection({ uri: url });
    await c.query(`DROP TABLE IF EXISTS ${copy}`).finally(() => c.end());
  }
  return { single, multi };
}
