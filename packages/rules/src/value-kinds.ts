import type { Scalar } from './condition-ast';
import { canonicalDateTime, dateTimeToStorage, isIsoDate } from './dates';
import type { FilterOperator, ValueKind } from './types';

/** How "empty" is tested: NULL only, NULL or '', JSON array NULL or [], or no link rows. */
export type EmptyTest = 'null' | 'null-or-blank' | 'json-list' | 'link';

export type CanonicalValue = string | number | boolean;

export interface ValueKindSpec {
  /** Operators that make sense for the kind; a field may offer fewer. */
  operators: readonly FilterOperator[];
  /** Canonical API form of one filter value (for lists: one element), or undefined if it does not fit. */
  canonical(value: Scalar): CanonicalValue | undefined;
  /** Stored form of a canonical value when the field brings no `toDb`. */
  toDb(value: CanonicalValue): unknown;
  empty: EmptyTest;
  /** Completes "expected …" in error messages. */
  expected: string;
}

const ORDERED: readonly FilterOperator[] = ['==', '!=', '<', '<=', '>', '>=', 'between', 'in', 'is_empty', 'is_not_empty'];
const MEMBERSHIP: readonly FilterOperator[] = ['contains', 'is_empty', 'is_not_empty'];
const identity = (value: CanonicalValue): unknown => value;
const positiveId = (value: Scalar) => (Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : undefined);
const aString = (value: Scalar) => (typeof value === 'string' ? value : undefined);

/** One entry per value kind; a missing kind is a compile error. */
export const VALUE_KINDS: Readonly<Record<ValueKind, ValueKindSpec>> = {
  string: {
    operators: [...ORDERED, 'contains', 'starts_with'],
    canonical: aString,
    toDb: identity,
    empty: 'null-or-blank',
    expected: 'a string',
  },
  number: {
    operators: ORDERED,
    canonical: (value) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined),
    toDb: identity,
    empty: 'null',
    expected: 'a number',
  },
  boolean: {
    operators: ['==', '!=', 'is_empty', 'is_not_empty'],
    canonical: (value) => (typeof value === 'boolean' ? value : undefined),
    toDb: (value) => (value ? 1 : 0),
    empty: 'null',
    expected: 'true or false',
  },
  date: {
    operators: [...ORDERED, 'date_range'],
    canonical: (value) => (isIsoDate(value) ? value : undefined),
    toDb: identity,
    empty: 'null',
    expected: 'a date written YYYY-MM-DD',
  },
  datetime: {
    operators: [...ORDERED, 'date_range'],
    canonical: (value) => canonicalDateTime(value),
    toDb: (value) => dateTimeToStorage(value as string),
    empty: 'null',
    expected: 'an ISO 8601 date-time with a zone, e.g. 2026-01-31T09:30:00Z',
  },
  id: {
    // Ordered too: record ids grow with creation, so `id > n` pages and ranges make sense;
    // relation fields still offer only ==, !=, in and emptiness through their own list.
    operators: ORDERED,
    canonical: positiveId,
    toDb: identity,
    empty: 'null',
    expected: 'a record id (positive integer)',
  },
  'string-list': {
    operators: MEMBERSHIP,
    canonical: aString,
    toDb: identity,
    empty: 'json-list',
    expected: 'a string',
  },
  'id-list': {
    operators: MEMBERSHIP,
    canonical: positiveId,
    toDb: identity,
    empty: 'link',
    expected: 'a record id (positive integer)',
  },
  'object-list': {
    operators: [],
    canonical: () => undefined,
    toDb: identity,
    empty: 'null',
    expected: 'nothing: subform rows cannot be filtered',
  },
  object: {
    operators: ['is_empty', 'is_not_empty'],
    canonical: () => undefined,
    toDb: identity,
    empty: 'null',
    expected: 'nothing: only is_empty and is_not_empty apply',
  },
  html: {
    operators: ['contains', 'is_empty', 'is_not_empty'],
    // Long needles would make the text-matching pattern (see htmlContainsPattern) needlessly slow.
    canonical: (value) => (typeof value === 'string' && value.length <= 200 ? value : undefined),
    toDb: identity,
    empty: 'null-or-blank',
    expected: 'a string of at most 200 characters',
  },
  region: {
    operators: ['in_region', 'is_empty', 'is_not_empty'],
    canonical: (value) => (typeof value === 'string' && /^\d{6}$/.test(value) ? value : undefined),
    toDb: identity,
    empty: 'null',
    expected: 'a six-digit region code (province, city or district), e.g. "440300"',
  },
};

/**
 * The stored prefix of every address inside a region: GB/T 2260 codes are hierarchical
 * (PPCCDD), so a province keeps 2 digits, a city 4 and a district all 6.
 */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * A regular expression (valid in JavaScript and MariaDB/MySQL) that matches sanitised HTML
 * whose text holds `needle`: it starts in a text run (after a tag or at the start) on a whole
 * character or entity, may cross
 * tags between characters, and folds ASCII case as LIKE does. The server's sanitiser escapes
 * `<` and `>` in text and attributes, so they only ever delimit tags.
 */
export function htmlContainsPattern(needle: string): string {
  const chars = [...needle.replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!)];
  const parts = chars.map((c) => {
    if (/[a-z]/i.test(c)) return `[${c.toLowerCase()}${c.toUpperCase()}]`;
    return /[\\^$.|?*+()[\]{}/-]/.test(c) ? `\\${c}` : c;
  });
  // Whole characters or entities before the needle, so it never starts inside `&amp;`.
  return `(^|>)([^<&]|&[#a-zA-Z0-9]+;)*${parts.join('(<[^>]*>)*')}`;
}

/** The text of sanitised HTML: tags dropped, the sanitiser's entities decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|quot|#39|nbsp|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: '\u00a0', amp: '&' })[e]!);
}
