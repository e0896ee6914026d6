import { excelSerialToDate, MAX_EXCEL_SERIAL } from '../excel-serial';
import type { Cell } from '../types';
import { type CoerceOptions, type Coerced, cellString, type DateOrder, DATE_ORDERS, fail, ok } from './result';
import { instantToWall, wallToInstant } from './timezone';

/** A date and time as written: calendar fields, and the offset when the text gave one. */
export interface WallTime {
  /** Epoch milliseconds of the wall-clock fields read as UTC. */
  wall: number;
  hasTime: boolean;
  /** Minutes ahead of UTC the text said (Z: 0), or null. */
  offset: number | null;
}

type Parsed = { ok: true; time: WallTime } | { ok: false; code: 'invalid_date' | 'ambiguous_date' };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const YEAR_FIRST = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/;
/** The ISO date alone, as exports and most systems write it: parsed without folding or the other patterns. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const NON_ASCII = /[\u0080-\uffff]/;
const NUMERIC_DMY = /^(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})/;
const DAY_MONTH_NAME = /^(\d{1,2})[-\s]+([A-Za-z]{3,9})\.?[-\s,]+(\d{4})/;
const MONTH_NAME_DAY = /^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})/;
const TIME =
  /^(?:[Tt]|\s+)?\s*(上午|下午|凌晨|早上|中午|晚上)?\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp][Mm])?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;

function monthOf(name: string): number | undefined {
  const at = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  const full = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'][at];
  return at >= 0 && (name.length === 3 || name.toLowerCase() === full || (at === 8 && name.toLowerCase() === 'sept')) ? at + 1 : undefined;
}

/** Epoch ms of a real calendar date (UTC fields), or null (2026-02-30, month 13…). */
export function calendarMillis(y: number, m: number, d: number): number | null {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date.getTime() : null;
}

