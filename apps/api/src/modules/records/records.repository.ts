import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';
import { assertPhysicalName } from '../ddl/ddl-step';
import type { SqlFragment } from '../access/access.repository';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { Row } from './record-codec';
import type { RelatedJoin } from './related-paths';

/** The column of findPage's `probe` in each row (no record table has a column of this name: theirs are `f_…` and the system ones). */
export const PROBE_COLUMN = 'probe_entity_version';

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** WHERE of a list, count or bulk change (alias r): live (or binned) rows AND each fragment (scope, filter, keyset). */
export function recordsWhere(bin: boolean, fragments: (SqlFragment | null)[]): SqlFragment {
  const where = [bin ? 'r.deleted_at IS NOT NULL' : 'r.deleted_at IS NULL'];
  const params: unknown[] = [];
  for (const frag of fragments) {
    if (!frag) continue;
    where.push(`(${frag.sql})`);
    params.push(...frag.params);
  }
  return { sql: where.join(' AND '), params };
}

/**
 * `LEFT JOIN`s of related records a filter or sort follows (`account.name`): each target's live
 * rows within the member's view scope, so a hidden or deleted target reads as no value. The
 * target's scope is written for alias r, which the derived table keeps for its own rows.
 */
export function relatedJoinsSql(joins: readonly RelatedJoin[]): SqlFragment {
  let sql = '';
  const params: unknown[] = [];
  for (const j of joins) {
    const cols = ['id', ...j.columns].map((c) => `r.${assertPhysicalName(c)}`).join(', ');
    const scope = j.scope ? ` AND (${j.scope.sql})` : '';
    const alias = assertPhysicalName(j.alias);
    sql += ` LEFT JOIN (SELECT ${cols} FROM ${assertPhysicalName(j.table)} r WHERE r.deleted_at IS NULL${scope}) ${alias} ON ${alias}.id = r.${assertPhysicalName(j.relationColumn)}`;
    params.push(...(j.scope?.params ?? []));
  }
  return { sql, params };
}

/**
 * MySQL/MariaDB index hint for a list of live rows, sorted by id only (the default sort):
 * - when the filter pins an indexed field to one value at its top level (`pinnedIndex`), FORCE
 *   that field's (column, deleted_at) index: its entries are in id order within the value, so the
 *   page is a range read of exactly the rows it returns. Left alone, MariaDB picks `ref` on the
 *   value and walks every newer match to reach a deep cursor (1M rows, page 10,000: 200,000
 *   entries, 1.4 s);
 * - otherwise IGNORE the single-column (deleted_at) index: nearly every row has deleted_at NULL,
 *   yet MariaDB intersects it with a field index and filesorts every match for ORDER BY id
 *   (page 1 of a filter matching 500k rows: seconds), or walks it instead of the primary key.
 */
export function listIndexHint(c: CompiledEntity, pinnedIndex: string | null, sortById: boolean): string {
  if (sortById && pinnedIndex) return ` FORCE INDEX (${assertPhysicalName(pinnedIndex)})`;
  return ` IGNORE INDEX (${assertPhysicalName(c.meta.table)}_deleted)`;
}

/** MySQL error 1176: a hinted index does not exist (dropped by a schema change a moment ago). */
const isMissingIndexError = (err: unknown) =>
  /ER_KEY_DOES_NOT_EXITS|doesn't exist in table/.test(String((err as { code?: string }).code ?? '') + String((err as Error).message ?? ''));

/** The only code that reads record tables (and the ids of members, departments and files they refer to). Table and column names are generated. */
@Injectable()
export class RecordsRepository {
  constructor(readonly db: Db) {}

  get dialect() {
    return this.db.dialect;
  }

