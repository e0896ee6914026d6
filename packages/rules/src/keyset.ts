import { FORBIDDEN_KEYS, isSafeFieldPath } from './condition-safety';
import { dateTimeToStorage } from './dates';
import { RulesError, RulesErrorCode } from './errors';
import { assertSafeColumn } from './sql-identifiers';
import type { ResolveField, SqlDialect, SqlFragment } from './types';

export const MAX_SORT_KEYS = 3;
export const MAX_CURSOR_LENGTH = 2000;
/** Sort key naming the record id; always sortable, also the implicit tie-breaker. */
export const RECORD_ID_KEY = 'id';
export const RECORD_ID_COLUMN = 'r.id';

export type SortDirection = 'asc' | 'desc';

export interface SortKey {
  key: string;
  column: string;
  dir: SortDirection;
}

/** One stored value of a sort column as carried in a cursor. */
export type CursorValue = string | number | null;

/**
 * Parses `-amount,name` (at most 3 keys, '-' = descending) into sort keys and appends the
 * tie-breaker `r.id` in the direction of the last key (DESC without a sort).
 */
export function compileSortOrThrow({ sort, resolveField }: { sort: string | null | undefined; resolveField: ResolveField }): SortKey[] {
  const keys: SortKey[] = [];
  if (sort !== null && sort !== undefined && typeof sort !== 'string') invalidSort('Sort must be text', {});
  const text = sort?.trim() ?? '';
  if (text.length > 0) {
    if (text.length > 200) invalidSort('Sort is too long', {});
    const parts = text.split(',');
    if (parts.length > MAX_SORT_KEYS) invalidSort(`Sort by at most ${MAX_SORT_KEYS} fields`, {});
    for (const raw of parts) {
      const part = raw.trim();
      const dir: SortDirection = part.startsWith('-') ? 'desc' : 'asc';
      const key = dir === 'desc' ? part.slice(1) : part;
      if (!isSafeFieldPath(key)) invalidSort('Sort keys are field keys (or relation.field), optionally prefixed by "-"', {});
      if (keys.some((k) => k.key === key)) invalidSort(`Field "${key}" appears twice in the sort`, { field: key });
      keys.push({ key, column: sortColumnOrThrow(key, resolveField), dir });
    }
  }
  if (!keys.some((k) => k.key === RECORD_ID_KEY)) {
    keys.push({ key: RECORD_ID_KEY, column: RECORD_ID_COLUMN, dir: keys.at(-1)?.dir ?? 'desc' });
  }
  return keys;
}

function sortColumnOrThrow(key: string, resolveField: ResolveField): string {
  if (key === RECORD_ID_KEY) return RECORD_ID_COLUMN;
  const field = resolveField(key);
  if (field === null || typeof field !== 'object') {
    throw new RulesError(RulesErrorCode.UNKNOWN_FIELD, `Unknown field "${key}"`, { field: key });
  }
  if (!field.sortable) invalidSort(`Field "${key}" cannot be sorted`, { field: key });
  assertSafeColumn(field.column, `field ${key}`);
  return field.column;
}

/** `ORDER BY` body; NULLs come first ascending and last descending on MySQL and SQLite alike. */
export function orderBySql(sortKeys: readonly SortKey[]): string {
  return sortKeys.map((k) => `${k.column} ${k.dir === 'desc' ? 'DESC' : 'ASC'}`).join(', ');
}

/** Canonical text of a sort, stored in cursors so a cursor only continues the list it came from. */
export function sortSignature(sortKeys: readonly SortKey[]): string {
  return sortKeys.map((k) => (k.dir === 'desc' ? '-' : '') + k.key).join(',');
}

/**
 * Opaque cursor after `row`, whose sort values are in storage form keyed by sort key
 * (`row[key]`, and `row.id` for the record id).
 */
export function encodeCursor({ sortKeys, row }: { sortKeys: readonly SortKey[]; row: Readonly<Record<string, unknown>> }): string {
  const rawId = toCursorValue(row[RECORD_ID_KEY], RECORD_ID_KEY);
  // Drivers may hand BIGINT ids over as strings.
  const id = typeof rawId === 'string' && /^[1-9]\d{0,15}$/.test(rawId) ? Number(rawId) : rawId;
  if (!isRecordId(id)) throw new Error('Cursor row needs a positive integer id');
  const v = sortKeys.filter((k) => k.key !== RECORD_ID_KEY).map((k) => toCursorValue(row[k.key], k.key));
  return toBase64Url(JSON.stringify({ s: sortSignature(sortKeys), v, id }));
}

