import type { Issue } from '../errors';
import type { FilterOperator, JsonSchema, StorageSpec } from '../types';

// Operator sets shared by several field types.
export const TEXT_OPERATORS = ['==', '!=', 'in', 'contains', 'starts_with', 'is_empty', 'is_not_empty'] as const satisfies readonly FilterOperator[];
export const LONG_TEXT_OPERATORS = ['contains', 'starts_with', 'is_empty', 'is_not_empty'] as const satisfies readonly FilterOperator[];
export const NUMBER_OPERATORS = ['==', '!=', '<', '<=', '>', '>=', 'between', 'in', 'is_empty', 'is_not_empty'] as const satisfies readonly FilterOperator[];
export const DATE_OPERATORS = [
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'between',
  'date_range',
  'is_empty',
  'is_not_empty',
] as const satisfies readonly FilterOperator[];
export const CHOICE_OPERATORS = ['==', '!=', 'in', 'is_empty', 'is_not_empty'] as const satisfies readonly FilterOperator[];
export const LIST_OPERATORS = ['contains', 'is_empty', 'is_not_empty'] as const satisfies readonly FilterOperator[];
export const EMPTY_OPERATORS = ['is_empty', 'is_not_empty'] as const satisfies readonly FilterOperator[];

/** Operators of single-or-multiple types (member, department, relation). */
export const SINGLE_OR_MULTIPLE_OPERATORS = [...CHOICE_OPERATORS, 'contains'] as const satisfies readonly FilterOperator[];

/** Settings object schema: listed properties only. */
export function settingsObjectSchema(args: { properties: Record<string, JsonSchema>; required?: string[] }): JsonSchema {
  return {
    type: 'object',
    properties: args.properties,
    ...(args.required && args.required.length > 0 ? { required: args.required } : {}),
    additionalProperties: false,
  };
}

export const EMPTY_SETTINGS_SCHEMA: JsonSchema = settingsObjectSchema({ properties: {} });

export function columnStorage(args: { column: Extract<StorageSpec, { kind: 'column' }>['column']; indexable: boolean; autoIndex?: boolean }): StorageSpec {
  return { kind: 'column', column: args.column, indexable: args.indexable, ...(args.autoIndex ? { autoIndex: true } : {}) };
}

/** Issue when both bounds are set and min > max; paths relative to the settings object. */
export function rangeIssues(args: { min: unknown; max: unknown; minKey: string; maxKey: string }): Issue[] {
  const { min, max, minKey, maxKey } = args;
  if (typeof min !== 'number' || typeof max !== 'number' || min <= max) return [];
  return [{ path: `/${maxKey}`, code: 'invalid_range', message: `/${maxKey} must not be less than ${minKey} (${min})` }];
}

/** Adds optional bounds to a schema, skipping those not set. */
export function withBounds(args: { schema: JsonSchema; bounds: Record<string, number | undefined> }): JsonSchema {
  const result: JsonSchema = { ...args.schema };
  for (const [keyword, limit] of Object.entries(args.bounds)) if (limit !== undefined) result[keyword] = limit;
  return result;
}

/** Id of a member or department (uuid-sized). */
export const MEMBER_ID_SCHEMA: JsonSchema = { type: 'string', minLength: 1, maxLength: 36 };

/** Upper bound of multi-valued member/department/relation lists. */
export const MAX_LIST_ITEMS = 1000;
