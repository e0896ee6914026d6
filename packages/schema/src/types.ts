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
  | { kind: 'column'; column: ColumnSpec; indexable: boolean }
  | { kind: 'link-table' } // many-to-many relation: (record_id, target_id)
  | { kind: 'child-table' }; // subform rows

/** Scalar kind a filter value is compared as. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'date' | 'datetime' | 'id' | 'string-list' | 'id-list';

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
  /** JSON Schema of the settings object, validated at design time. */
  settingsSchema: JsonSchema;
  defaultSettings: S;
  storage(settings: S): StorageSpec;
  /** JSON Schema of one value written to a record (null allowed unless required). */
  valueSchema(settings: S, ctx: ValueSchemaContext): JsonSchema;
  valueKind(settings: S): ValueKind;
  operators: readonly FilterOperator[];
  sortable: boolean;
  /** Whether `unique` may be set on this type. */
  uniqueAllowed: boolean;
}

export interface ValueSchemaContext {
  /** Subform: resolve the JSON Schema of a child field. */
  childSchema?: (field: FieldDefinition) => JsonSchema;
}