/** Values of the cursor row aligned with `sortKeys` (the id at the id key's position). */
export function decodeCursorOrThrow({ cursor, sortKeys }: { cursor: string; sortKeys: readonly SortKey[] }): CursorValue[] {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) {
    invalidCursor('Cursor has an invalid length');
  }
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) invalidCursor('Cursor is not base64url');
  let payload: unknown;
  try {
    payload = JSON.parse(fromBase64Url(cursor));
  } catch {
    invalidCursor('Cursor is not readable');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) invalidCursor('Cursor is not readable');
  const keys = Object.keys(payload);
  if (keys.length !== 3 || keys.some((k) => FORBIDDEN_KEYS.has(k))) invalidCursor('Cursor is not readable');
  const { s, v, id } = payload as { s?: unknown; v?: unknown; id?: unknown };
  if (s !== sortSignature(sortKeys)) invalidCursor('Cursor belongs to a different sort');
  const valueKeys = sortKeys.filter((k) => k.key !== RECORD_ID_KEY);
  if (!Array.isArray(v) || v.length !== valueKeys.length || !v.every(isCursorValue)) {
    invalidCursor('Cursor values do not fit the sort');
  }
  if (!isRecordId(id)) invalidCursor('Cursor id is invalid');
  const values = [...(v as CursorValue[])];
  return sortKeys.map((k) => (k.key === RECORD_ID_KEY ? id : values.shift()!));
}

/**
 * WHERE fragment selecting rows strictly after the cursor row in `orderBySql(sortKeys)` order,
 * with NULL sorting lowest (first ascending, last descending). Same SQL on both dialects.
 */
export function compileKeysetOrThrow({
  sortKeys,
  cursorValues,
}: {
  sortKeys: readonly SortKey[];
  cursorValues: readonly CursorValue[];
  dialect: SqlDialect;
}): SqlFragment {
  if (cursorValues.length !== sortKeys.length || !cursorValues.every(isCursorValue)) {
    invalidCursor('Cursor values do not fit the sort');
  }
  const idAt = sortKeys.findIndex((k) => k.key === RECORD_ID_KEY);
  if (idAt < 0 || !isRecordId(cursorValues[idAt])) invalidCursor('Cursor id is invalid');
  // The id is unique: keys after it can never break a tie.
  const keys = sortKeys.slice(0, idAt + 1);
  const build = (i: number): SqlFragment => {
    const after = afterSql(keys[i]!, cursorValues[i]!);
    if (i === keys.length - 1) return after!;
    const equal = equalSql(keys[i]!.column, cursorValues[i]!);
    const rest = build(i + 1);
    const tie = { sql: `${equal.sql} AND ${rest.sql}`, params: [...equal.params, ...rest.params] };
    if (after === undefined) return { sql: `(${tie.sql})`, params: tie.params };
    return { sql: `(${after.sql} OR (${tie.sql}))`, params: [...after.params, ...tie.params] };
  };
  const predicate = build(0);
  const first = keys[0]!;
  const firstValue = cursorValues[0]!;
  if (keys.length > 1 && first.dir === 'asc' && firstValue !== null) {
    // Redundant lower bound so an index on the first sort column gives a range scan.
    return { sql: `${first.column} >= ? AND ${predicate.sql}`, params: [firstValue, ...predicate.params] };
  }
  return predicate;
}

/** Rows after `value` on this key alone; undefined when none can be (NULL is last descending). */
function afterSql(key: SortKey, value: CursorValue): SqlFragment | undefined {
  if (key.dir === 'asc') {
    return value === null ? { sql: `${key.column} IS NOT NULL`, params: [] } : { sql: `${key.column} > ?`, params: [value] };
  }
  if (value === null) return undefined;
  if (key.column === RECORD_ID_COLUMN) return { sql: `${key.column} < ?`, params: [value] };
  return { sql: `(${key.column} < ? OR ${key.column} IS NULL)`, params: [value] };
}

function equalSql(column: string, value: CursorValue): SqlFragment {
  return value === null ? { sql: `${column} IS NULL`, params: [] } : { sql: `${column} = ?`, params: [value] };
}

function toCursorValue(value: unknown, key: string): CursorValue {
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  // mysql2 without dateStrings hands DATETIME columns over as Date objects.
  if (value instanceof Date && !Number.isNaN(value.getTime())) return dateTimeToStorage(value.toISOString());
  throw new Error(`Cursor row has no storable value for sort key ${key}`);
}

function isCursorValue(value: unknown): value is CursorValue {
  if (typeof value === 'string') return value.length <= MAX_CURSOR_LENGTH;
  return value === null || (typeof value === 'number' && Number.isFinite(value));
}

function isRecordId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

function invalidSort(message: string, details: { field?: string }): never {
  throw new RulesError(RulesErrorCode.INVALID_SORT, message, details);
}

function invalidCursor(message: string): never {
  throw new RulesError(RulesErrorCode.INVALID_CURSOR, message);
}
