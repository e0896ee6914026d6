import type { ValidateFunction } from 'ajv';
import { createAjv, issuesFromAjvErrors } from './ajv';
import { prefixIssues, SchemaError, SchemaErrorCode, type Issue } from './errors';
import { fieldTypes, isFieldTypeKey } from './field-types/registry';
import { validateKeyOrThrow } from './identifiers';
import type { FieldDefinition, FieldTypeDefinition, FieldTypeKey, NormalizedFieldDefinition } from './types';

/** A problem with the SchemaError code it raises when it is the first one found. */
interface Problem {
  code: SchemaErrorCode;
  message: string;
  issues: Issue[];
}

let settingsAjv: ReturnType<typeof createAjv> | undefined;
const settingsValidators = new Map<FieldTypeKey, ValidateFunction>();

/** Compiles each type's settings schema once, on first use. */
function settingsValidator(type: FieldTypeKey): ValidateFunction {
  let validate = settingsValidators.get(type);
  if (!validate) {
    settingsAjv ??= createAjv();
    validate = settingsAjv.compile(fieldTypes[type].settingsSchema);
    settingsValidators.set(type, validate);
  }
  return validate;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function keyProblem(key: unknown): Problem | null {
  try {
    validateKeyOrThrow({ kind: 'field', key: key as string });
    return null;
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    const code = error.code === SchemaErrorCode.RESERVED_KEY ? 'reserved_key' : 'invalid_key';
    return { code: error.code, message: error.message, issues: [{ path: '/key', code, message: `/key: ${error.message}` }] };
  }
}

function labelProblem(label: unknown): Problem | null {
  const trimmed = typeof label === 'string' ? label.trim() : null;
  let issue: Issue | null = null;
  if (trimmed === null) issue = { path: '/label', code: 'invalid_type', message: '/label must be a string' };
  else if (trimmed.length === 0) issue = { path: '/label', code: 'too_short', message: '/label must not be empty' };
  else if ([...trimmed].length > 100) issue = { path: '/label', code: 'too_long', message: '/label must be at most 100 characters long' };
  return issue && { code: SchemaErrorCode.INVALID_FIELD, message: `Invalid field label: ${issue.message}.`, issues: [issue] };
}

function flagProblems(args: { field: FieldDefinition; def: FieldTypeDefinition }): Problem[] {
  const { field, def } = args;
  const problems: Problem[] = [];
  const add = (path: string, code: string, message: string): void => {
    problems.push({
      code: SchemaErrorCode.INVALID_FIELD,
      message: `Field "${field.key}": ${message}.`,
      issues: [{ path, code, message: `${path} ${message}` }],
    });
  };
  for (const flag of ['required', 'unique', 'indexed'] as const) {
    if (field[flag] !== undefined && typeof field[flag] !== 'boolean') add(`/${flag}`, 'invalid_type', 'must be a boolean');
  }
  if (field.unique === true && !def.uniqueAllowed) add('/unique', 'unique_not_allowed', `type ${def.key} cannot be unique`);
  if (field.required === true && !def.writable) add('/required', 'required_not_allowed', `type ${def.key} is assigned by the server and cannot be required`);
  return problems;
}

/** An index needs an indexable column, which may depend on settings (member multiple). */
function indexProblems(args: { field: FieldDefinition; def: FieldTypeDefinition; settings: Record<string, unknown> }): Problem[] {
  const { field, def, settings } = args;
  const storage = def.storage(settings);
  if (field.indexed !== true || (storage.kind === 'column' && storage.indexable)) return [];
  const message = `a ${def.key} field with these settings cannot be indexed`;
  return [
    {
      code: SchemaErrorCode.INVALID_FIELD,
      message: `Field "${String(field.key)}": ${message}.`,
      issues: [{ path: '/indexed', code: 'index_not_allowed', message: `/indexed: ${message}` }],
    },
  ];
}

/** Validates settings (defaults filled in) and runs the type's own rules. */
function normalizeSettings(args: { def: FieldTypeDefinition; raw: unknown }): { settings?: Record<string, unknown>; problem?: Problem } {
  const { def, raw } = args;
  const invalid = (relative: Issue[]): { problem: Problem } => {
    const issues = prefixIssues({ prefix: '/settings', issues: relative });
    const summary = issues.map((issue) => issue.message).join('; ');
    return { problem: { code: SchemaErrorCode.INVALID_SETTINGS, message: `Invalid settings for a ${def.key} field: ${summary}.`, issues } };
  };
  if (raw !== undefined && !isPlainObject(raw)) {
    return invalid([{ path: '', code: 'invalid_type', message: '(root) must be an object' }]);
  }
  const given = Object.entries(raw ?? {}).filter(([, value]) => value !== undefined);
  const settings: Record<string, unknown> = { ...def.defaultSettings, ...Object.fromEntries(given) };
  const validate = settingsValidator(def.key);
  if (!validate(settings)) return invalid(issuesFromAjvErrors(validate.errors));
  if (!def.refineSettings) return { settings };
  const refined = def.refineSettings({ settings, ctx: { normalizeChild: (child) => analyzeField(child) } });
  return refined.issues.length > 0 ? invalid(refined.issues) : { settings: refined.settings };
}

/** Every problem of a field definition and, when there is none, the normalized field. */
function analyzeField(input: FieldDefinition): { field?: NormalizedFieldDefinition; issues: Issue[]; problems: Problem[] } {
  const field: FieldDefinition = isPlainObject(input) ? input : ({} as FieldDefinition);
  const problems: Problem[] = [];
  const keyIssue = keyProblem(field.key);
  if (keyIssue) problems.push(keyIssue);
  const labelIssue = labelProblem(field.label);
  if (labelIssue) problems.push(labelIssue);
  if (!isFieldTypeKey(field.type)) {
    const type = String(field.type);
    problems.push({
      code: SchemaErrorCode.UNKNOWN_FIELD_TYPE,
      message: `Unknown field type "${type}".`,
      issues: [{ path: '/type', code: 'unknown_type', message: `/type "${type}" is not a known field type` }],
    });
  }
  let normalized: NormalizedFieldDefinition | undefined;
  if (isFieldTypeKey(field.type)) {
    const def = fieldTypes[field.type] as unknown as FieldTypeDefinition;
    const { settings, problem } = normalizeSettings({ def, raw: field.settings });
    if (problem) problems.push(problem);
    problems.push(...flagProblems({ field, def }));
    if (settings) problems.push(...indexProblems({ field, def, settings }));
    if (settings && problems.length === 0) {
      normalized = {
        key: field.key,
        label: field.label.trim(),
        type: field.type,
        required: field.required === true,
        unique: field.unique === true || def.uniqueImplied === true,
        indexed: field.indexed === true,
        settings,
      };
    }
  }
  return { field: normalized, issues: problems.flatMap((problem) => problem.issues), problems };
}

/**
 * Validates a field definition and returns it normalized: trimmed label, settings with
 * defaults filled in (subform children normalized too), boolean required/unique/indexed.
 * Throws SchemaError with the code of the first problem (INVALID_KEY, RESERVED_KEY,
 * INVALID_FIELD, UNKNOWN_FIELD_TYPE, INVALID_SETTINGS) and every problem in `issues`.
 */
export function normalizeFieldOrThrow(args: { field: FieldDefinition }): NormalizedFieldDefinition {
  const { field, issues, problems } = analyzeField(args.field);
  if (field) return field;
  const first = problems[0];
  throw new SchemaError({
    code: first.code,
    message: first.message,
    details: { key: (args.field as Partial<FieldDefinition> | null)?.key },
    issues,
  });
}
