import type { FieldTypeKey } from '@crm/schema';
import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';
import type { SqlFragment } from '../access/access.repository';
import { assertPhysicalName } from '../ddl/ddl-step';
import type { EntityMeta, FieldMeta, FieldStatus, PhysicalField } from './entity-meta';

/** How `required` sees an empty value of a column: NULL, '' too (text), or '' and '[]' too (JSON lists). */
export type Emptiness = 'null' | 'text' | 'json';

interface EntityRow {
  id: string;
  workspace_id: string;
  app_id: string;
  key: string;
  name: string;
  table_name: string;
  version: number;
  display_field: string | null;
  default_sort: string | null;
  recycle_retention_days: number | null;
  status: string;
}
export interface EntityPatch {
  name?: string;
  display_field?: string | null;
  default_sort?: string | null;
  recycle_retention_days?: number | null;
}

interface FieldRow {
  id: string;
  key: string;
  label: string;
  type: string;
  settings: string;
  required: number;
  is_unique: number;
  indexed: number;
  physical: string;
  position: number;
  status: string;
}

export function fieldFromRow(r: FieldRow): FieldMeta {
  return {
    id: r.id,
    key: r.key,
    label: r.label,
    type: r.type as FieldTypeKey,
    settings: JSON.parse(r.settings) as Record<string, unknown>,
    required: !!Number(r.required),
    unique: !!Number(r.is_unique),
    indexed: !!Number(r.indexed),
    physical: JSON.parse(r.physical) as PhysicalField,
    position: Number(r.position),
    status: r.status as FieldStatus,
  };
}

const ENTITY_COLS = 'id, workspace_id, app_id, `key`, name, table_name, version, display_field, default_sort, recycle_retention_days, status';
const FIELD_COLS = 'id, `key`, label, type, settings, required, is_unique, indexed, physical, position, status';

