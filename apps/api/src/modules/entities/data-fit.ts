import { type FieldDefinition, storageOf, ValueConverter } from '@crm/schema';
import { AppError } from '../../common/errors';
import type { MetadataRepository } from './metadata.repository';
import type { FieldMeta } from './entity-meta';


const SAMPLE = 10;

/** Empty in the sense of `required`: NULL, '' or an empty JSON array. */
function emptySql(column: string, field: FieldDefinition): string {
  const storage = storageOf(field);
  if (storage.kind === 'column' && storage.column.kind === 'json') return `(${column} IS NULL OR ${column} = '' OR ${column} = '[]')`;
  if (storage.kind === 'column' && ['string', 'text'].includes(storage.column.kind)) return `(${column} IS NULL OR ${column} = '')`;
  return `${column} IS NULL`;
}

/** Refuses `required` when live records hold no value, with how many and which. */
export async function assertNoEmptiesOrThrow(repo: MetadataRepository, table: string, field: FieldMeta): Promise<void> {
  const p = field.physical;
  let where: string;
  if (p.column) where = emptySql(p.column, field);
  else if (p.table) where = `NOT EXISTS (SELECT 1 FROM ${p.table} x WHERE x.${field.type === 'subform' ? 'parent_id' : 'record_id'} = r.id)`;
  else return;
  const base = `FROM ${table} r WHERE r.deleted_at IS NULL AND ${where}`;
  const count = Number((await repo.count(`SELECT COUNT(*) AS c ${base}`, []))[0]?.c ?? 0);
  if (count === 0) return;
  const ids = await repo.count(`SELECT r.id AS c ${base} ORDER BY r.id LIMIT ${SAMPLE}`, []);
  throw new AppError('REQUIRED_HAS_EMPTY', `${count} record(s) have no value for "${field.key}"; fill them before making it required`, {
    field: field.key,
    rowCount: count,
    sampleIds: ids.map((r) => Number(r.c)),
  });
}

/** Refuses `unique` when existing records (recycle bin included) share a value. */
export async function assertNoDuplicatesOrThrow(repo: MetadataRepository, table: string, field: FieldMeta): Promise<void> {
  const col = field.physical.column;
  if (!col) return;
  const dup = `SELECT ${col} FROM ${table} WHERE ${col} IS NOT NULL GROUP BY ${col} HAVING COUNT(*) > 1`;
  const count = Number((await repo.count(`SELECT COUNT(*) AS c FROM ${table} WHERE ${col} IN (${dup})`, []))[0]?.c ?? 0);
  if (count === 0) return;
  const ids = await repo.count(`SELECT id AS c FROM ${table} WHERE ${col} IN (${dup}) ORDER BY id LIMIT ${SAMPLE}`, []);
  throw new AppError('UNIQUE_HAS_DUPLICATES', `${count} record(s) share values of "${field.key}"; make them distinct before making it unique`, {
    field: field.key,
    rowCount: count,
    sampleIds: ids.map((r) => Number(r.c)),
  });
}

/**
 * Scans every stored value and refuses when any does not fit the new definition. `owner` names
 * the column holding the record id when `table` is a child table (subform rows).
 */
export async function assertValuesFitOrThrow(
  repo: MetadataRepository,
  table: string,
  column: string,
  change: { from: FieldDefinition; to: FieldDefinition },
  owner = 'id',
): Promise<void> {
  const converter = new ValueConverter(change);
  let after = 0;
  let count = 0;
  const sample: number[] = [];
  // Child rows: several may belong to one record, in no record order; count records once.
  const owners = owner === 'id' ? null : new Set<number>();
  for (;;) {
    const rows = await repo.scanColumn(table, column, after, 2000, owner);
    for (const r of rows) {
      if (converter.convert(r.v) !== undefined) continue;
      if (owners) owners.add(Number(r.owner));
      else if (count++ < SAMPLE) sample.push(Number(r.id));
    }
    if (rows.length < 2000) break;
    after = Number(rows[rows.length - 1].id);
  }
  if (owners) {
    count = owners.size;
    sample.push(...[...owners].sort((a, b) => a - b).slice(0, SAMPLE));
  }
  if (count > 0) {
    throw new AppError(
      'TYPE_CHANGE_DATA_MISMATCH',
      `${count} record(s) hold values of "${change.from.key}" that do not fit the new definition; nothing was changed`,
      {
        field: change.from.key,
        rowCount: count,
        sampleIds: sample,
      },
    );
  }
}
