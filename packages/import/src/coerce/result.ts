import type { Cell, RowErrorCode } from '../types';

/**
 * Outcome of converting one cell: the API value, or a coded problem with message parameters.
 * A success is also the parsed cell (`t: 'value'`, see plan/parse.ts), so an import keeps it as
 * it is instead of allocating a second object per cell.
 */
export type Coerced = { ok: true; t: 'value'; value: unknown } | { ok: false; code: RowErrorCode; params?: Record<string, string> };

export const ok = (value: unknown): Coerced => ({ ok: true, t: 'value', value });
export const fail = (code: RowErrorCode, params?: Record<string, string>): Coerced => ({ ok: false, code, params });

/** How numbers and dates in text are written; chosen per import. */
export interface CoerceOptions {
  /** 'dot': 1,234.5 (default); 'comma': 1.234,5 or 1 234,5. */
  numberFormat: 'dot' | 'comma';
  /** Order of day, month, year in dates such as 03/04/2026; 'auto' accepts year-first dates only. */
  dateFormat: DateOrder | 'auto';
  /** IANA time zone of date-times written without an offset (the importing member's). */
  timeZone: string;
}

export const DATE_ORDERS = ['YMD', 'MDY', 'DMY'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];

export const DEFAULT_COERCE_OPTIONS: CoerceOptions = { numberFormat: 'dot', dateFormat: 'auto', timeZone: 'UTC' };

/**
 * First characters that make a spreadsheet read a cell as a formula (full-width forms too,
 * which some Excel input modes turn into the ASCII ones); exports prefix such text with an
 * apostrophe.
 */
export const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/**
 * A cell's text for parsing, trimmed; the apostrophe an export put before a formula-like text
 * ('=A1) is taken off again, so an exported file imports to the same values.
 */
export function cellString(cell: Cell): string {
  if (typeof cell !== 'string') return '';
  const start = cell.trimStart();
  return start[0] === "'" && FORMULA_TRIGGERS.includes(start[1] ?? '') ? start.slice(1).trimEnd() : start.trimEnd();
}