@Injectable()
export class MetadataRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  /**
   * The cheap per-request check that decides whether cached compiled artifacts still hold.
   * `exec`: a transaction to read in (on SQLite the pool would wait for that transaction).
   */
  async entityVersion(workspaceId: string, entityId: string, exec: Executor = this.db): Promise<number | null> {
    const rows = await exec.query<{ version: number }>(
      "SELECT version FROM entities WHERE id = ? AND workspace_id = ? AND status = 'active' AND deleted_at IS NULL",
      [entityId, workspaceId],
    );
    return rows.length ? Number(rows[0].version) : null;
  }

  /**
   * The same check as a scalar subquery to embed in another statement on this database, so a
   * read can learn the version in the statement it sends anyway (records' list: one statement
   * instead of two). NULL when the entity is gone.
   */
  versionProbe(workspaceId: string, entityId: string): SqlFragment {
    return {
      sql: "(SELECT e.version FROM entities e WHERE e.id = ? AND e.workspace_id = ? AND e.status = 'active' AND e.deleted_at IS NULL)",
      params: [entityId, workspaceId],
    };
  }

  async loadEntity(workspaceId: string, entityId: string, exec: Executor = this.db): Promise<EntityMeta | null> {
    const rows = await exec.query<EntityRow>(
      `SELECT ${ENTITY_COLS} FROM entities WHERE id = ? AND workspace_id = ? AND status = 'active' AND deleted_at IS NULL`,
      [entityId, workspaceId],
    );
    if (!rows.length) return null;
    const fields = (await exec.query<FieldRow>(`SELECT ${FIELD_COLS} FROM fields WHERE entity_id = ? ORDER BY position, id`, [entityId])).map(fieldFromRow);
    const e = rows[0];
    return {
      id: e.id,
      workspaceId: e.workspace_id,
      appId: e.app_id,
      key: e.key,
      name: e.name,
      table: e.table_name,
      version: Number(e.version),
      displayField: e.display_field,
      defaultSort: e.default_sort ?? null,
      recycleRetentionDays: e.recycle_retention_days === null || e.recycle_retention_days === undefined ? null : Number(e.recycle_retention_days),
      fields: fields.filter((f) => f.status === 'active'),
      removedFields: fields.filter((f) => f.status === 'removed'),
    };
  }

  async listEntityIds(workspaceId: string, appId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      "SELECT id FROM entities WHERE workspace_id = ? AND app_id = ? AND status = 'active' AND deleted_at IS NULL ORDER BY created_at, id",
      [workspaceId, appId],
    );
    return rows.map((r) => r.id);
  }

  /** Every entity of an app, whatever its state (live, deleted, pending), with all its fields' storage: what purging drops. */
  async appEntitiesForPurge(workspaceId: string, appId: string): Promise<{ id: string; name: string; table: string; fields: FieldMeta[] }[]> {
    const rows = await this.db.query<{ id: string; name: string; table_name: string }>(
      'SELECT id, name, table_name FROM entities WHERE workspace_id = ? AND app_id = ? ORDER BY created_at, id',
      [workspaceId, appId],
    );
    const out = [];
    for (const e of rows) {
      const fields = (await this.db.query<FieldRow>(`SELECT ${FIELD_COLS} FROM fields WHERE entity_id = ?`, [e.id])).map(fieldFromRow);
      out.push({ id: e.id, name: e.name, table: e.table_name, fields });
    }
    return out;
  }

  /** Relation fields (any state) of entities outside the app: `targetEntityId` from their settings. */
  async relationsFromOutside(workspaceId: string, appId: string): Promise<{ entityName: string; fieldKey: string; target: unknown }[]> {
    const rows = await this.db.query<{ name: string; key: string; settings: string | null }>(
      "SELECT e.name, f.`key`, f.settings FROM fields f JOIN entities e ON e.id = f.entity_id WHERE f.workspace_id = ? AND e.app_id <> ? AND f.type = 'relation'",
      [workspaceId, appId],
    );
    return rows.map((r) => ({ entityName: r.name, fieldKey: r.key, target: (r.settings ? JSON.parse(r.settings) : {}).targetEntityId }));
  }

  async entityKeyTaken(appId: string, key: string): Promise<boolean> {
    return (await this.db.query('SELECT id FROM entities WHERE app_id = ? AND `key` = ?', [appId, key])).length > 0;
  }

  async fieldKeyTaken(entityId: string, key: string): Promise<boolean> {
    return (await this.db.query('SELECT id FROM fields WHERE entity_id = ? AND `key` = ?', [entityId, key])).length > 0;
  }

  async maxPosition(entityId: string): Promise<number> {
    const rows = await this.db.query<{ p: number | null }>('SELECT MAX(position) AS p FROM fields WHERE entity_id = ?', [entityId]);
    return Number(rows[0]?.p ?? 0);
  }

  async insertEntity(
    tx: Executor,
    e: { id: string; workspaceId: string; appId: string; key: string; name: string; table: string; displayField: string | null; status: string; now: string },
  ) {
    await tx.run(
      'INSERT INTO entities (id, workspace_id, app_id, `key`, name, table_name, version, display_field, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)',
      [e.id, e.workspaceId, e.appId, e.key, e.name, e.table, e.displayField, e.status, e.now, e.now],
    );
  }

  async insertField(tx: Executor, entity: { id: string; workspaceId: string }, f: FieldMeta, now: string) {
    await tx.run(
      'INSERT INTO fields (id, workspace_id, entity_id, `key`, label, type, settings, required, is_unique, indexed, physical, position, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        f.id,
        entity.workspaceId,
        entity.id,
        f.key,
        f.label,
        f.type,
        JSON.stringify(f.settings),
        f.required ? 1 : 0,
        f.unique ? 1 : 0,
        f.indexed ? 1 : 0,
        JSON.stringify(f.physical),
        f.position,
        f.status,
        now,
        now,
      ],
    );
  }

  async updateEntity(tx: Executor, entityId: string, patch: EntityPatch, now: string, bump: boolean) {
    const sets: string[] = ['updated_at = ?'];
    const params: unknown[] = [now];
    for (const column of ['name', 'display_field', 'default_sort', 'recycle_retention_days'] as const) {
      if (patch[column] === undefined) continue;
      sets.push(`${column} = ?`);
      params.push(patch[column]);
    }
    if (bump) sets.push('version = version + 1');
    params.push(entityId);
    await tx.run(`UPDATE entities SET ${sets.join(', ')} WHERE id = ?`, params);
  }

  async updateFieldRow(tx: Executor, fieldId: string, patch: Record<string, unknown>, now: string) {
    const allowed = ['label', 'type', 'settings', 'required', 'is_unique', 'indexed', 'physical', 'status'];
    const keys = Object.keys(patch).filter((k) => allowed.includes(k));
    await tx.run(`UPDATE fields SET ${[...keys.map((k) => `${k} = ?`), 'updated_at = ?'].join(', ')} WHERE id = ?`, [
      ...keys.map((k) => patch[k]),
      now,
      fieldId,
    ]);
  }

  async softDeleteEntity(tx: Executor, entityId: string, now: string) {
    await tx.run('UPDATE entities SET deleted_at = ?, version = version + 1 WHERE id = ?', [now, entityId]);
  }

  /** Rows of `table` for a data-fit scan, keyset by id; `owner` is the record id column. */
  scanColumn(table: string, column: string, afterId: number, limit: number, owner = 'id'): Promise<{ id: number; owner: number; v: unknown }[]> {
    const [t, c, o] = [assertPhysicalName(table), assertPhysicalName(column), assertPhysicalName(owner)];
    return this.db.query(`SELECT id, ${o} AS owner, ${c} AS v FROM ${t} WHERE id > ? AND ${c} IS NOT NULL ORDER BY id LIMIT ${Number(limit)}`, [afterId]);
  }

  /** Live records of a record table: how many, and the first ids. */
  async liveRecords(table: string, sample = 10): Promise<{ count: number; sampleIds: number[] }> {
    return this.countAndSample(`FROM ${assertPhysicalName(table)} r WHERE r.deleted_at IS NULL`, sample);
  }

  /**
   * Live records with no value for a field: its column empty in the sense of `required`, or no
   * link or child row at all.
   */
  async emptyValues(
    table: string,
    where: { column: string; emptiness: Emptiness } | { extraTable: string; childTable: boolean },
    sample = 10,
  ): Promise<{ count: number; sampleIds: number[] }> {
    let empty: string;
    if ('column' in where) {
      const c = assertPhysicalName(where.column);
      empty =
        where.emptiness === 'json' ? `(${c} IS NULL OR ${c} = '' OR ${c} = '[]')` : where.emptiness === 'text' ? `(${c} IS NULL OR ${c} = '')` : `${c} IS NULL`;
    } else {
      empty = `NOT EXISTS (SELECT 1 FROM ${assertPhysicalName(where.extraTable)} x WHERE x.${where.childTable ? 'parent_id' : 'record_id'} = r.id)`;
    }
    return this.countAndSample(`FROM ${assertPhysicalName(table)} r WHERE r.deleted_at IS NULL AND ${empty}`, sample);
  }

  private async countAndSample(base: string, sample: number): Promise<{ count: number; sampleIds: number[] }> {
    const count = Number((await this.db.query<{ c: number }>(`SELECT COUNT(*) AS c ${base}`))[0]?.c ?? 0);
    if (!count) return { count, sampleIds: [] };
    const ids = await this.db.query<{ id: number }>(`SELECT r.id AS id ${base} ORDER BY r.id LIMIT ${Number(sample)}`);
    return { count, sampleIds: ids.map((r) => Number(r.id)) };
  }
}
