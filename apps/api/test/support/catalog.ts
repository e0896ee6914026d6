import { Db } from '../../src/database/db';
import type { TestApi } from './harness';

/** Reads the real database catalog (information_schema on MySQL, sqlite_master/pragma on SQLite). */
export class Catalog {
  readonly db: Db;

  constructor(api: TestApi) {
    this.db = api.app.get(Db);
  }

  get mysql(): boolean {
    return this.db.dialect === 'mysql';
  }

  async tables(): Promise<string[]> {
    const rows = this.mysql
      ? await this.db.query<{ name: string }>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()')
      : await this.db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
    return rows.map((r) => r.name).sort();
  }

  async tableExists(table: string): Promise<boolean> {
    return (await this.tables()).includes(table);
  }

  /** Column name → declared type (lower case), in table order. */
  async columns(table: string): Promise<Record<string, string>> {
    const rows = this.mysql
      ? await this.db.query<{ name: string; type: string }>(
          'SELECT column_name AS name, column_type AS type FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position',
          [table],
        )
      : await this.db.query<{ name: string; type: string }>('SELECT name, type FROM pragma_table_info(?) ORDER BY cid', [table]);
    return Object.fromEntries(rows.map((r) => [r.name, String(r.type).toLowerCase()]));
  }

  /** Index name → { unique, columns } (the MySQL primary key is left out). */
  async indexes(table: string): Promise<Record<string, { unique: boolean; columns: string[] }>> {
    const out: Record<string, { unique: boolean; columns: string[] }> = {};
    if (this.mysql) {
      const rows = await this.db.query<{ name: string; non_unique: number; col: string }>(
        "SELECT index_name AS name, non_unique, column_name AS col FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name <> 'PRIMARY' ORDER BY index_name, seq_in_index",
        [table],
      );
      for (const r of rows) {
        out[r.name] ??= { unique: Number(r.non_unique) === 0, columns: [] };
        out[r.name].columns.push(r.col);
      }
      return out;
    }
    const list = await this.db.query<{ name: string; unique: number; origin: string }>('SELECT name, "unique", origin FROM pragma_index_list(?)', [table]);
    for (const idx of list) {
      if (idx.origin === 'pk') continue;
      const cols = await this.db.query<{ name: string }>('SELECT name FROM pragma_index_info(?) ORDER BY seqno', [idx.name]);
      out[idx.name] = { unique: Number(idx.unique) === 1, columns: cols.map((c) => c.name) };
    }
    return out;
  }

  /** Physical names of an entity's storage, from the metadata rows. */
  async entityTable(entityId: string): Promise<string> {
    const rows = await this.db.query<{ t: string }>('SELECT table_name AS t FROM entities WHERE id = ?', [entityId]);
    if (!rows.length) throw new Error(`no entity row ${entityId}`);
    return rows[0].t;
  }

  async fieldPhysical(
    entityId: string,
    key: string,
  ): Promise<{ column?: string; table?: string; index?: string; uniqueIndex?: string; children?: Record<string, string>; retired?: string[] }> {
    const rows = await this.db.query<{ physical: string }>('SELECT physical FROM fields WHERE entity_id = ? AND `key` = ?', [entityId, key]);
    if (!rows.length) throw new Error(`no field row ${key}`);
    return JSON.parse(rows[0].physical);
  }

  /** Every row of a record table, ordered by id, with every column (a snapshot for "nothing changed"). */
  async rows(table: string): Promise<Record<string, unknown>[]> {
    const rows = await this.db.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY id`);
    // Normalise driver differences (numbers as strings, Dates) so snapshots compare by value.
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : v instanceof Date ? v.toISOString() : String(v)])));
  }

  async plans(entityId: string): Promise<{ kind: string; status: string; done_steps: number; error: string | null }[]> {
    return this.db.query('SELECT kind, status, done_steps, error FROM ddl_plans WHERE entity_id = ? ORDER BY created_at, id', [entityId]);
  }
}
