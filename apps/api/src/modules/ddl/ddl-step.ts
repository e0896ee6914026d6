import type { ColumnSpec, FieldDefinition } from '@crm/schema';
import type { Dialect } from '../../database/db';

/** One idempotent schema step. Names are generated (t_, f_, l_, c_, i_), never user text. */
export type DdlStep =
  | { op: 'createRecordTable'; table: string }
  | { op: 'createLinkTable'; table: string }
  | { op: 'createChildTable'; table: string }
  | { op: 'addColumn'; table: string; column: string; spec: ColumnSpec }
  | { op: 'createIndex'; table: string; index: string; columns: string[]; unique: boolean; field?: string } // field: the key, for error reports
  | { op: 'dropIndex'; table: string; index: string }
  | { op: 'dropColumn'; table: string; column: string }
  | { op: 'dropTable'; table: string }
  | { op: 'backfill'; table: string; from: string; to: string; change: TypeChange }
  | { op: 'verifyBackfill'; table: string; from: string; to: string; change: TypeChange };

/** The field before and after a type change; backfill converts values between them. */
export interface TypeChange {
  from: FieldDefinition;
  to: FieldDefinition;
}

/** Changes to metadata rows applied in one transaction when a plan finishes or rolls back. */
export type MetaAction =
  | { op: 'activateEntity'; entityId: string }
  | { op: 'deleteEntity'; entityId: string }
  | { op: 'activateField'; fieldId: string }
  | { op: 'deleteField'; fieldId: string }
  | { op: 'updateField'; fieldId: string; patch: FieldRowPatch }
  | { op: 'bumpVersion'; entityId: string };

export interface FieldRowPatch {
  label?: string;
  type?: string;
  settings?: string;
  physical?: string;
  required?: number;
  is_unique?: number;
  indexed?: number;
  status?: string;
}

export interface PlanMeta {
  onDone: MetaAction[];
  onRollback: MetaAction[];
}

const NAME = /^[a-z][a-z0-9_]{1,63}$/;

/** Guards the invariant that only generated names reach DDL. */
export function assertPhysicalName(name: string): string {
  if (!NAME.test(name)) throw new Error(`Refusing DDL with unsafe identifier "${name}"`);
  return name;
}

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

/** The step that undoes `step` (null when there is nothing to undo or it cannot be undone). */
export function compensationOf(step: DdlStep): DdlStep | null {
  switch (step.op) {
    case 'createRecordTable':
    case 'createLinkTable':
    case 'createChildTable':
      return { op: 'dropTable', table: step.table };
    case 'addColumn':
      return { op: 'dropColumn', table: step.table, column: step.column };
    case 'createIndex':
      return { op: 'dropIndex', table: step.table, index: step.index };
    case 'backfill':
    case 'verifyBackfill':
    case 'dropIndex':
    case 'dropColumn':
    case 'dropTable':
      return null;
  }
}
