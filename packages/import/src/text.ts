import type { Cell } from './types';

// Matching is width-, case- and spacing-insensitive: NFKC folds full-width forms (Ａ１，) to
// their half-width ones (A1,) and the ideographic space to a space; then case is folded.

const SPACES = /[\s\u00a0\u3000]+/g;
/** Punctuation and symbols ignored when matching headers: `客户 名称*`, `Customer_Name:` … */
const HEADER_NOISE = /[\p{P}\p{S}\s]+/gu;

/** A cell or option text for matching: NFKC, trimmed, inner runs of space as one, lower case. */
export function matchKey(text: string): string {
  // NFKC changes nothing in ASCII, and costs most of the time here.
  const folded = NON_ASCII.test(text) ? text.normalize('NFKC') : text;
  return folded.replace(SPACES, ' ').trim().toLowerCase();
}

const NON_ASCII = /[\u0080-\uffff]/;

/** A header or label for matching: like matchKey, and without any punctuation, symbol or space. */
export function headerKey(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase().replace(HEADER_NOISE, '');
  return folded;
}

/** Spreadsheet letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** 'YYYY-MM-DD' of a Date's UTC calendar fields (how readers hand over spreadsheet dates). */
export function utcDateText(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** 'YYYY-MM-DD HH:MM:SS' (with '.mmm' when not zero) of a Date's UTC fields. */
export function utcDateTimeText(date: Date): string {
  const ms = date.getUTCMilliseconds();
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`;
  return `${utcDateText(date)} ${time}`;
}

/**
 * A cell as the text a person sees: strings as they are, numbers in full (no exponent for
 * integers up to 21 digits), booleans as TRUE/FALSE, dates as 'YYYY-MM-DD' or with the time
 * when it is not midnight; null as ''.
 */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return Number.isInteger(cell) && Math.abs(cell) < 1e21 ? cell.toFixed(0) : String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  const midnight = cell.getUTCHours() === 0 && cell.getUTCMinutes() === 0 && cell.getUTCSeconds() === 0 && cell.getUTCMilliseconds() === 0;
  return midnight ? utcDateText(cell) : utcDateTimeText(cell);
}

/** Whether a cell holds nothing (null or only spaces). */
export function isBlank(cell: Cell): boolean {
  // trim() takes every Unicode space, the ideographic and no-break ones included.
  return cell === null || (typeof cell === 'string' && cell.trim() === '');
}

/** Levenshtein distance, stopping early once it exceeds `max` (returns max + 1 then). */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      best = Math.min(best, cur[j]!);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}
