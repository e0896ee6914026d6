import type { FieldDefinition } from '@crm/schema';
import { AppError } from '../../common/errors';

/** One field as the designer holds it: the field service's input (docs/fields.md). */
export interface DesignField {
  key: string;
  label: string;
  type: string;
  required?: boolean;
  unique?: boolean;
  indexed?: boolean;
  settings?: Record<string, unknown>;
}

/** The designer's draft: every field (new ones included, in the designer's order) and the form definition over them. */
export interface DesignDocument {
  fields: DesignField[];
  form: unknown;
}

export interface DesignProblem {
  path: string;
  code: string;
  message: string;
  field?: string;
  rowCount?: number;
  sampleIds?: number[];
}

interface FieldRef {
  key: string;
  label: string;
  type: string;
}

export interface DesignPreview {
  revision: number;
  added: FieldRef[];
  removed: FieldRef[];
  renamed: { key: string; from: string; to: string }[];
  typeChanged: { key: string; label: string; from: string; to: string; check: DesignProblem | null }[];
  changed: { key: string; label: string; what: string[]; check: DesignProblem | null }[];
  problems: DesignProblem[];
  publishable: boolean;
}

export const DESIGN_LIMITS = { maxFields: 500, maxJsonLength: 1_000_000 };

const FIELD_KEYS = ['key', 'label', 'type', 'required', 'unique', 'indexed', 'settings'];

function refuse(path: string, code: string, message: string): never {
  throw new AppError('VALIDATION_FAILED', message, { errors: [{ path, code, message }] });
}

/**
 * The body of a designer save: `{ revision, document: { fields, form } }`. Only the shape is
 * checked here (a draft may be unfinished, e.g. a relation without its target yet); the
 * preview checks every field and the form as a publish would.
 */
export function readDesignOrThrow(body: unknown): { revision: number; document: DesignDocument } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) refuse('/', 'invalid_type', 'The body must be { revision, document }');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (k !== 'revision' && k !== 'document') refuse(`/${k}`, 'unknown_property', `${k} is not part of a designer save`);
  const revision = parseRevisionOrThrow(b.revision, 'revision');
  const doc = b.document as Record<string, unknown> | undefined;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) refuse('/document', 'invalid_type', 'document must be { fields, form }');
  if (JSON.stringify(doc).length > DESIGN_LIMITS.maxJsonLength)
    refuse('/document', 'too_large', `A designer document may have at most ${DESIGN_LIMITS.maxJsonLength} characters of JSON`);
  for (const k of Object.keys(doc)) if (k !== 'fields' && k !== 'form') refuse(`/document/${k}`, 'unknown_property', `${k} is not part of a designer document`);
  if (!Array.isArray(doc.fields)) refuse('/document/fields', 'invalid_type', 'fields must be a list');
  if (doc.fields.length > DESIGN_LIMITS.maxFields) refuse('/document/fields', 'too_large', `At most ${DESIGN_LIMITS.maxFields} fields`);
  const fields = doc.fields.map((f, i) => readField(f, `/document/fields/${i}`));
  const form = doc.form === undefined ? {} : doc.form;
  if (!form || typeof form !== 'object' || Array.isArray(form)) refuse('/document/form', 'invalid_type', 'form must be a form definition object');
  return { revision, document: { fields, form } };
}

function readField(raw: unknown, path: string): DesignField {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) refuse(path, 'invalid_type', 'A field must be an object');
  const f = raw as Record<string, unknown>;
  for (const k of Object.keys(f)) if (!FIELD_KEYS.includes(k)) refuse(`${path}/${k}`, 'unknown_property', `${k} is not a field property`);
  for (const k of ['key', 'label', 'type'])
    if (typeof f[k] !== 'string' || (f[k] as string).length > 200) refuse(`${path}/${k}`, 'invalid_type', `${k} must be a string of at most 200 characters`);
  for (const k of ['required', 'unique', 'indexed'])
    if (f[k] !== undefined && typeof f[k] !== 'boolean') refuse(`${path}/${k}`, 'invalid_type', `${k} must be true or false`);
  if (f.settings !== undefined && (!f.settings || typeof f.settings !== 'object' || Array.isArray(f.settings)))
    refuse(`${path}/settings`, 'invalid_type', 'settings must be an object');
  return f as unknown as DesignField;
}

/** The field service's input for one field. */
export function fieldInputOf(f: DesignField | FieldDefinition): DesignField {
  return {
    key: f.key,
    label: f.label,
    type: f.type,
    required: !!f.required,
    unique: !!f.unique,
    indexed: !!f.indexed,
    settings: (f.settings ?? {}) as Record<string, unknown>,
  };
}

/** An error of a field check as preview problems (every issue, with the data check's rowCount and sampleIds). */
export function problemOf(err: unknown, path: string, field: string): DesignProblem[] {
  const e = err as { code?: string; message?: string; issues?: { path: string; code: string; message: string }[]; extra?: Record<string, unknown> };
  if (!e || typeof e.code !== 'string') throw err;
  const issues = e.issues ?? (e.extra?.errors as typeof e.issues) ?? [];
  if (issues.length) return issues.map((i) => ({ path: i.path.startsWith(path) ? i.path : `${path}${i.path}`, code: i.code, message: i.message, field }));
  const extra = e.extra ?? {};
  return [
    {
      path,
      code: e.code,
      message: e.message ?? e.code,
      field,
      ...(typeof extra.rowCount === 'number' ? { rowCount: extra.rowCount } : {}),
      ...(Array.isArray(extra.sampleIds) ? { sampleIds: extra.sampleIds as number[] } : {}),
    },
  ];
}

/** A revision as sent in `If-Match` (`"3"`, `W/"3"` or `3`) or a body: a whole number ≥ 0. */
export function parseRevisionOrThrow(raw: unknown, where: string): number {
  const text =
    typeof raw === 'number'
      ? String(raw)
      : typeof raw === 'string'
        ? raw
            .trim()
            .replace(/^W\//, '')
            .replace(/^"(.*)"$/, '$1')
        : '';
  if (!/^\d{1,9}$/.test(text)) {
    throw new AppError('INVALID_REQUEST', `${where} must be the draft revision you edited (a whole number), not ${JSON.stringify(String(raw)).slice(0, 30)}`, {
      errors: [{ path: where === 'If-Match' ? '/headers/if-match' : '/revision', code: 'invalid_type', message: 'a whole number ≥ 0' }],
    });
  }
  return Number(text);
}