function offsetOf(zone: string | undefined): number | null {
  if (!zone) return null;
  if (/^(z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** The time of day after a date, or null when the rest is not a time. */
function timeOf(rest: string): { ms: number; offset: number | null } | null | 'none' {
  if (rest.trim() === '') return 'none';
  const m = TIME.exec(rest);
  if (!m) return null;
  let hour = Number(m[2]);
  const meridiem = (m[6] ?? '').toLowerCase() || (m[1] ? (['下午', '晚上'].includes(m[1]) ? 'pm' : m[1] === '中午' ? 'noon' : 'am') : '');
  if (meridiem && (hour < 1 || hour > 12)) return null;
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (meridiem === 'noon' && hour < 11) hour += 12;
  const minute = Number(m[3]);
  const second = Number(m[4] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = Number((m[5] ?? '').padEnd(3, '0').slice(0, 3));
  return { ms: ((hour * 60 + minute) * 60 + second) * 1000 + ms, offset: offsetOf(m[7]) };
}

/** Year, month, day and the rest of the text, by the patterns and the chosen order. */
function dateFields(text: string, order: DateOrder | 'auto'): { y: number; m: number; d: number; rest: string } | 'ambiguous' | null {
  let m = YEAR_FIRST.exec(text) ?? COMPACT.exec(text);
  if (m) return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), rest: text.slice(m[0].length) };
  if ((m = DAY_MONTH_NAME.exec(text))) {
    const month = monthOf(m[2]!);
    return month ? { y: Number(m[3]), m: month, d: Number(m[1]), rest: text.slice(m[0].length) } : null;
  }
  if ((m = MONTH_NAME_DAY.exec(text))) {
    const month = monthOf(m[1]!);
    return month ? { y: Number(m[3]), m: month, d: Number(m[2]), rest: text.slice(m[0].length) } : null;
  }
  if ((m = NUMERIC_DMY.exec(text))) {
    if (order === 'auto') return 'ambiguous';
    if (order === 'YMD') return null;
    const [a, b] = [Number(m[1]), Number(m[3])];
    return { y: Number(m[4]), m: order === 'MDY' ? a : b, d: order === 'MDY' ? b : a, rest: text.slice(m[0].length) };
  }
  return null;
}

/** A date or date-time written as text, in ISO, year-first, day/month/year by `order`, or with an English month name. */
export function parseWallTime(text: string, order: DateOrder | 'auto'): Parsed {
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const day = calendarMillis(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return day === null ? { ok: false, code: 'invalid_date' } : { ok: true, time: { wall: day, hasTime: false, offset: null } };
  }
  // NFKC changes nothing in ASCII text (most dates): only other text is folded.
  const folded = (NON_ASCII.test(text) ? text.normalize('NFKC') : text).trim();
  const fields = dateFields(folded, order);
  if (fields === 'ambiguous') return { ok: false, code: 'ambiguous_date' };
  if (!fields) return { ok: false, code: 'invalid_date' };
  const day = calendarMillis(fields.y, fields.m, fields.d);
  const time = timeOf(fields.rest);
  if (day === null || time === null) return { ok: false, code: 'invalid_date' };
  if (time === 'none') return { ok: true, time: { wall: day, hasTime: false, offset: null } };
  return { ok: true, time: { wall: day + time.ms, hasTime: true, offset: time.offset } };
}

/** Date orders under which every value seen parses, for a column's hint (`ambiguous` values narrow nothing). */
export function fittingDateOrders(text: string): DateOrder[] {
  return DATE_ORDERS.filter((order) => parseWallTime(text, order).ok);
}

/** A cell's date and time: date cells and Excel serials as wall-clock times, text parsed. */
function wallTimeOf(cell: Cell, order: DateOrder | 'auto'): Parsed {
  if (cell instanceof Date)
    return { ok: true, time: { wall: cell.getTime(), hasTime: ((cell.getTime() % 86_400_000) + 86_400_000) % 86_400_000 !== 0, offset: null } };
  let serial: number | undefined = typeof cell === 'number' ? cell : undefined;
  const text = cellString(cell);
  if (serial === undefined && /^\d{1,7}(\.\d+)?$/.test(text) && !COMPACT.test(text)) serial = Number(text);
  if (serial !== undefined) {
    const date = serial < MAX_EXCEL_SERIAL ? excelSerialToDate(serial) : null;
    return date ? { ok: true, time: { wall: date.getTime(), hasTime: !Number.isInteger(serial), offset: null } } : { ok: false, code: 'invalid_date' };
  }
  if (typeof cell !== 'string') return { ok: false, code: 'invalid_date' };
  return parseWallTime(text, order);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The number the ASCII digits text[from, to) write (callers checked they are digits). */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

const isDigit = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
};

const ISO_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];

/** ISO_DATE's test (`YYYY-MM-DD` and nothing else), by character. */
function isIsoDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  for (let k = 0; k < ISO_DIGITS.length; k++) if (!isDigit(text, ISO_DIGITS[k]!)) return false;
  return true;
}

function dateText(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A date field's value 'YYYY-MM-DD'; a date-time with an offset is taken as its date in the import's time zone. */
export function coerceDate(cell: Cell, opts: CoerceOptions): Coerced {
  // An ISO date as written is the value itself once its calendar day is real (no Date, no text built, no match array).
  if (typeof cell === 'string' && isIsoDate(cell))
    return calendarMillis(digits(cell, 0, 4), digits(cell, 5, 7), digits(cell, 8, 10)) === null ? fail('invalid_date') : ok(cell);
  const parsed = wallTimeOf(cell, opts.dateFormat);
  if (!parsed.ok) return fail(parsed.code);
  const { wall, offset } = parsed.time;
  const local = offset === null ? wall : instantToWall({ instant: wall - offset * 60_000, timeZone: opts.timeZone });
  return ok(dateText(local));
}

const YEAR_10000 = Date.UTC(10000, 0, 1);

/** A date-time field's value (ISO 8601, UTC): times without an offset are in the import's time zone; a date alone is its midnight. */
export function coerceDateTime(cell: Cell, opts: CoerceOptions): Coerced {
  const parsed = wallTimeOf(cell, opts.dateFormat);
  if (!parsed.ok) return fail(parsed.code === 'invalid_date' ? 'invalid_datetime' : parsed.code);
  const { wall, offset } = parsed.time;
  const instant = offset === null ? wallToInstant({ wall, timeZone: opts.timeZone }) : wall - offset * 60_000;
  if (!(instant < YEAR_10000) || new Date(instant).getUTCFullYear() < 1) return fail('invalid_datetime');
  return ok(new Date(instant).toISOString());
}
