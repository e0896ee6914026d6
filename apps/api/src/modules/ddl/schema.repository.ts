import type { ColumnSpec } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { Db, type Dialect } from '../../database/db';
import { assertPhysicalName } from './ddl-step';

export function columnTypeSql(dialect: Dialect, spec: ColumnSpec): string {
  const mysql = dialect === 'mysql';
  switch (spec.kind) {
    // NOCASE makes SQLite compare and sort text case-insensitively (ASCII), like MySQL's
    // utf8mb4_unicode_ci, so `==`, unique and sort agree on both databases.
    case 'string':
      return mysql ? `VARCHAR(${spec.length})` : 'TEXT COLLATE NOCASE';
    case 'text':
      return mysql ? 'MEDIUMTEXT' : 'TEXT COLLATE NOCASE';
    case 'decimal':
      return mysql ? `DECIMAL(${spec.precision},${spec.scale})` : 'NUMERIC';
    case 'integer':
    case 'ref':
      return mysql ? 'BIGINT' : 'INTEGER';
    case 'boolean':
      return mysql ? 'TINYINT(1)' : 'INTEGER';
    case 'date':
      return mysql ? 'DATE' : 'TEXT';
    case 'datetime':
      return mysql ? 'DATETIME(3)' : 'TEXT';
    case 'json':
      return mysql ? 'LONGTEXT' : 'TEXT';
  }
}

/**
 * MySQL counts every VARCHAR's full byte width (4 bytes a character in utf8mb4) toward a
 * 65,535-byte row, so about 60 single-line text fields fill a table. Past this budget a new
 * string column is TEXT instead: stored off the row, its length still enforced by validation,
 * indexed on a prefix as long as the longest allowed value (so unique stays exact).
 */
export const MYSQL_VARCHAR_BUDGET = 48_000;
const MYSQL_TEXT_INDEX_PREFIX = 255;

const TABLE_TAIL = (d: Dialect) => (d === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : '');
const PK = (d: Dialect) => (d === 'mysql' ? 'id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY' : 'id INTEGER PRIMARY KEY AUTOINCREMENT');
const TS = (d: Dialect) => (d === 'mysql' ? 'DATETIME(3)' : 'TEXT');
const ID = (d: Dialect) => (d === 'mysql' ? 'VARCHAR(36)' : 'TEXT');

export function createRecordTableSql(d: Dialect, table: string): string[] {
  const t = assertPhysicalName(table);
  return [
    `CREATE TABLE ${t} (${PK(d)}, version INTEGER NOT NULL DEFAULT 1, created_at ${TS(d)} NOT NULL, created_by ${ID(d)} NULL,
      updated_at ${TS(d)} NOT NULL, updated_by ${ID(d)} NULL, owner_id ${ID(d)} NULL, deleted_at ${TS(d)} NULL,
      deleted_by ${ID(d)} NULL,
      form_version INTEGER NULL)${TABLE_TAIL(d)}`,
    `CREATE INDEX ${t}_owner ON ${t} (owner_id)`,
    `CREATE INDEX ${t}_deleted ON ${t} (deleted_at)`,
  ];
}

export function createLinkTableSql(d: Dialect, table: string): string[] {
  const t = assertPhysicalName(table);
  const big = d === 'mysql' ? 'BIGINT' : 'INTEGER';
  return [
    `CREATE TABLE ${t} (record_id ${big} NOT NULL, target_id ${big} NOT NULL, PRIMARY KEY (record_id, target_id))${TABLE_TAIL(d)}`,
    `CREATE INDEX ${t}_target ON ${t} (target_id)`,
  ];
}

export function createChildTableSql(d: Dialect, table: string): string[] {
  const t = assertPhysicalName(table);
  const big = d === 'mysql' ? 'BIGINT' : 'INTEGER';
  return [
    `CREATE TABLE ${t} (${PK(d)}, parent_id ${big} NOT NULL, row_order INTEGER NOT NULL)${TABLE_TAIL(d)}`,
    `CREATE INDEX ${t}_parent ON ${t} (parent_id, row_order)`,
  ];
}

/**
 * The DDL and catalog reads of record tables: what the DDL runner's steps execute, each behind a
 * named method. Every identifier is a generated physical name (assertPhysicalName).
 */
@Injectable()
export class SchemaRepository {
  constructor(private readonly db: Db) {}

  get dialect(): Dialect {
    return this.db.dialect;
  }

  async tableExists(table: string): Promise<boolean> {
    const sql =
      this.db.dialect === 'mysql'
        ? 'SELECT COUNT(*) AS c FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?'
        : "SELECT COUNT(*) AS c FROM sqlite_master WHERE type = 'table' AND name = ?";
    return Number((await this.db.query<{ c: number }>(sql, [table]))[0]?.c) > 0;
  }

  async columnExists(table: string, column: string): Promise<boolean> {
    const sql =
      this.db.dialect === 'mysql'
        ? 'SELECT COUNT(*) AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?'
        : 'SELECT COUNT(*) AS c FROM pragma_table_info(?) WHERE name = ?';
    return Number((await this.db.query<{ c: number }>(sql, [table, column]))[0]?.c) > 0;
  }

  async indexExists(table: string, index: string): Promise<boolean> {
    const sql =
      this.db.dialect === 'mysql'
        ? 'SELECT COUNT(*) AS c FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?'
        : "SELECT COUNT(*) AS c FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?";
    return Number((await this.db.query<{ c: number }>(sql, [table, index]))[0]?.c) > 0;
  }

