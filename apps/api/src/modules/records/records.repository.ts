import { Injectable } from '@nestjs/common';
import { escape } from 'mysql2';
import { Db, type Executor } from '../../database/db';
import { assertPhysicalName } from '../ddl/ddl-step';
import type { Row } from './record-codec';

/** Bound parameters per statement; SQLite allows 32766. */
const MAX_PARAMS = 20000;
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
/** Characters of row literals per MySQL INSERT: well under max_allowed_packet (16 MiB) even at 3 bytes a character. */
const LITERAL_CHUNK = 512 * 1024;

/** One row as `head v1,v2,…)` (head opens it), each value as mysql2 would interpolate it (`SqlString.format`). */
function sqlRow(head: string, row: unknown[]): string {
  let s = head;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    const lit =
      v === null || v === undefined ? 'NULL' : typeof v === 'number' || typeof v === 'bigint' ? `${v}` : typeof v === 'string' ? escape(v) : unexpected(v);
    s += i ? `,${lit}` : lit;
  }
  return s + ')';
}

/** Storage codecs give strings, numbers and nulls only: anything else is a bug, not data to guess at. */
function unexpected(v: unknown): never {
  throw new Error(`Cannot write a ${Object.prototype.toString.call(v)} as an SQL literal`);
}

/** The only code that reads and writes record tables. Table and column names are generated. */
@Injectable()
export class RecordsRepository {
  private autoincConsecutive: boolean | null = null;

  constructor(readonly db: Db) {}

  get dialect() {
    return this.db.dialect;
  }

  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  select(sql: string, params: unknown[], exec: Executor = this.db): Promise<Row[]> {
    return exec.query<Row>(sql, params);
  }

  async findById(exec: Executor, table: string, selectList: string, id: number, opts: { forUpdate?: boolean } = {}): Promise<Row | undefined> {
    const lock = opts.forUpdate && exec.dialect === 'mysql' ? ' FOR UPDATE' : '';
    const rows = await exec.query<Row>(`SELECT ${selectList} FROM ${assertPhysicalName(table)} r WHERE r.id = ?${lock}`, [id]);
    return rows[0];
  }

  async insert(tx: Executor, table: string, columns: string[], values: unknown[]): Promise<number> {
    const res = await tx.run(
      `INSERT INTO ${assertPhysicalName(table)} (${columns.map(assertPhysicalName).join(', ')}) VALUES (${placeholders(values.length)})`,
      values,
    );
    return res.insertId;
  }

  /**
   * Multi-row insert of `rows.count` rows: `shared` values are the same in every row (version,
   * timestamps, creator), `rowOf(i)` gives row i's values of `columns` (converted as each chunk is
   * built, so MySQL runs one chunk while the next is prepared). Returns the new ids in order.
   */
  async insertMany(
    tx: Executor,
    table: string,
    rows: { shared: [string, unknown][]; columns: string[]; count: number; rowOf: (i: number) => unknown[] },
  ): Promise<number[]> {
    const { shared, columns, count, rowOf } = rows;
    const t = assertPhysicalName(table);
    const cols = [...shared.map(([c]) => c), ...columns].map(assertPhysicalName).join(', ');
    if (tx.dialect === 'mysql' && (await this.consecutiveIds(tx))) {
      // Shared values travel once, as session variables, not in every row's text.
      await tx.run(
        `SET ${shared.map((_, k) => `@crm_bulk_${k} = ?`).join(', ')}`,
        shared.map(([, v]) => v),
      );
      const head = `(${shared.map((_, k) => `@crm_bulk_${k}`).join(',')},`;
      return this.insertLiteralChunks(tx, `INSERT INTO ${t} (${cols}) VALUES `, head, count, rowOf);
    }
    const fixed = shared.map(([, v]) => v);
    const chunk = Math.max(1, Math.floor(MAX_PARAMS / (shared.length + columns.length)));
    const ids: number[] = [];
    for (let i = 0; i < count; i += chunk) {
      const part: unknown[][] = [];
      for (let k = i; k < Math.min(count, i + chunk); k++) part.push([...fixed, ...rowOf(k)]);
      ids.push(...(await this.insertChunk(tx, t, cols, part)));
    }
    return ids;
  }

