import type { Issue } from './errors';

/** JSON Schema fragment (draft 2020-12 subset that ajv 8 understands). */
export type JsonSchema = Record<string, unknown>;

export const FIELD_TYPE_KEYS = [
  'text',
  'textarea',
  'number',
  'money',
  'date',
  'datetime',
  'switch',
  'radio',
  'checkbox',
  'select',
  'multiselect',
  'email',
  'phone',
  'url',
  'member',
  'department',
  'relation',
  'subform',
  'attachment',
  'serial',
  'formula',
  'rollup',
  'richtext',
  'address',
  'location',
  'rating',
  'image',
  'signature',
] as const;
export type FieldTypeKey = (typeof FIELD_TYPE_KEYS)[number];

/** Filter operators of the json-logic subset the records API understands. */
export const FILTER_OPERATORS = [
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'in', // value is one of a list
  'contains', // text: substring; multi-valued: holds the value
  'starts_with',
  'is_empty',
  'is_not_empty',
  'between', // inclusive, written as {"<=": [low, {var}, high]}
  'date_range', // relative ranges: today, this_week, this_month, last_7_days, ...
  'in_region', // address: inside a province, city or district (by region code)
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/**
 * Logical storage of a field; the API maps each kind to a real SQL column type per dialect.
 * - none: nothing stored in the record table (e.g. subform lives in a child table,
 *   relation many lives in a link table).
 */
export type ColumnSpec =
  | { kind: 'string'; length: number }
  | { kind: 'text' }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'integer' }
  | { kind: 'boolean' }
  | { kind: 'date' } // 'YYYY-MM-DD'
  | { kind: 'datetime' } // stored 'YYYY-MM-DD HH:MM:SS.mmm' UTC, exchanged as ISO 8601 with Z
  | { kind: 'json' }
  | { kind: 'ref' }; // BIGINT id of a record in another entity table

export type StorageSpec =
  | { kind: 'column'; column: ColumnSpec; indexable: boolean; /** Always indexed (address: its region filter needs it). */ autoIndex?: boolean }
  | { kind: 'link-table' } // many-to-many relation: (record_id, target_id)
  | { kind: 'child-table' }; // subform rows

/** What a field's ids refer to; see `FieldTypeDefinition.reference`. */
export type ReferenceKind = 'record' | 'member' | 'department' | 'file';

/** Scalar kind a filter value is compared as. */
export type ValueKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'id'
  | 'string-list'
  | 'id-list'
  | 'object-list' // subform rows: never filtered on
  | 'object' // a structured value (location, signature): only empty checks
  | 'html' // sanitised HTML: `contains` matches its text, not its markup
  | 'region'; // address: filtered by region code (`in_region`)

export interface FieldDefinition {
  key: string;
  label: string;
  type: FieldTypeKey;
  required?: boolean;
  unique?: boolean;
  /** Create a database index for fast filters on this field. */
  indexed?: boolean;
  settings: Record<string, unknown>;
}

export interface FieldTypeDefinition<S extends Record<string, unknown> = Record<string, unknown>> {
  key: FieldTypeKey;
  label: { en: string; 'zh-CN': string };
  /** JSON Schema of the settings object, validated at design time (unknown keys refused). */
  settingsSchema: JsonSchema;
  /** Filled in for missing settings keys; a key without a default is required. */
  defaultSettings: Partial<S>;
  /**
   * Rules the settings JSON Schema cannot express (min <= max, unique option values, subform
   * children). Issue paths are relative to the settings object; returns the settings to keep.
   */
  refineSettings?(args: { settings: S; ctx: SettingsContext }): { settings: S; issues: Issue[] };
  storage(settings: S): StorageSpec;
  /**
   * JSON Schema of one non-null value written to a record. Nullability and "required means
   * non-empty" are added by `buildRecordSchema`, which also supplies `ctx`.
   */
  valueSchema(settings: S, ctx: ValueSchemaContext): JsonSchema;
  valueKind(settings: S): ValueKind;
  /** Every operator the type supports under some settings; see `operatorsFor`. */
  operators: readonly FilterOperator[];
  /** Operators valid for a field with these settings (member/relation depend on `multiple`). */
  operatorsFor(settings: S): readonly FilterOperator[];
  sortable: boolean;
  /** Whether `unique` may be set on this type. */
  uniqueAllowed: boolean;
  /** The type is always unique (serial); normalization sets `unique: true`. */
  uniqueImplied?: boolean;
  /** False when the server assigns the value (serial): writing it is refused as read_only. */
  writable: boolean;
  /**
   * Whether an anonymous submitter of a public link (外链) may fill it in: no pickers that would
   * list members, departments or records, no uploads, nothing the server computes.
   */
  publicFillable: boolean;
  /**
   * What the value's ids point at, checked on every write (one query per kind and target): a
   * record of another entity, a workspace member, a department, an uploaded file. Absent for
   * plain values; a subform refers through its child fields.
   */
  reference?: ReferenceKind;
  /**
   * File fields: MIME patterns (`image/*`, `image/png`) a referenced file must match, checked on
   * every write; absent or empty: any file.
   */
  fileTypes?(settings: S): readonly string[] | undefined;
  /**
   * API value → dialect-neutral storage value (booleans 0/1, json as JSON text, datetime
   * 'YYYY-MM-DD HH:MM:SS.mmm' UTC, decimals as fixed-scale strings); null/undefined → null.
   * Expects a value that passed the value schema; throws SchemaError INVALID_VALUE otherwise.
   */
  toDb(value: unknown, settings: S): unknown;
  /** Storage value (as SQLite or MySQL drivers return it) → API value; null → null. */
  fromDb(raw: unknown, settings: S): unknown;
}

export interface ValueSchemaContext {
  /**
   * Subform: the JSON Schema of a child field's property in a row (null allowed unless the
   * child is required).
   */
  childSchema?: (field: FieldDefinition) => JsonSchema;
}

export interface SettingsContext {
  /** Subform: normalize a child field; issue paths are relative to the child definition. */
  normalizeChild(field: FieldDefinition): { field?: NormalizedFieldDefinition; issues: Issue[] };
}

/** A field definition after `normalizeFieldOrThrow`: flags are booleans, settings complete. */
export interface NormalizedFieldDefinition extends FieldDefinition {
  required: boolean;
  unique: boolean;
  indexed: boolean;
}
