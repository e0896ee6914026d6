import type { default as Ajv, ValidateFunction } from 'ajv';
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

/**
 * Compiles a record schema from `buildRecordSchema` with ajv, for wide records: ajv reads every
 * property of the record, and a record parsed from JSON with 128 fields or more is a
 * dictionary-mode object in V8, where each read is a hash lookup. A body whose keys are all
 * fields of the schema is therefore validated as a view with every field in one fixed literal
 * shape (absent fields read as undefined, which ajv treats as absent: `properties` skips them,
 * `required` reports them), about twice as fast for 200 fields; any other body (an unknown key,
 * not an object) goes to ajv as it is, so the errors are always ajv's own.
 */
export function compileRecordSchema(ajv: Ajv, schema: JsonSchema): ValidateFunction {
  const validate = ajv.compile(schema);
  const s = schema as { properties?: Record<string, unknown>; additionalProperties?: unknown };
  const keys = Object.keys(s.properties ?? {});
  const plain = Object.keys(schema).every((k) => ['type', 'properties', 'required', 'additionalProperties'].includes(k));
  // The fast path validates a view of the body, so a keyword that rewrites values (rich text is sanitised in place) needs the body itself.
  const rewrites = JSON.stringify(schema).includes('"sanitizeHtml":true');
  if (!plain || s.additionalProperties !== false || rewrites) return validate;
  const known = new Set(keys);
  // Keys are written as JSON string literals: no field key can change the code.
  const view = new Function('v', `return {${keys.map((k) => `${JSON.stringify(k)}: v[${JSON.stringify(k)}]`).join(',')}};`) as (v: unknown) => object;
  const fast = function (data: unknown): boolean {
    let target = data;
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      const own = Object.keys(data);
      let allKnown = true;
      for (let i = 0; i < own.length; i += 1) if (!known.has(own[i]!)) allKnown = false;
      if (allKnown) target = view(data);
    }
    const ok = validate(target);
    fast.errors = validate.errors;
    return ok;
  } as ValidateFunction;
  fast.schema = validate.schema;
  fast.schemaEnv = validate.schemaEnv;
  return fast;
}

/** Validates a record body against its compiled schema; an empty list means valid. */
export type RecordValidator = (body: unknown) => Issue[];

/**
 * Compiles `buildRecordSchema` with the given Ajv (from `createAjv()`) into a function that
 * returns the issues of a body. Compile once per entity version and reuse it.
 */
export function compileRecordValidator(args: { ajv: Ajv; fields: readonly FieldDefinition[]; mode: RecordWriteMode }): RecordValidator {
  const validate = compileRecordSchema(args.ajv, buildRecordSchema({ fields: args.fields, mode: args.mode }));
  return (body) => (validate(body) ? [] : issuesFromAjvErrors(validate.errors));
}
