import { Injectable } from '@nestjs/common';
import { escape } from 'mysql2';
import type { Executor } from '../../database/db';
import { assertPhysicalName } from '../ddl/ddl-step';
import type { Row } from './record-codec';

/** Bound parameters per statement; SQLite allows 32766. */
const MAX_PARAMS = 20000;
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
/** Characters of row literals per MySQL INSERT: well under max_allowed_packet (16 MiB) even at 3 bytes a character. */
const LITERAL_CHUNK = 512 * 1024;

/** The characters mysql2's string escaping replaces (sqlstring's CHARS_GLOBAL_REGEXP): a string with none is quoted as it is. */
// eslint-disable-next-line no-control-regex -- NUL and ^Z are among the characters mysql2 escapes
const NEEDS_ESCAPE = /[\0\b\t\n\r\x1a"'\\]/;

/** The pieces of the row being written (sqlRow is synchronous: one array serves every row). */
const pieces: string[] = [];

/**
 * One row as `head v1,v2,…)` (head opens it), each value as mysql2 would interpolate it
 * (`SqlString.format`). Joined from its pieces: one flat string per row, not a rope of a node
 * per value and comma that lives until the statement is sent.
 */
function sqlRow(head: string, row: unknown[]): string {
  // Written by index and cut to length: emptying the array would drop its storage and grow it again per row.
  let n = 0;
  pieces[n++] = head;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (i) pieces[n++] = ',';
    if (v === null || v === undefined) pieces[n++] = 'NULL';
    else if (typeof v === 'string') {
      if (NEEDS_ESCAPE.test(v)) pieces[n++] = escape(v);
      else {
        pieces[n++] = "'";
        pieces[n++] = v;
        pieces[n++] = "'";
      }
    } else if (typeof v === 'number' || typeof v === 'bigint') pieces[n++] = `${v}`;
    else unexpected(v);
  }
  pieces[n++] = ')';
  pieces.length = n;
  return pieces.join('');
}

/** Storage codecs give strings, numbers and nulls only: anything else is a bug, not data to guess at. */
function unexpected(v: unknown): never {
  throw new Error(`Cannot write a ${Object.prototype.toString.call(v)} as an SQL literal`);
}

/** The only code that writes record tables (rows, link rows, child rows) and serial counters. Table and column names are generated. */
@Injectable()
export class RecordWritesRepository {
  private autoincConsecutive: boolean | null = null;

  async insert(tx: Executor, table: string, columns: string[], values: unknown[]): Promise<number> {
    const res = await tx.run(
      `INSERT INTO ${assertPhysicalName(table)} (${columns.map(assertPhysicalName).join(', ')}) VALUES (${placeholders(values.length)})`,
      values,
    );
    return res.insertId;
  }

  /** One row, answered as stored (`INSERT … RETURNING`; only where `Db.insertReturning`). */
  async insertReturning(tx: Executor, table: string, columns: string[], values: unknown[], returning: string[]): Promise<Row> {
    const rows = await tx.query<Row>(
      `INSERT INTO ${assertPhysicalName(table)} (${columns.map(assertPhysicalName).join(', ')}) VALUES (${placeholders(values.length)}) RETURNING ${returning.map(assertPhysicalName).join(', ')}`,
      values,
    );
    if (rows.length !== 1) throw new Error(`INSERT … RETURNING into ${table} answered ${rows.length} rows`);
    return rows[0];
  }

