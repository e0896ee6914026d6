import { decimalPlacesOf, roundToPlaces } from '@crm/schema';
import type { Cell } from '../types';
import { type Coerced, cellString, fail, ok } from './result';

/** Currency signs around amounts, with the currencies each may stand for. */
const CURRENCY_SIGNS: [string, string[]][] = [
  ['人民币', ['CNY']],
  ['元', ['CNY']],
  ['US$', ['USD']],
  ['HK$', ['HKD']],
  ['¥', ['CNY', 'JPY']],
  ['$', ['USD', 'HKD', 'TWD', 'SGD', 'AUD', 'CAD', 'NZD', 'MXN']],
  ['€', ['EUR']],
  ['£', ['GBP']],
];
/** An ISO 4217 code before or after the digits: 'CNY 100', '100USD'. */
const CURRENCY_CODE = /^([A-Za-z]{3})\s*(?=[\d.,(+-])|(?<=[\d.)%])\s*([A-Za-z]{3})$/;

const DOT_NUMBER = /^\d{1,3}(?:([, \u00a0\u202f])\d{3}(?:\1\d{3})*)?(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$/;
const COMMA_NUMBER = /^\d{1,3}(?:([. \u00a0\u202f'])\d{3}(?:\1\d{3})*)?(?:,\d+)?$|^\d+(?:,\d+)?$|^,\d+$/;
const EXPONENT = /^\d+(?:\.\d+)?[eE][+-]?\d+$/;
/** Digits, an optional minus and decimal point and nothing else: read the same under either format (no separator to tell). */
const PLAIN_DOT = /^-?\d{1,15}(?:\.\d{1,15})?$/;
const PLAIN_INTEGER = /^-?\d{1,15}$/;
/** `1,5` or `12,50` read with a dot format: most likely a decimal comma. */
const LOOKS_DECIMAL_COMMA = /^\d+,\d{1,2}$/;

export interface ParsedNumber {
  value: number;
  percent: boolean;
  /** Currencies the text named or implied (a sign stands for several), if any. */
  currencies: string[] | null;
}

interface Decorated {
  text: string;
  negative: boolean;
  percent: boolean;
  scale: number;
  currencies: string[] | null;
}

function takeCurrency(d: Decorated): void {
  const code = CURRENCY_CODE.exec(d.text);
  if (code) {
    const c = (code[1] ?? code[2])!.toUpperCase();
    d.currencies = [c === 'RMB' ? 'CNY' : c];
    d.text = d.text.replace(code[0], '').trim();
    return;
  }
  for (const [sign, currencies] of CURRENCY_SIGNS) {
    if (d.text.startsWith(sign)) d.text = d.text.slice(sign.length).trim();
    else if (d.text.endsWith(sign)) d.text = d.text.slice(0, -sign.length).trim();
    else continue;
    d.currencies = currencies;
    return;
  }
}

function takeSign(d: Decorated): void {
  if (/^[+-]/.test(d.text)) {
    d.negative = d.negative !== (d.text[0] === '-');
    d.text = d.text.slice(1).trim();
  }
}

/** Sign, accounting parentheses, currency, percent and 万/亿 around the digits. */
function takeDecorations(raw: string): Decorated {
  const d: Decorated = { text: raw.replace(/\u2212/g, '-'), negative: false, percent: false, scale: 1, currencies: null };
  if (/^\(.*\)$/.test(d.text)) {
    d.negative = true;
    d.text = d.text.slice(1, -1).trim();
  }
  takeSign(d);
  takeCurrency(d);
  if (d.currencies) takeSign(d); // $-3 as well as -$3
  if (d.text.endsWith('%')) {
    d.percent = true;
    d.text = d.text.slice(0, -1).trim();
  }
  const unit = d.text.endsWith('万') ? 1e4 : d.text.endsWith('亿') ? 1e8 : 1;
  if (unit !== 1) {
    d.scale = unit;
    d.text = d.text.slice(0, -1).trim();
  }
  return d;
}

/** Scales by a power of ten through the decimal text, so 1.1 × 10⁴ is 11000, not 11000.000000000002. */
function scaleExactly(value: number, scale: number): number {
  return scale === 1 ? value : Number((value * scale).toPrecision(15));
}

/**
 * A number from a cell: numbers as they are; text with thousands separators (1,234.5 with the
 * 'dot' format, 1.234,5 or 1 234,5 with 'comma'), a sign or accounting parentheses, a percent
 * sign (12.5% is 0.125), 万/亿 multipliers, currency signs and ISO codes around it.
 */
export function parseNumber(cell: Cell, format: 'dot' | 'comma'): { ok: true; parsed: ParsedNumber } | { ok: false; coerced: Coerced } {
  if (typeof cell === 'number')
    return Number.isFinite(cell) ? { ok: true, parsed: { value: cell, percent: false, currencies: null } } : { ok: false, coerced: fail('invalid_number') };
  if (typeof cell !== 'string') return { ok: false, coerced: fail('invalid_number') };
  // Most cells are plain digits: no decoration, no NFKC, no separators to take out (-0 still becomes 0).
  if (format === 'dot' ? PLAIN_DOT.test(cell) : PLAIN_INTEGER.test(cell))
    return { ok: true, parsed: { value: Number(cell) + 0, percent: false, currencies: null } };
  const { text, negative, percent, scale, currencies } = takeDecorations(cellString(cell).normalize('NFKC'));
  let value: number | undefined;
  if (format === 'dot' && (DOT_NUMBER.test(text) || EXPONENT.test(text))) value = Number(text.replace(/[, \u00a0\u202f]/g, ''));
  else if (format === 'comma' && COMMA_NUMBER.test(text)) value = Number(text.replace(/[. \u00a0\u202f']/g, '').replace(',', '.'));
  if (value === undefined || !Number.isFinite(value)) {
    return { ok: false, coerced: fail(format === 'dot' && LOOKS_DECIMAL_COMMA.test(text) ? 'decimal_comma' : 'invalid_number') };
  }
  const signed = scaleExactly(negative ? -value : value, scale);
  return { ok: true, parsed: { value: signed + 0, percent, currencies } };
}

/**
 * A number for a number or money field: parsed, percent applied (unless the field's unit is
 * '%'), checked against the precision (a spreadsheet's float noise such as 0.30000000000000004
 * is rounded away; real extra decimals are refused), the bounds and the column's limit.
 */
export function coerceDecimal(args: {
  cell: Cell;
  format: 'dot' | 'comma';
  precision: number;
  min?: number;
  max?: number;
  limit: number;
  unit?: string;
  currency?: string;
}): Coerced {
  let value: number;
  const cell = args.cell;
  // Plain digits (most cells) as parseNumber reads them, without its result objects: no percent, no currency.
  if (typeof cell === 'string' && (args.format === 'dot' ? PLAIN_DOT : PLAIN_INTEGER).test(cell)) value = Number(cell) + 0;
  else {
    const parsed = parseNumber(cell, args.format);
    if (!parsed.ok) return parsed.coerced;
    const { percent, currencies } = parsed.parsed;
    if (args.currency && currencies && !currencies.includes(args.currency))
      return { ok: false, code: 'invalid_number', params: { reason: 'currency', currency: args.currency } };
    value = percent && args.unit !== '%' ? Number((parsed.parsed.value / 100).toPrecision(15)) : parsed.parsed.value;
  }
  if (decimalPlacesOf(value) > args.precision) {
    const rounded = roundToPlaces(value, args.precision);
    const noise = typeof args.cell === 'number' && Math.abs(rounded - value) <= 1e-9 * Math.max(1, Math.abs(value));
    if (!noise) return fail('too_many_decimals', { precision: String(args.precision) });
    value = rounded;
  }
  if (!(Math.abs(value) < args.limit)) return fail('out_of_range', { min: String(-args.limit), max: String(args.limit) });
  if ((args.min !== undefined && value < args.min) || (args.max !== undefined && value > args.max)) {
    return fail('out_of_range', { min: args.min === undefined ? '' : String(args.min), max: args.max === undefined ? '' : String(args.max) });
  }
  return ok(value);
}
