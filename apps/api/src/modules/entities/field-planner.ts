import { childFieldsOf, type FieldDefinition, storageOf, uniqueImplied } from '@crm/schema';
import { physicalName } from '../../common/ids';
import type { DdlStep } from '../ddl/ddl-step';
import type { FieldMeta, PhysicalField } from './entity-meta';

/** Generated physical names for a new field, by its storage kind. */
export function assignPhysical(field: FieldDefinition): PhysicalField {
  const storage = storageOf(field);
  if (storage.kind === 'link-table') return { table: physicalName('l_') };
  if (storage.kind === 'child-table') {
    const children: Record<string, string> = {};
    for (const child of childFieldsOf(field)) children[child.key] = physicalName('f_');
    return { table: physicalName('c_'), children };
  }
  const p: PhysicalField = { column: physicalName('f_') };
  if (wantsIndex(field)) p.index = physicalName('i_');
  if (wantsUnique(field)) p.uniqueIndex = physicalName('u_');
  return p;
}

/** Relation ids and fields marked indexed get an index on (column, deleted_at) for filtered lists. */
export function wantsIndex(field: FieldDefinition): boolean {
  const storage = storageOf(field);
  if (storage.kind !== 'column') return false;
  return storage.column.kind === 'ref' || !!storage.autoIndex || (!!field.indexed && storage.indexable);
}

export function wantsUnique(field: FieldDefinition): boolean {
  return !!field.unique || uniqueImplied(field);
}

/** DDL steps that make a new field's storage exist. */
export function stepsForNewField(table: string, field: FieldMeta): DdlStep[] {
  const storage = storageOf(field);
  const p = field.physical;
  if (storage.kind === 'link-table') return [{ op: 'createLinkTable', table: p.table! }];
  if (storage.kind === 'child-table') {
    const steps: DdlStep[] = [{ op: 'createChildTable', table: p.table! }];
    for (const child of childFieldsOf(field)) steps.push(...childColumnSteps(p.table!, p.children![child.key], child));
    return steps;
  }
  const steps: DdlStep[] = [{ op: 'addColumn', table, column: p.column!, spec: storage.column }];
  if (p.index) steps.push({ op: 'createIndex', table, index: p.index, columns: [p.column!, 'deleted_at'], unique: false });
  if (p.uniqueIndex) steps.push({ op: 'createIndex', table, index: p.uniqueIndex, columns: [p.column!], unique: true, field: field.key });
  return steps;
}

export function childColumnSteps(childTable: string, column: string, child: FieldDefinition): DdlStep[] {
  const storage = storageOf(child);
  if (storage.kind !== 'column') throw new Error(`Subform field ${child.key} of type ${child.type} cannot be stored in a child row`);
  return [{ op: 'addColumn', table: childTable, column, spec: storage.column }];
}