  /**
   * Multi-row insert of `rows.count` rows: `shared` values are the same in every row (version,
   * timestamps, creator), `rowOf(i)` gives row i's values of `columns` (converted as each chunk is
   * built, so MySQL runs one chunk while the next is prepared; it may reuse one array, so each row
   * is consumed before the next is asked for). Returns the new ids in order.
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
        // The statement joins the first row (a short pair), so the text is flattened once, by the join, not again when it is sent.
        parts[0] = statement + parts[0];
        const run = tx.run(parts.join(','));
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

  async insertRows(tx: Executor, table: string, columns: string[], rows: unknown[][]): Promise<void> {
    const chunk = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columns.length)));
    const t = assertPhysicalName(table);
    const cols = columns.map(assertPhysicalName).join(', ');
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      await tx.run(`INSERT INTO ${t} (${cols}) VALUES ${part.map((r) => `(${placeholders(r.length)})`).join(', ')}`, part.flat());
    }
  }

  /** The version compare-and-set; `live`: a deleted row (in the recycle bin) matches nothing either. */
  async update(tx: Executor, table: string, id: number, version: number, sets: [string, unknown][], live = false): Promise<number> {
    const t = assertPhysicalName(table);
    const res = await tx.run(
      `UPDATE ${t} SET ${sets.map(([c]) => `${assertPhysicalName(c)} = ?`).join(', ')}, version = version + 1 WHERE id = ? AND version = ?${live ? ' AND deleted_at IS NULL' : ''}`,
      [...sets.map(([, v]) => v), id, version],
    );
    return res.affected;
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

  /** Sets the same columns on every record of `ids` and moves each one's version. */
  async updateMany(tx: Executor, table: string, ids: number[], sets: [string, unknown][]): Promise<void> {
    if (!ids.length) return;
    const t = assertPhysicalName(table);
    await tx.run(
      `UPDATE ${t} SET ${sets.map(([col]) => `${assertPhysicalName(col)} = ?`).join(', ')}, version = version + 1 WHERE id IN (${placeholders(ids.length)})`,
      [...sets.map(([, v]) => v), ...ids],
    );
  }

  /**
   * Per-record column values with one statement per chunk of 500:
   * `UPDATE t SET c = CASE id WHEN ? THEN ? … END, … WHERE id IN (…)`; `bumpVersion` also moves each record's version.
   */
  async updateColumns(exec: Executor, table: string, updates: { id: number; sets: Map<string, unknown> }[], bumpVersion: boolean): Promise<void> {
    const t = assertPhysicalName(table);
    for (let i = 0; i < updates.length; i += 500) {
      const part = updates.slice(i, i + 500);
      const columns = [...new Set(part.flatMap((u) => [...u.sets.keys()]))];
      if (!columns.length) continue;
      const params: unknown[] = [];
      const sets = columns.map((col) => {
        const whens = part.filter((u) => u.sets.has(col));
        for (const u of whens) params.push(u.id, u.sets.get(col));
        return `${assertPhysicalName(col)} = CASE id ${whens.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ${col} END`;
      });
      if (bumpVersion) sets.push('version = version + 1');
      params.push(...part.map((u) => u.id));
      await exec.run(`UPDATE ${t} SET ${sets.join(', ')} WHERE id IN (${placeholders(part.length)})`, params);
    }
  }

  /** To the recycle bin; 0 when it is not live. */
  async softDelete(tx: Executor, table: string, id: number, now: string, userId: string): Promise<number> {
    const res = await tx.run(
      `UPDATE ${assertPhysicalName(table)} SET deleted_at = ?, deleted_by = ?, version = version + 1 WHERE id = ? AND deleted_at IS NULL`,
      [now, userId, id],
    );
    return res.affected;
  }

  async softDeleteMany(tx: Executor, table: string, ids: number[], now: string, userId: string): Promise<void> {
    await tx.run(
      `UPDATE ${assertPhysicalName(table)} SET deleted_at = ?, deleted_by = ?, version = version + 1 WHERE deleted_at IS NULL AND id IN (${placeholders(ids.length)})`,
      [now, userId, ...ids],
    );
  }

  /** Back from the recycle bin; 0 when it is not in it. */
  async restore(tx: Executor, table: string, id: number, now: string, userId: string): Promise<number> {
    const res = await tx.run(
      `UPDATE ${assertPhysicalName(table)} SET deleted_at = NULL, deleted_by = NULL, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND deleted_at IS NOT NULL`,
      [now, userId, id],
    );
    return res.affected;
  }

  /** Deletes the row for good (only from the recycle bin); 0 when it is not in it. */
  async purge(tx: Executor, table: string, id: number): Promise<number> {
    return (await tx.run(`DELETE FROM ${assertPhysicalName(table)} WHERE id = ? AND deleted_at IS NOT NULL`, [id])).affected;
  }

  /** A purged record's link rows (`record_id`) or subform rows (`parent_id`). */
  async deleteExtras(tx: Executor, table: string, childTable: boolean, id: number): Promise<void> {
    await tx.run(`DELETE FROM ${assertPhysicalName(table)} WHERE ${childTable ? 'parent_id' : 'record_id'} = ?`, [id]);
  }

  /** A relation's targets of one record, replaced. */
  async replaceLinks(tx: Executor, table: string, id: number, targets: number[]): Promise<void> {
    await tx.run(`DELETE FROM ${assertPhysicalName(table)} WHERE record_id = ?`, [id]);
    await this.insertRows(
      tx,
      table,
      ['record_id', 'target_id'],
      targets.map((t) => [id, t]),
    );
  }

  async deleteChildRows(tx: Executor, table: string, parentId: number, ids: number[]): Promise<void> {
    if (!ids.length) return;
    await tx.run(`DELETE FROM ${assertPhysicalName(table)} WHERE parent_id = ? AND id IN (${placeholders(ids.length)})`, [parentId, ...ids]);
  }

  async updateChildRow(
    tx: Executor,
    table: string,
    row: { parentId: number; rowId: number; order: number; columns: string[]; values: unknown[] },
  ): Promise<void> {
    await tx.run(
      `UPDATE ${assertPhysicalName(table)} SET row_order = ?${row.columns.map((c) => `, ${assertPhysicalName(c)} = ?`).join('')} WHERE id = ? AND parent_id = ?`,
      [row.order, ...row.values, row.rowId, row.parentId],
    );
  }
}
