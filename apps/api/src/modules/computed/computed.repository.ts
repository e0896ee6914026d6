import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';
import { assertPhysicalName } from '../ddl/ddl-step';
import type { Row } from '../records/record-codec';

/** Ids per statement (IN lists, CASE updates): well under every driver's parameter limit. */
export const ID_CHUNK = 1000;
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export function chunks<T>(list: T[], size = ID_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Where a relation's target id lives in the source: its own column, or a link table. */
export type RelationStorage = { column: string } | { linkTable: string };

export interface RollupFieldRow {
  entityId: string;
  key: string;
  settings: Record<string, unknown>;
}

/** SQL of computed fields: aggregates for rollups, relation targets, row locks and batched writes. */
@Injectable()
export class ComputedRepository {
  constructor(readonly db: Db) {}

  /** Every active rollup field of the workspace (on live entities): who aggregates whom. Read once per metadata version. */
  async rollupFields(workspaceId: string, exec: Executor = this.db): Promise<RollupFieldRow[]> {
    const rows = await exec.query<{ entity_id: string; key: string; settings: string }>(
      "SELECT f.entity_id, f.`key`, f.settings FROM fields f JOIN entities e ON e.id = f.entity_id WHERE f.workspace_id = ? AND f.type = 'rollup' AND f.status = 'active' AND e.status = 'active' AND e.deleted_at IS NULL",
      [workspaceId],
    );
    return rows.map((r) => ({ entityId: r.entity_id, key: r.key, settings: JSON.parse(String(r.settings)) as Record<string, unknown> }));
  }

  /** Moves an entity's metadata version, so every node recompiles what it caches for it. */
  async bumpEntityVersion(exec: Executor, entityId: string): Promise<void> {
    await exec.run('UPDATE entities SET version = version + 1 WHERE id = ?', [entityId]);
  }

  /** record id → target ids of a relation, for the given source records (live or not). */
  async relationTargets(exec: Executor, sourceTable: string, rel: RelationStorage, ids: number[]): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    for (const part of chunks(ids)) {
      const sql =
        'column' in rel
          ? `SELECT id AS r, ${assertPhysicalName(rel.column)} AS t FROM ${assertPhysicalName(sourceTable)} WHERE id IN (${marks(part.length)}) AND ${rel.column} IS NOT NULL`
          : `SELECT record_id AS r, target_id AS t FROM ${assertPhysicalName(rel.linkTable)} WHERE record_id IN (${marks(part.length)})`;
      for (const row of await exec.query<{ r: number; t: number }>(sql, part)) {
        const list = out.get(Number(row.r)) ?? [];
        list.push(Number(row.t));
        out.set(Number(row.r), list);
      }
    }
    return out;
  }

  /**
   * One aggregate per target for a chunk of targets: `SELECT target, AGG(..) … GROUP BY target`
   * over live source records. `aggregate` and `where` are built from generated names and a
   * compiled (parameterised) condition only.
   */
  async aggregate(
    exec: Executor,
    q: { sourceTable: string; rel: RelationStorage; aggregate: string; where: string | null; params: unknown[] },
    targetIds: number[] | 'all',
  ): Promise<Map<number, unknown>> {
    const out = new Map<number, unknown>();
    const target = 'column' in q.rel ? `r.${assertPhysicalName(q.rel.column)}` : 'l.target_id';
    const join = 'column' in q.rel ? '' : ` JOIN ${assertPhysicalName(q.rel.linkTable)} l ON l.record_id = r.id`;
    const run = async (ids: number[] | null) => {
      const where = ['r.deleted_at IS NULL', ids ? `${target} IN (${marks(ids.length)})` : `${target} IS NOT NULL`, ...(q.where ? [`(${q.where})`] : [])];
      const sql = `SELECT ${target} AS t, ${q.aggregate} AS v FROM ${assertPhysicalName(q.sourceTable)} r${join} WHERE ${where.join(' AND ')} GROUP BY ${target}`;
      for (const row of await exec.query<{ t: number; v: unknown }>(sql, [...(ids ?? []), ...q.params])) out.set(Number(row.t), row.v);
    };
    if (targetIds === 'all') await run(null);
    else for (const part of chunks(targetIds)) await run(part);
    return out;
  }

  /**
   * Rows by id in id order, locked for update on MySQL: concurrent recomputes of one record
   * queue up, and with READ COMMITTED the aggregate that follows sees every committed change.
   */
  async rowsForUpdate(exec: Executor, table: string, selectList: string, ids: number[]): Promise<Row[]> {
    const lock = exec.dialect === 'mysql' ? ' FOR UPDATE' : '';
    const out: Row[] = [];
    for (const part of chunks([...ids].sort((a, b) => a - b))) {
      out.push(
        ...(await exec.query<Row>(`SELECT ${selectList} FROM ${assertPhysicalName(table)} r WHERE r.id IN (${marks(part.length)}) ORDER BY r.id${lock}`, part)),
      );
    }
    return out;
  }

  /** Next page of ids (live and binned) for a full recompute. */
  async idsAfter(table: string, afterId: number, limit: number): Promise<number[]> {
    const rows = await this.db.query<{ id: number }>(`SELECT id FROM ${assertPhysicalName(table)} WHERE id > ? ORDER BY id LIMIT ${Number(limit)}`, [afterId]);
    return rows.map((r) => Number(r.id));
  }
}