  /**
   * MySQL: rows written as SQL literals, escaped exactly as mysql2 escapes bound parameters
   * (it interpolates them client-side too), in statements of about LITERAL_CHUNK characters.
   * Far cheaper than placeholders, which the driver walks and rebuilds value by value into a
   * string that must be flattened again to be sent; each chunk is sent before the next is
   * built, so the API and MariaDB work at the same time (docs/performance.md, "Bulk insert").
   */
  private async insertLiteralChunks(tx: Executor, statement: string, rowHead: string, count: number, rowOf: (i: number) => unknown[]): Promise<number[]> {
    const ids: number[] = new Array(count);
    const pending: Promise<void>[] = [];
    let failure: unknown = null;
    try {
      // A refused chunk fails the import: stop building the rest.
      for (let i = 0; i < count && !failure;) {
        const parts: string[] = [];
        let size = 0;
        const from = i;
        for (; i < count && size < LITERAL_CHUNK; i++) {
          const part = sqlRow(rowHead, rowOf(i));
          size += part.length;
          parts.push(part);
        }
        const n = i - from;
        const run = tx.run(statement + parts.join(','));
        pending.push(
          run.then(
            (res) => {
              for (let k = 0; k < n; k++) ids[from + k] = res.insertId + k;
            },
            (err) => {
              failure ??= err;
            },
          ),
        );
        // Let the driver put this chunk on the wire before the next one is built.
        if (i < count) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      await Promise.all(pending);
    }
    if (failure) throw failure;
    return ids;
  }

  private async insertChunk(tx: Executor, t: string, cols: string, rows: unknown[][]): Promise<number[]> {
    if (!rows.length) return [];
    const values = rows.map((r) => `(${placeholders(r.length)})`).join(', ');
    const params = rows.flat();
    if (tx.dialect === 'sqlite') {
      const out = await tx.query<{ id: number }>(`INSERT INTO ${t} (${cols}) VALUES ${values} RETURNING id`, params);
      // RETURNING order is unspecified in SQLite; AUTOINCREMENT ids grow in VALUES order.
      return out.map((r) => Number(r.id)).sort((a, b) => a - b);
    }
    // Interleaved autoinc lock mode: ids of one statement may not be consecutive.
    const ids: number[] = [];
    for (const r of rows) ids.push((await tx.run(`INSERT INTO ${t} (${cols}) VALUES (${placeholders(r.length)})`, r)).insertId);
    return ids;
  }

  /** InnoDB hands a multi-row insert consecutive ids unless autoinc lock mode is 2 (interleaved). */
  private async consecutiveIds(tx: Executor): Promise<boolean> {
    if (this.autoincConsecutive === null) {
      const rows = await tx.query<{ m: number }>('SELECT @@innodb_autoinc_lock_mode AS m');
      this.autoincConsecutive = Number(rows[0]?.m) !== 2;
    }
    return this.autoincConsecutive;
  }

  async bulkInsertRows(tx: Executor, table: string, columns: string[], rows: unknown[][]): Promise<void> {
    const chunk = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columns.length)));
    const t = assertPhysicalName(table);
    const cols = columns.map(assertPhysicalName).join(', ');
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      await tx.run(`INSERT INTO ${t} (${cols}) VALUES ${part.map((r) => `(${placeholders(r.length)})`).join(', ')}`, part.flat());
    }
  }

  async update(tx: Executor, table: string, id: number, version: number, sets: [string, unknown][]): Promise<number> {
    const t = assertPhysicalName(table);
    const res = await tx.run(
      `UPDATE ${t} SET ${sets.map(([c]) => `${assertPhysicalName(c)} = ?`).join(', ')}, version = version + 1 WHERE id = ? AND version = ?`,
      [...sets.map(([, v]) => v), id, version],
    );
    return res.affected;
  }

  async run(exec: Executor, sql: string, params: unknown[]): Promise<number> {
    return (await exec.run(sql, params)).affected;
  }

  /** Values of link tables for a set of records: record id -> target ids. */
  async linkTargets(exec: Executor, table: string, recordIds: number[]): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    if (!recordIds.length) return out;
    const rows = await exec.query<{ record_id: number; target_id: number }>(
      `SELECT record_id, target_id FROM ${assertPhysicalName(table)} WHERE record_id IN (${placeholders(recordIds.length)}) ORDER BY record_id, target_id`,
      recordIds,
    );
    for (const r of rows) {
      const list = out.get(Number(r.record_id)) ?? [];
      list.push(Number(r.target_id));
      out.set(Number(r.record_id), list);
    }
    return out;
  }

  async childRows(exec: Executor, table: string, columns: string[], parentIds: number[]): Promise<Row[]> {
    if (!parentIds.length) return [];
    const cols = ['id', 'parent_id', 'row_order', ...columns].map(assertPhysicalName).join(', ');
    return exec.query<Row>(
      `SELECT ${cols} FROM ${assertPhysicalName(table)} WHERE parent_id IN (${placeholders(parentIds.length)}) ORDER BY parent_id, row_order, id`,
      parentIds,
    );
  }

  /** Remembers which record holds which files (downloads are checked against it). */
  async linkFiles(tx: Executor, entityId: string, links: { recordId: number; fileId: string; fieldKey: string }[]): Promise<void> {
    for (const l of links) {
      const exists = await tx.query('SELECT 1 AS x FROM file_links WHERE file_id = ? AND entity_id = ? AND record_id = ? AND field_key = ?', [
        l.fileId,
        entityId,
        l.recordId,
        l.fieldKey,
      ]);
      if (!exists.length)
        await tx.run('INSERT INTO file_links (file_id, entity_id, record_id, field_key) VALUES (?, ?, ?, ?)', [l.fileId, entityId, l.recordId, l.fieldKey]);
    }
  }

  /** Which of `ids` exist (live) in `table`, optionally within a scope predicate on alias r. */
  async existingIds(exec: Executor, table: string, ids: number[], scope: { sql: string; params: unknown[] } | null = null): Promise<Set<number>> {
    const out = new Set<number>();
    for (let i = 0; i < ids.length; i += 1000) {
      const part = ids.slice(i, i + 1000);
      const rows = await exec.query<{ id: number }>(
        `SELECT r.id FROM ${assertPhysicalName(table)} r WHERE r.id IN (${placeholders(part.length)}) AND r.deleted_at IS NULL${scope ? ` AND ${scope.sql}` : ''}`,
        [...part, ...(scope?.params ?? [])],
      );
      for (const r of rows) out.add(Number(r.id));
    }
    return out;
  }

  async existingSystemIds(exec: Executor, kind: 'users' | 'departments' | 'files', workspaceId: string, ids: string[]): Promise<Map<string, Row>> {
    const out = new Map<string, Row>();
    const cols = kind === 'files' ? 'id, name, size, mime' : 'id';
    for (let i = 0; i < ids.length; i += 1000) {
      const part = ids.slice(i, i + 1000);
      const rows = await exec.query<Row>(`SELECT ${cols} FROM ${kind} WHERE workspace_id = ? AND id IN (${placeholders(part.length)})`, [workspaceId, ...part]);
      for (const r of rows) out.set(String(r.id), r);
    }
    return out;
  }

  /** Next value(s) of a serial counter inside the caller's transaction: gap-free because it rolls back with it. */
  async nextSerial(tx: Executor, fieldId: string, period: string, n: number): Promise<number> {
    if (tx.dialect === 'mysql') {
      await tx.run('INSERT INTO serial_counters (field_id, period, value) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE value = value + ?', [fieldId, period, n, n]);
    } else {
      await tx.run(
        'INSERT INTO serial_counters (field_id, period, value) VALUES (?, ?, ?) ON CONFLICT (field_id, period) DO UPDATE SET value = value + excluded.value',
        [fieldId, period, n],
      );
    }
    const rows = await tx.query<{ value: number }>('SELECT value FROM serial_counters WHERE field_id = ? AND period = ?', [fieldId, period]);
    return Number(rows[0].value) - n + 1;
  }
}
