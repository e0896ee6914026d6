import type Ajv from 'ajv';
import { issuesFromAjvErrors } from './ajv';
import type { Issue } from './errors';
import { getFieldTypeOrThrow } from './field-types/registry';
import type { FieldDefinition, JsonSchema } from './types';

export type RecordWriteMode = 'create' | 'update';

/** Allows null next to a non-null value schema. */
function nullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type !== 'string') return { anyOf: [{ type: 'null' }, schema] };
  const result: JsonSchema = { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.enum)) result.enum = [...(schema.enum as unknown[]), null];
  return result;
}

/** Required: null, '' and [] are refused as 'required' (null passes the type, then fails here). */
function requiredValue(schema: JsonSchema): JsonSchema {
  return { ...nullable(schema), nonEmpty: true };
}

/**
 * JSON Schema of one field's property in a record (or subform row) body: the type's value
 * schema plus null; when required, null, '' and [] are refused with code 'required'.
 * Settings missing a default are filled in, so unnormalized definitions still work.
 */
export function fieldPropertySchema(args: { field: FieldDefinition }): JsonSchema {
  const { field } = args;
  const def = getFieldTypeOrThrow(field.type);
  if (!def.writable) return { readOnlyField: true };
  const settings = { ...def.defaultSettings, ...field.settings };
  const value = def.valueSchema(settings, { childSchema: (child) => fieldPropertySchema({ field: child }) });
  return field.required === true ? requiredValue(value) : nullable(value);
}

/**
 * JSON Schema of a record write body. Create: required fields must be present. Update: any
 * subset, but required fields cannot be null or empty ('required' either way). Unknown keys
 * are 'unknown_field'; server-assigned fields (serial) are present as an always-failing
 * 'read_only' property. System fields (id, version, ...) are not part of it: strip them
 * first. Compile once with `createAjv()`. Throws UNKNOWN_FIELD_TYPE for a type not in the
 * registry (pass normalized fields).
 */
export function buildRecordSchema(args: { fields: readonly FieldDefinition[]; mode: RecordWriteMode }): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of args.fields) {
    properties[field.key] = fieldPropertySchema({ field });
    if (args.mode === 'create' && field.required === true && getFieldTypeOrThrow(field.type).writable) {
      required.push(field.key);
    }
  }
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

/** Validates a record body against its compiled schema; an empty list means valid. */
export type RecordValidator = (body: unknown) => Issue[];

/**
 * Compiles `buildRecordSchema` with the given Ajv (from `createAjv()`) into a function that
 * returns the issues of a body. Compile once per entity version and reuse it.
 */
export function compileRecordValidator(args: {
  ajv: Ajv;
  fields: readonly FieldDefinition[];
  mode: RecordWriteMode;
}): RecordValidator {
  const validate = args.ajv.compile(buildRecordSchema({ fields: args.fields, mode: args.mode }));
  return (body) => (validate(body) ? [] : issuesFromAjvErrors(validate.errors));
}
