import type { FieldDefinition, FieldTypeDefinition, FieldTypeKey, JsonSchema, ReferenceKind, StorageSpec, ValueKind, ValueSchemaContext } from '../types';
import { fieldTypes, getFieldTypeOrThrow } from './registry';

/** The settings type of a field type, as its definition declares it. */
export type SettingsOf<K extends FieldTypeKey> = (typeof fieldTypes)[K] extends FieldTypeDefinition<infer S> ? S : never;

/** A field whose settings are typed by its type: narrow on `type` to read them. */
export type TypedFieldDefinition = {
  [K in FieldTypeKey]: Omit<FieldDefinition, 'type' | 'settings'> & { type: K; settings: SettingsOf<K> };
}[FieldTypeKey];

/**
 * The field with its settings typed by its type. Settings are checked against the type's
 * schema whenever a field is saved (`normalizeFieldOrThrow`), so a stored field's settings fit.
 */
export function typedField(field: FieldDefinition): TypedFieldDefinition {
  return field as unknown as TypedFieldDefinition;
}

/** The child fields of a subform (none for any other type). */
export function childFieldsOf<F extends FieldDefinition>(field: F): F[] {
  const f = typedField(field);
  return f.type === 'subform' ? ((f.settings.fields ?? []) as unknown as F[]) : [];
}

/** How the field is stored (column, link table, child table), from its type and settings. */
export function storageOf(field: FieldDefinition): StorageSpec {
  return getFieldTypeOrThrow(field.type).storage(field.settings);
}

/** JSON Schema of one non-null value of the field. */
export function valueSchemaOf(field: FieldDefinition, ctx: ValueSchemaContext = {}): JsonSchema {
  return getFieldTypeOrThrow(field.type).valueSchema(field.settings, ctx);
}

/** The kind its values compare as (filters, formulas). */
export function valueKindOf(field: FieldDefinition): ValueKind {
  return getFieldTypeOrThrow(field.type).valueKind(field.settings);
}

/** API value → storage value of the field; null/undefined → null. */
export function toDbOf(field: FieldDefinition, value: unknown): unknown {
  return value === null || value === undefined ? null : getFieldTypeOrThrow(field.type).toDb(value, field.settings);
}

/** Storage value → API value of the field. */
export function fromDbOf(field: FieldDefinition, raw: unknown): unknown {
  return getFieldTypeOrThrow(field.type).fromDb(raw, field.settings);
}

/** What the field's own values refer to (not through subform children). */
export function referenceOf(field: FieldDefinition): ReferenceKind | undefined {
  return getFieldTypeOrThrow(field.type).reference;
}

/** Whether the field's values, or those of its subform rows, refer to something checked on write. */
export function mayReference(field: FieldDefinition): boolean {
  return referenceOf(field) !== undefined || childFieldsOf(field).some((c) => referenceOf(c) !== undefined);
}

/** Whether the field holds uploaded files, directly or in its subform rows. */
export function holdsFiles(field: FieldDefinition): boolean {
  return referenceOf(field) === 'file' || childFieldsOf(field).some((c) => referenceOf(c) === 'file');
}

/** Number-valued (number, money, rollup, a formula with a number result): what rollups may aggregate. */
export function isNumericField(field: FieldDefinition | undefined): boolean {
  return !!field && valueKindOf(field) === 'number';
}

/** Whether the server always makes the field's values unique (serial numbers). */
export function uniqueImplied(field: FieldDefinition): boolean {
  return !!getFieldTypeOrThrow(field.type).uniqueImplied;
}

/** The type keys whose `publicFillable` is set: what a public link may expose. */
export const PUBLIC_FILLABLE_TYPES: ReadonlySet<FieldTypeKey> = new Set(
  (Object.keys(fieldTypes) as FieldTypeKey[]).filter((k) => (fieldTypes[k] as FieldTypeDefinition<any>).publicFillable),
);
