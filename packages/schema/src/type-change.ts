import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv';
import { htmlToText, textToHtml } from './html';
import { fromDbOf, toDbOf, valueSchemaOf } from './field-types/typed-fields';
import type { FieldDefinition, FieldTypeKey } from './types';

const STRINGY: FieldTypeKey[] = ['text', 'textarea', 'email', 'phone', 'url', 'select', 'radio'];
const NUMERIC: FieldTypeKey[] = ['number', 'money', 'rating'];
const LISTY: FieldTypeKey[] = ['checkbox', 'multiselect'];
const LONG_TEXT: FieldTypeKey[] = ['text', 'textarea'];
const TEMPORAL: FieldTypeKey[] = ['date', 'datetime'];

/** Which type changes keep data (converted and checked); others are refused. */
export function typeChangeSupported(from: FieldTypeKey, to: FieldTypeKey): boolean {
  if (from === to) return true;
  // Rich text to and from plain text: its text out, paragraphs of escaped text in.
  if ((from === 'richtext' && LONG_TEXT.includes(to)) || (to === 'richtext' && LONG_TEXT.includes(from))) return true;
  const groups = [STRINGY, NUMERIC, LISTY, TEMPORAL];
  if (groups.some((g) => g.includes(from) && g.includes(to))) return true;
  if (STRINGY.includes(to) && (NUMERIC.includes(from) || TEMPORAL.includes(from) || from === 'switch')) return true;
  if (STRINGY.includes(from) && (NUMERIC.includes(to) || TEMPORAL.includes(to) || to === 'switch' || LISTY.includes(to))) return true;
  return false;
}

function coerce(from: FieldTypeKey, to: FieldTypeKey, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (from === 'richtext') return typeof value === 'string' ? htmlToText(value) : undefined;
  if (to === 'richtext') return typeof value === 'string' ? textToHtml(value) : undefined;
  if (STRINGY.includes(to)) return typeof value === 'string' ? value : String(value);
  if (NUMERIC.includes(to)) {
    if (typeof value === 'number') return value;
    const s = String(value).trim();
    return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : undefined;
  }
  if (to === 'date') return typeof value === 'string' ? (from === 'datetime' ? value.slice(0, 10) : value.trim()) : undefined;
  if (to === 'datetime') {
    if (typeof value !== 'string') return undefined;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return `${value.trim()}T00:00:00.000Z`;
    return value.trim();
  }
  if (to === 'switch') {
    const s = String(value).trim().toLowerCase();
    return ['true', '1', 'yes'].includes(s) ? true : ['false', '0', 'no'].includes(s) ? false : undefined;
  }
  if (LISTY.includes(to)) return Array.isArray(value) ? value : [String(value)];
  return undefined;
}

/** Converts stored values of one field definition into another's, checking each against the new type. */
export class ValueConverter {
  private readonly check: ValidateFunction;

  constructor(private readonly change: { from: FieldDefinition; to: FieldDefinition }) {
    const to = change.to;
    const schema = valueSchemaOf(to);
    this.check = createAjv().compile(schema);
  }

  /** Storage value in, storage value out; `undefined` when the value does not fit the new type. */
  convert(raw: unknown): unknown {
    const { from, to } = this.change;
    const apiValue = fromDbOf(from, raw);
    if (apiValue === null || apiValue === undefined) return null;
    const converted = coerce(from.type, to.type, apiValue);
    if (converted === undefined || !this.check(converted)) return undefined;
    return toDbOf(to, converted);
  }
}
