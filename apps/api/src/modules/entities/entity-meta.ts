import type { FieldDefinition } from '@crm/schema';

/** Where a field lives physically. Generated names only. */
export interface PhysicalField {
  column?: string; // scalar and json fields, relation one
  table?: string; // link table (relation many) or child table (subform)
  index?: string; // non-unique index (indexed fields, relation one)
  uniqueIndex?: string;
  children?: Record<string, string>; // subform: child key -> column
  retired?: string[]; // columns left behind by type changes, dropped on purge
}

export type FieldStatus = 'active' | 'pending' | 'removed' | 'purging';

export interface FieldMeta extends FieldDefinition {
  id: string;
  status: FieldStatus;
  position: number;
  physical: PhysicalField;
}

export interface EntityMeta {
  id: string;
  workspaceId: string;
  appId: string;
  key: string;
  name: string;
  table: string;
  version: number;
  displayField: string | null;
  /** Lists without `sort` use it (`-amount,name`); null: newest first by id. */
  defaultSort?: string | null;
  /** Days a deleted record stays in the recycle bin; null: until purged by hand. */
  recycleRetentionDays?: number | null;
  fields: FieldMeta[];
  removedFields: FieldMeta[];
}

/** What the API shows of a field. */
export function fieldDto(f: FieldMeta) {
  return { id: f.id, key: f.key, label: f.label, type: f.type, required: !!f.required, unique: !!f.unique, indexed: !!f.indexed, settings: f.settings };
}

export function entityDto(e: EntityMeta) {
  return {
    id: e.id,
    appId: e.appId,
    key: e.key,
    name: e.name,
    version: e.version,
    displayField: e.displayField,
    defaultSort: e.defaultSort ?? null,
    recycleRetentionDays: e.recycleRetentionDays ?? null,
    fields: e.fields.map(fieldDto),
    removedFields: e.removedFields.map(fieldDto),
  };
}
export type EntityDto = ReturnType<typeof entityDto>;
