import Ajv, { _, str, type ErrorObject, type KeywordDefinition } from 'ajv';
import type { DataValidationCxt, SchemaValidateFunction } from 'ajv/dist/types';
import addFormats from 'ajv-formats';
import { describersZh } from './ajv-messages-zh';
import { decimalPlacesOf } from './decimal';
import { pointerSegment, type Issue } from './errors';
import { sanitizeRichText } from './html';
import { addressProblem, type AddressLevel, type AddressValue } from './regions';

/** Address codes against the field's depth; errors as ajv expects of a validate-function keyword. */
function checkAddressFn(level: AddressLevel, data: AddressValue): boolean {
  const problem = addressProblem(data, level);
  checkAddress.errors = problem ? [{ keyword: 'addressLevel', message: problem[1], params: { part: problem[0].slice(1), problem: problem[1] } }] : undefined;
  return !problem;
}
const checkAddress = checkAddressFn as unknown as SchemaValidateFunction;

/** Custom keywords our schemas use; each maps to one issue code below. */
const customKeywords: KeywordDefinition[] = [
  {
    // `multipleOf: 0.01` fails on 0.07 in binary floats; count decimals of String(n) instead.
    keyword: 'decimalPlaces',
    type: 'number',
    schemaType: 'number',
    error: {
      message: ({ schemaCode }) => str`must have at most ${schemaCode} decimal places`,
      params: ({ schemaCode }) => _`{limit: ${schemaCode}}`,
    },
    code(cxt) {
      const fn = cxt.gen.scopeValue('func', { ref: decimalPlacesOf });
      cxt.fail(_`!Number.isInteger(${cxt.data}) && ${fn}(${cxt.data}) > ${cxt.schema}`);
    },
  },
  {
    // A required field must not be null, an empty string or an empty list; reported as
    // 'required' (rather than a type error) so forms can say "X is required".
    keyword: 'nonEmpty',
    schemaType: 'boolean',
    error: { message: 'must not be empty' },
    code(cxt) {
      const { data } = cxt;
      if (cxt.schema !== true) return;
      cxt.fail(_`${data} === null || ((typeof ${data} == "string" || Array.isArray(${data})) && ${data}.length === 0)`);
    },
  },
  {
    // Rich text is sanitised as it is validated, so every later stage sees only the safe HTML.
    keyword: 'sanitizeHtml',
    type: 'string',
    schemaType: 'boolean',
    modifying: true,
    errors: false,
    validate: (schema: boolean, data: string, _parent?: unknown, cxt?: DataValidationCxt) => {
      if (schema && cxt?.parentData && typeof cxt.parentData === 'object') {
        (cxt.parentData as Record<string | number, unknown>)[cxt.parentDataProperty] = sanitizeRichText(data);
      }
      return true;
    },
  },
  {
    // An address's region codes: known, nested (city in its province) and as deep as the field asks.
    keyword: 'addressLevel',
    type: 'object',
    schemaType: 'string',
    errors: true,
    validate: checkAddress,
  },
  {
    // A field the server assigns (serial): any value written is refused as 'read_only'.
    keyword: 'readOnlyField',
    schemaType: 'boolean',
    error: { message: 'is read-only' },
    code(cxt) {
      if (cxt.schema === true) cxt.fail();
    },
  },
];

