import { childFieldsOf, type FieldDefinition, fromDbOf, toDbOf } from '@crm/schema';
import { storageToIso } from '../../common/ids';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { FieldMeta } from '../entities/entity-meta';

export type Row = Record<string, unknown>;
export interface RecordDto {
  id: number;
  version: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  ownerId: string | null;
  /** The published form version the record was last written with; null when written without a form. */
  formVersion: number | null;
  deletedAt?: string | null;
  deletedBy?: string | null;
  [key: string]: unknown;
}

/** Values of link and child tables for a page of records, keyed by field key then record id. */
export type Extras = Map<string, Map<number, unknown>>;

export const SYSTEM_COLUMNS = ['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'owner_id', 'deleted_at', 'deleted_by', 'form_version'];

/** Column fields: stored in the record table itself. */
export function columnFields(c: CompiledEntity): FieldMeta[] {
  return c.meta.fields.filter((f) => !!f.physical.column);
}

export function selectList(c: CompiledEntity): string {
  return [...SYSTEM_COLUMNS.map((s) => `r.${s}`), ...columnFields(c).map((f) => `r.${f.physical.column}`)].join(', ');
}

/** The columns of `selectList`, without the alias (for `INSERT … RETURNING`). */
export function storedColumns(c: CompiledEntity): string[] {
  return [...SYSTEM_COLUMNS, ...columnFields(c).map((f) => f.physical.column!)];
}

export function rowToRecord(c: CompiledEntity, row: Row, extras?: Extras, withDeleted = false): RecordDto {
  const id = Number(row.id);
  const rec: RecordDto = {
    id,
    version: Number(row.version),
    createdAt: storageToIso(row.created_at)!,
    createdBy: (row.created_by as string | null) ?? null,
    updatedAt: storageToIso(row.updated_at)!,
    updatedBy: (row.updated_by as string | null) ?? null,
    ownerId: (row.owner_id as string | null) ?? null,
    formVersion: row.form_version === null || row.form_version === undefined ? null : Number(row.form_version),
  };
  if (withDeleted) {
    rec.deletedAt = storageToIso(row.deleted_at);
    rec.deletedBy = (row.deleted_by as string | null) ?? null;
  }
  for (const f of c.meta.fields) {
    if (f.physical.column) rec[f.key] = fromDbOf(f, row[f.physical.column]) ?? null;
    else rec[f.key] = extras?.get(f.key)?.get(id) ?? (f.type === 'subform' || f.type === 'relation' ? [] : null);
  }
  return rec;
}

/** Child rows of a subform in API form. */
export function childRowToValue(field: FieldMeta, row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = { id: Number(row.id) };
  for (const child of childFieldsOf(field)) {
    const col = field.physical.children?.[child.key];
    if (col) out[child.key] = fromDbOf(child, row[col]) ?? null;
  }
  return out;
}

export function childColumns(field: FieldMeta): { key: string; column: string; def: FieldDefinition }[] {
  return childFieldsOf(field)
    .filter((c) => field.physical.children?.[c.key])
    .map((c) => ({ key: c.key, column: field.physical.children![c.key], def: c }));
}

/** API value → storage value (null for none). */
export const toDbValue = (f: FieldDefinition, value: unknown): unknown => toDbOf(f, value);
