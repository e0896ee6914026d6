import { type FieldDefinition, storageOf, ValueConverter } from '@crm/schema';
import { AppError } from '../../common/errors';
import type { SchemaRepository } from '../ddl/schema.repository';
import type { Emptiness, MetadataRepository } from './metadata.repository';
import type { FieldMeta } from './entity-meta';

const SAMPLE = 10;

/** How `required` sees an empty value of the field's column: NULL, and '' for text, '' or '[]' for JSON lists. */
function emptinessOf(field: FieldDefinition): Emptiness {
  const storage = storageOf(field);
  if (storage.kind === 'column' && storage.column.kind === 'json') return 'json';
  if (storage.kind === 'column' && ['string', 'text'].includes(storage.column.kind)) return 'text';
  return 'null';
}

/** Refuses `required` when live records hold no value, with how many and which. */
export async function assertNoEmptiesOrThrow(repo: MetadataRepository, table: string, field: FieldMeta): Promise<void> {
  const p = field.physical;
  const where = p.column ? { column: p.column, emptiness: emptinessOf(field) } : p.table ? { extraTable: p.table, childTable: field.type === 'subform' } : null;
  if (!where) return;
  const { count, sampleIds } = await repo.emptyValues(table, where, SAMPLE);
  if (count === 0) return;
  throw new AppError('REQUIRED_HAS_EMPTY', `${count} record(s) have no value for "${field.key}"; fill them before making it required`, {
    field: field.key,
    rowCount: count,
    sampleIds,
  });
}

/** Refuses `unique` when existing records (recycle bin included) share a value. */
export async function assertNoDuplicatesOrThrow(schema: SchemaRepository, table: string, field: FieldMeta): Promise<void> {
  const col = field.physical.column;
  if (!col) return;
  const { count, sampleIds } = await schema.duplicates(table, col, SAMPLE);
  if (count === 0) return;
  throw new AppError('UNIQUE_HAS_DUPLICATES', `${count} record(s) share values of "${field.key}"; make them distinct before making it unique`, {
    field: field.key,
    rowCount: count,
    sampleIds,
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