/**
 * Creates the Ajv 8 instance every schema of this package compiles with: all errors, no
 * coercion or defaults, strict mode (union types allowed), formats date, date-time, email,
 * uri and time, and the keywords decimalPlaces, nonEmpty and readOnlyField.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    useDefaults: false,
    coerceTypes: false,
  });
  addFormats(ajv, ['date', 'time', 'date-time', 'email', 'uri']);
  for (const keyword of customKeywords) ajv.addKeyword(keyword);
  return ajv;
}

const codeByKeyword: Record<string, string> = {
  required: 'required',
  nonEmpty: 'required',
  type: 'invalid_type',
  enum: 'invalid_option',
  const: 'invalid_option',
  minimum: 'too_small',
  exclusiveMinimum: 'too_small',
  maximum: 'too_large',
  exclusiveMaximum: 'too_large',
  minLength: 'too_short',
  maxLength: 'too_long',
  minItems: 'too_few',
  maxItems: 'too_many',
  uniqueItems: 'duplicate_items',
  format: 'invalid_format',
  pattern: 'invalid_format',
  additionalProperties: 'unknown_field',
  decimalPlaces: 'too_many_decimals',
  readOnlyField: 'read_only',
  addressLevel: 'invalid_region',
};

const typeNames: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

const formatNames: Record<string, string> = {
  date: 'a valid date (YYYY-MM-DD)',
  time: 'a valid time (HH:MM:SS with time zone)',
  'date-time': 'a valid ISO 8601 date-time with time zone (e.g. 2026-11-23T08:30:00Z)',
  email: 'a valid email address',
  uri: 'a valid URL',
};

type Params = Record<string, unknown>;

function plural(args: { count: unknown; noun: string }): string {
  const { count, noun } = args;
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`;
}

function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return String(value).split(',');
}

/** Problem text without the path, by keyword. */
const describers: Record<string, (params: Params) => string> = {
  required: () => 'is required',
  nonEmpty: () => 'is required',
  type: (p) =>
    `must be ${listOf(p.type)
      .map((t) => typeNames[t] ?? t)
      .join(' or ')}`,
  enum: (p) => {
    const allowed = Array.isArray(p.allowedValues) ? p.allowedValues.filter((v) => v !== null) : [];
    return allowed.length > 0 && allowed.length <= 10
      ? `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`
      : 'must be one of the allowed options';
  },
  const: (p) => `must be ${JSON.stringify(p.allowedValue)}`,
  minimum: (p) => `must be at least ${String(p.limit)}`,
  exclusiveMinimum: (p) => `must be greater than ${String(p.limit)}`,
  maximum: (p) => `must be at most ${String(p.limit)}`,
  exclusiveMaximum: (p) => `must be less than ${String(p.limit)}`,
  minLength: (p) => `must be at least ${plural({ count: p.limit, noun: 'character' })} long`,
  maxLength: (p) => `must be at most ${plural({ count: p.limit, noun: 'character' })} long`,
  minItems: (p) => `must have at least ${plural({ count: p.limit, noun: 'item' })}`,
  maxItems: (p) => `must have at most ${plural({ count: p.limit, noun: 'item' })}`,
  uniqueItems: (p) => `duplicates item ${String(Math.min(Number(p.i), Number(p.j)))}`,
  format: (p) => `must be ${formatNames[String(p.format)] ?? `in ${String(p.format)} format`}`,
  pattern: () => 'has an invalid format',
  additionalProperties: () => 'is not a known field',
  decimalPlaces: (p) => `must have at most ${plural({ count: p.limit, noun: 'decimal place' })}`,
  readOnlyField: () => 'is read-only: the server assigns it',
  addressLevel: (p) => `${String(p.part)} ${String(p.problem)}`,
};

/** Where an error points: the missing/unknown property or the duplicate item, else the value. */
function issuePath(error: ErrorObject): string {
  const params = error.params as Params;
  switch (error.keyword) {
    case 'required':
      return `${error.instancePath}/${pointerSegment(String(params.missingProperty))}`;
    case 'additionalProperties':
      return `${error.instancePath}/${pointerSegment(String(params.additionalProperty))}`;
    case 'uniqueItems':
      return `${error.instancePath}/${Math.max(Number(params.i), Number(params.j))}`;
    default:
      return error.instancePath;
  }
}

/** Composite keywords whose failure is already explained by the errors of their branches. */
const silentKeywords = new Set(['if', 'then', 'else', 'allOf', '$ref']);

/** Message language and field names for `issuesFromAjvErrors`. */
export interface AjvIssueOptions {
  /** 'en' (default) or 'zh-CN'. */
  locale?: 'en' | 'zh-CN';
  /** A readable name for a path (e.g. the field label); messages name the path otherwise. */
  labelOf?: (path: string) => string | undefined;
}

/**
 * Turns Ajv errors into issues with stable codes and messages naming the path (English unless
 * `locale` is 'zh-CN'). One issue per path and code; a wrong type at a path hides the other
 * issues at that path.
 */
export function issuesFromAjvErrors(errors: readonly ErrorObject[] | null | undefined, options: AjvIssueOptions = {}): Issue[] {
  const zh = options.locale === 'zh-CN';
  if (!errors) return [];
  const byKey = new Map<string, Issue>();
  const wrongType = new Set<string>();
  for (const error of errors) {
    if (silentKeywords.has(error.keyword)) continue;
    const path = issuePath(error);
    const code = codeByKeyword[error.keyword] ?? 'invalid_value';
    if (code === 'invalid_type') wrongType.add(path);
    const key = `${path}\u0000${code}`;
    if (byKey.has(key)) continue;
    const describe = (zh ? describersZh : describers)[error.keyword];
    const text = describe ? describe(error.params as Params) : zh ? '无效' : (error.message ?? 'is invalid');
    const label = options.labelOf?.(path);
    const message = zh ? `${label ?? (path || '(root)')}${label ? '' : ' '}${text}` : `${label ?? (path || '(root)')} ${text}`;
    byKey.set(key, { path, code, message });
  }
  return [...byKey.values()].filter((issue) => issue.code === 'invalid_type' || !wrongType.has(issue.path));
}