  async findById(exec: Executor, table: string, selectList: string, id: number, opts: { forUpdate?: boolean } = {}): Promise<Row | undefined> {
    const lock = opts.forUpdate && exec.dialect === 'mysql' ? ' FOR UPDATE' : '';
    const rows = await exec.query<Row>(`SELECT ${selectList} FROM ${assertPhysicalName(table)} r WHERE r.id = ?${lock}`, [id]);
    return rows[0];
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

  /**
   * One page of a list: `limit` rows in `orderBy` order; a hint whose index is gone is dropped and
   * the query repeated. `probe`: a scalar subquery answered in every row as `PROBE_COLUMN` (the
   * entity's metadata version, checked by the caller). `joins`: related tables a filter or sort
   * goes through.
   */
  async findPage(q: {
    table: string;
    selectList: string;
    where: SqlFragment;
    orderBy: string;
    limit: number;
    hint: string;
    probe?: SqlFragment;
    joins?: readonly RelatedJoin[];
  }): Promise<Row[]> {
    const t = assertPhysicalName(q.table);
    const joins = relatedJoinsSql(q.joins ?? []);
    const select = q.probe ? `${q.probe.sql} AS ${PROBE_COLUMN}, ${q.selectList}` : q.selectList;
    const params = [...(q.probe ? q.probe.params : []), ...joins.params, ...q.where.params];
    const sqlWith = (hint: string) => `SELECT ${select} FROM ${t} r${hint}${joins.sql} WHERE ${q.where.sql} ORDER BY ${q.orderBy} LIMIT ${Number(q.limit)}`;
    return this.db.query<Row>(sqlWith(q.hint), params).catch((err: unknown) => {
      if (q.hint && isMissingIndexError(err)) return this.db.query<Row>(sqlWith(''), params);
      throw err;
    });
  }

  /** Matching rows counted up to `cap + 1` (never a full COUNT(*) of a large table by accident). */
  async countCapped(table: string, where: SqlFragment, cap: number, related: readonly RelatedJoin[] = []): Promise<number> {
    const joins = relatedJoinsSql(related);
    const rows = await this.db.query<{ c: number }>(
      `SELECT COUNT(*) AS c FROM (SELECT 1 AS x FROM ${assertPhysicalName(table)} r${joins.sql} WHERE ${where.sql} LIMIT ${Number(cap) + 1}) q`,
      [...joins.params, ...where.params],
    );
    return Number(rows[0]?.c ?? 0);
  }

  /** Rows a bulk change reaches, in id order, at most `limit`; `lock`: FOR UPDATE (MySQL, inside a transaction). */
  findMatching(exec: Executor, q: { table: string; selectList: string; where: SqlFragment; limit: number; lock: boolean }): Promise<Row[]> {
    const lock = q.lock && exec.dialect === 'mysql' ? ' FOR UPDATE' : '';
    return exec.query<Row>(
      `SELECT ${q.selectList} FROM ${assertPhysicalName(q.table)} r WHERE ${q.where.sql} ORDER BY r.id LIMIT ${Number(q.limit)}${lock}`,
      q.where.params,
    );
  }

  /** Rows by id (any state), optionally only live ones within a scope. */
  async findByIds(exec: Executor, table: string, selectList: string, ids: number[], live?: { scope: SqlFragment | null }): Promise<Row[]> {
    if (!ids.length) return [];
    const extra = live ? ` AND r.deleted_at IS NULL${live.scope ? ` AND ${live.scope.sql}` : ''}` : '';
    return exec.query<Row>(`SELECT ${selectList} FROM ${assertPhysicalName(table)} r WHERE r.id IN (${placeholders(ids.length)})${extra}`, [
      ...ids,
      ...(live?.scope?.params ?? []),
    ]);
  }

  /** Whether the record is there (live unless `includeDeleted`) and within the scope. */
  async inScope(exec: Executor, table: string, id: number, includeDeleted: boolean, scope: SqlFragment | null): Promise<boolean> {
    const where = ['r.id = ?', ...(includeDeleted ? [] : ['r.deleted_at IS NULL']), ...(scope ? [scope.sql] : [])];
    const rows = await exec.query(`SELECT r.id FROM ${assertPhysicalName(table)} r WHERE ${where.join(' AND ')}`, [id, ...(scope?.params ?? [])]);
    return rows.length > 0;
  }
}
