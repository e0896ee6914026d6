import { childFieldsOf, type ColumnSpec, type FieldDefinition, storageOf, typeChangeSupported, valueSchemaOf } from '@crm/schema';
import { AppError } from '../../common/errors';
import { physicalName } from '../../common/ids';
import type { DdlStep } from '../ddl/ddl-step';
import type { SchemaRepository } from '../ddl/schema.repository';
import { assertNoDuplicatesOrThrow, assertNoEmptiesOrThrow, assertValuesFitOrThrow } from './data-fit';
import type { EntityMeta, FieldMeta, PhysicalField } from './entity-meta';
import { childColumnSteps, wantsIndex, wantsUnique } from './field-planner';
import type { MetadataRepository } from './metadata.repository';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The DDL a field change needs and the field's physical placement after it. */
export interface FieldChangePlan {
  steps: DdlStep[];
  physical: PhysicalField;
}

/** Checks existing data against the new definition, then lists the DDL that gets there. */
export async function planFieldChangeOrThrow(
  repo: MetadataRepository,
  schema: SchemaRepository,
  meta: EntityMeta,
  old: FieldMeta,
  next: FieldDefinition,
): Promise<FieldChangePlan> {
  const oldStorage = storageOf(old);
  const newStorage = storageOf(next);
  const typeChanged = old.type !== next.type;
  const steps: DdlStep[] = [];
  const physical: PhysicalField = JSON.parse(JSON.stringify(old.physical));
  const table = meta.table;

  if (typeChanged && !typeChangeSupported(old.type, next.type)) {
    throw new AppError('TYPE_CHANGE_UNSUPPORTED', `A ${old.type} field cannot become ${next.type}; add a new field instead`, {
      field: old.key,
      from: old.type,
      to: next.type,
    });
  }
  if (!typeChanged && !same(oldStorage, newStorage) && old.type !== 'subform') {
    throw new AppError('TYPE_CHANGE_UNSUPPORTED', `This settings change would change how "${old.key}" is stored; add a new field instead`, {
      field: old.key,
    });
  }
  if (next.required && !old.required) await assertNoEmptiesOrThrow(repo, table, old);
  if (old.type === 'subform') return planSubformChangeOrThrow(repo, old, next, physical);

  const schemaChanged = !same(valueSchemaOf(old), valueSchemaOf(next));
  if (old.physical.column && (typeChanged || schemaChanged)) {
    await assertValuesFitOrThrow(repo, table, old.physical.column, { from: old, to: next });
  }
  const needsUnique = wantsUnique(next);
  const needsIndex = wantsIndex(next);

  if (typeChanged && !same(oldStorage, newStorage)) {
    // Expand: a new column, backfilled and checked; the old one is kept (retired) until purge.
    if (newStorage.kind !== 'column' || oldStorage.kind !== 'column')
      throw new AppError('TYPE_CHANGE_UNSUPPORTED', `Cannot change the storage of "${old.key}"`, { field: old.key });
    if (needsUnique) await assertNoDuplicatesOrThrow(schema, table, old);
    return expandToNewColumn({ table, old, next, spec: newStorage.column, needsIndex, needsUnique, physical });
  }

  if (needsUnique && !physical.uniqueIndex) {
    await assertNoDuplicatesOrThrow(schema, table, old);
    physical.uniqueIndex = physicalName('u_');
    steps.push({ op: 'createIndex', table, index: physical.uniqueIndex, columns: [physical.column!], unique: true, field: old.key });
  } else if (!needsUnique && physical.uniqueIndex) {
    steps.push({ op: 'dropIndex', table, index: physical.uniqueIndex });
    delete physical.uniqueIndex;
  }
  if (needsIndex && !physical.index) {
    physical.index = physicalName('i_');
    steps.push({ op: 'createIndex', table, index: physical.index, columns: [physical.column!, 'deleted_at'], unique: false });
  } else if (!needsIndex && physical.index) {
    steps.push({ op: 'dropIndex', table, index: physical.index });
    delete physical.index;
  }
  return { steps, physical };
}

/**
 * Subform: changed child fields are checked against the stored rows like top-level fields;
 * new child fields get columns. A removed child keeps its column until the field is purged,
 * and a child re-added under that key gets a fresh one (the old column may hold another type).
 */
async function planSubformChangeOrThrow(repo: MetadataRepository, old: FieldMeta, next: FieldDefinition, physical: PhysicalField): Promise<FieldChangePlan> {
  const steps: DdlStep[] = [];
  const before = new Map(childFieldsOf(old).map((c) => [c.key, c]));
  physical.children = { ...(physical.children ?? {}) };
  for (const child of childFieldsOf(next)) {
    const prev = before.get(child.key);
    if (prev) {
      const a = storageOf(prev);
      const b = storageOf(child);
      if (!same(a, b))
        throw new AppError('TYPE_CHANGE_UNSUPPORTED', `Subform field "${child.key}" cannot change how it is stored; add a new one`, {
          field: `${old.key}.${child.key}`,
        });
      if (prev.type !== child.type && !typeChangeSupported(prev.type, child.type)) {
        throw new AppError('TYPE_CHANGE_UNSUPPORTED', `Subform field "${child.key}" cannot become ${child.type}`, {
          field: `${old.key}.${child.key}`,
          from: prev.type,
          to: child.type,
        });
      }
      if (prev.type !== child.type || !same(valueSchemaOf(prev), valueSchemaOf(child))) {
        const key = `${old.key}.${child.key}`;
        await assertValuesFitOrThrow(repo, physical.table!, physical.children[child.key], { from: { ...prev, key }, to: { ...child, key } }, 'parent_id');
      }
      continue;
    }
    physical.children[child.key] = physicalName('f_');
    steps.push(...childColumnSteps(physical.table!, physical.children[child.key], child));
  }
  return { steps, physical };
}

/**
 * A type change that changes storage expands: a new column, backfilled and checked; the old one
 * is kept (retired) until purge. verifyBackfill re-syncs every row as the last step before the
 * swap, so edits made while earlier steps ran (or while the plan waited for a restart) are not
 * lost. Old indexes are dropped only after it: a rollback cannot recreate them.
 */
function expandToNewColumn(a: {
  table: string;
  old: FieldMeta;
  next: FieldDefinition;
  spec: ColumnSpec;
  needsIndex: boolean;
  needsUnique: boolean;
  physical: PhysicalField;
}): FieldChangePlan {
  const { table, old, next, needsIndex, needsUnique, physical } = a;
  const steps: DdlStep[] = [];
  const column = physicalName('f_');
  steps.push({ op: 'addColumn', table, column, spec: a.spec });
  steps.push({ op: 'backfill', table, from: old.physical.column!, to: column, change: { from: old, to: next } });
  physical.retired = [...(old.physical.retired ?? []), old.physical.column!];
  physical.column = column;
  delete physical.index;
  delete physical.uniqueIndex;
  if (needsIndex) {
    physical.index = physicalName('i_');
    steps.push({ op: 'createIndex', table, index: physical.index, columns: [column, 'deleted_at'], unique: false });
  }
  if (needsUnique) {
    physical.uniqueIndex = physicalName('u_');
    steps.push({ op: 'createIndex', table, index: physical.uniqueIndex, columns: [column], unique: true, field: old.key });
  }
  steps.push({ op: 'verifyBackfill', table, from: old.physical.column!, to: column, change: { from: old, to: next } });
  if (old.physical.index) steps.push({ op: 'dropIndex', table, index: old.physical.index });
  if (old.physical.uniqueIndex) steps.push({ op: 'dropIndex', table, index: old.physical.uniqueIndex });
  return { steps, physical };
}