  async createTable(kind: 'record' | 'link' | 'child', table: string): Promise<void> {
    const d = this.db.dialect;
    const sql = kind === 'record' ? createRecordTableSql(d, table) : kind === 'link' ? createLinkTableSql(d, table) : createChildTableSql(d, table);
    for (const s of sql) await this.db.run(s);
  }

  async addColumn(table: string, column: string, spec: ColumnSpec): Promise<void> {
    let type = columnTypeSql(this.db.dialect, spec);
    if (this.db.dialect === 'mysql' && spec.kind === 'string' && spec.length <= MYSQL_TEXT_INDEX_PREFIX) {
      const used = await this.varcharBytes(table);
      if (used + spec.length * 4 + 2 > MYSQL_VARCHAR_BUDGET) type = 'TEXT';
    }
    await this.db.run(`ALTER TABLE ${assertPhysicalName(table)} ADD COLUMN ${assertPhysicalName(column)} ${type} NULL`);
  }

  /** Bytes the table's VARCHAR columns take of MySQL's row limit. */
  private async varcharBytes(table: string): Promise<number> {
    const sql =
      "SELECT COALESCE(SUM(CHARACTER_OCTET_LENGTH + 2), 0) AS b FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND data_type = 'varchar'";
    return Number((await this.db.query<{ b: number }>(sql, [table]))[0]?.b ?? 0);
  }

  async createIndex(table: string, index: string, columns: string[], unique: boolean): Promise<void> {
    const text = this.db.dialect === 'mysql' ? await this.textColumns(table, columns) : new Set<string>();
    const parts = columns.map((c) => assertPhysicalName(c) + (text.has(c.toLowerCase()) ? `(${MYSQL_TEXT_INDEX_PREFIX})` : ''));
    await this.db.run(`CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${assertPhysicalName(index)} ON ${assertPhysicalName(table)} (${parts.join(', ')})`);
  }

  /** Which of `columns` are TEXT string columns (the row-budget fallback), indexed on a prefix. */
  private async textColumns(table: string, columns: string[]): Promise<Set<string>> {
    const sql = `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND data_type = 'text' AND column_name IN (${columns.map(() => '?').join(', ')})`;
    const rows = await this.db.query<{ c: string }>(sql, [table, ...columns]);
    return new Set(rows.map((r) => String(r.c).toLowerCase()));
  }

  async dropIndex(table: string, index: string): Promise<void> {
    await this.db.run(
      this.db.dialect === 'mysql' ? `DROP INDEX ${assertPhysicalName(index)} ON ${assertPhysicalName(table)}` : `DROP INDEX ${assertPhysicalName(index)}`,
    );
  }

  async dropColumn(table: string, column: string): Promise<void> {
    await this.db.run(`ALTER TABLE ${assertPhysicalName(table)} DROP COLUMN ${assertPhysicalName(column)}`);
  }

  async dropTable(table: string): Promise<void> {
    await this.db.run(`DROP TABLE ${assertPhysicalName(table)}`);
  }

  /** Rows whose non-null `column` value another row shares: how many, and the first ids. */
  async duplicates(table: string, column: string, sample = 10): Promise<{ count: number; sampleIds: number[] }> {
    const t = assertPhysicalName(table);
    const col = assertPhysicalName(column);
    const dup = `SELECT ${col} FROM ${t} WHERE ${col} IS NOT NULL GROUP BY ${col} HAVING COUNT(*) > 1`;
    const where = `FROM ${t} WHERE ${col} IN (SELECT ${col} FROM (${dup}) d)`;
    const count = Number((await this.db.query<{ c: number }>(`SELECT COUNT(*) AS c ${where}`))[0]?.c ?? 0);
    if (!count) return { count, sampleIds: [] };
    const ids = await this.db.query<{ id: number }>(`SELECT id ${where} ORDER BY id LIMIT ${Number(sample)}`);
    return { count, sampleIds: ids.map((r) => Number(r.id)) };
  }

  /** Backfill resync: a value emptied in the old column since it was copied is emptied in the new one. */
  async clearEmptiedCopies(table: string, from: string, to: string): Promise<void> {
    const [t, f, c] = [assertPhysicalName(table), assertPhysicalName(from), assertPhysicalName(to)];
    await this.db.run(`UPDATE ${t} SET ${c} = NULL WHERE ${f} IS NULL AND ${c} IS NOT NULL`);
  }

  /** The next rows to copy from `from` to `to`, by id; `all`: also rows copied before (resync). */
  backfillBatch(q: {
    table: string;
    from: string;
    to: string;
    afterId: number;
    limit: number;
    all: boolean;
  }): Promise<{ id: number; v: unknown; cur: unknown }[]> {
    const [t, f, c] = [assertPhysicalName(q.table), assertPhysicalName(q.from), assertPhysicalName(q.to)];
    return this.db.query(
      `SELECT id, ${f} AS v, ${c} AS cur FROM ${t} WHERE id > ? AND ${f} IS NOT NULL${q.all ? '' : ` AND ${c} IS NULL`} ORDER BY id LIMIT ${Number(q.limit)}`,
      [q.afterId],
    );
  }

  /** Writes converted values into `to`, one statement for the batch. */
  async writeCopies(table: string, to: string, values: { id: number; value: unknown }[]): Promise<void> {
    if (!values.length) return;
    const [t, c] = [assertPhysicalName(table), assertPhysicalName(to)];
    await this.db.run(`UPDATE ${t} SET ${c} = CASE id ${values.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE id IN (${values.map(() => '?').join(', ')})`, [
      ...values.flatMap((v) => [v.id, v.value]),
      ...values.map((v) => v.id),
    ]);
  }
}
