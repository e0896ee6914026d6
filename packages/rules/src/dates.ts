/** Calendar helpers in UTC; dates are 'YYYY-MM-DD', day numbers count days since 1970-01-01. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

export const RELATIVE_DATE_RANGES = [
  'today',
  'yesterday',
  'tomorrow',
  'this_week',
  'last_week',
  'next_week',
  'this_month',
  'last_month',
  'next_month',
  'this_year',
  'last_year',
  'last_7_days',
  'last_30_days',
  'next_7_days',
  'next_30_days',
] as const;
export type RelativeDateRange = (typeof RELATIVE_DATE_RANGES)[number];

/** Inclusive bounds in 'YYYY-MM-DD'; null means open. */
export interface DateBounds {
  from: string | null;
  to: string | null;
}

export function isRelativeDateRange(value: unknown): value is RelativeDateRange {
  return typeof value === 'string' && (RELATIVE_DATE_RANGES as readonly string[]).includes(value);
}

/** Whether `value` is a real calendar date written 'YYYY-MM-DD'. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Canonical `toISOString()` form of an ISO 8601 date-time with zone, or undefined. */
export function canonicalDateTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE_TIME.exec(value);
  if (m === null || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return undefined;
  const canonical = new Date(time).toISOString();
  // An offset can push the instant outside years 0000-9999, where the form stops sorting as text.
  return canonical.length === 24 ? canonical : undefined;
}

/** 'YYYY-MM-DDTHH:MM:SS.mmmZ' → 'YYYY-MM-DD HH:MM:SS.mmm', the stored datetime form. */
export function dateTimeToStorage(canonical: string): string {
  return `${canonical.slice(0, 10)} ${canonical.slice(11, 23)}`;
}

export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Inclusive bounds of a relative range at `now` (UTC; weeks start on Monday). */
export function relativeDateBounds(range: RelativeDateRange, now: Date): { from: string; to: string } {
  const today = Math.floor(now.getTime() / DAY_MS);
  const days = (from: number, to: number) => ({ from: dateOfDay(from), to: dateOfDay(to) });
  const monday = today - ((now.getUTCDay() + 6) % 7);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const months = (offset: number) => {
    const first = Date.UTC(year, month + offset, 1) / DAY_MS;
    return days(first, Date.UTC(year, month + offset + 1, 1) / DAY_MS - 1);
  };
  const years = (offset: number) => days(Date.UTC(year + offset, 0, 1) / DAY_MS, Date.UTC(year + offset + 1, 0, 1) / DAY_MS - 1);
  const ranges: Record<RelativeDateRange, () => { from: string; to: string }> = {
    today: () => days(today, today),
    yesterday: () => days(today - 1, today - 1),
    tomorrow: () => days(today + 1, today + 1),
    this_week: () => days(monday, monday + 6),
    last_week: () => days(monday - 7, monday - 1),
    next_week: () => days(monday + 7, monday + 13),
    this_month: () => months(0),
    last_month: () => months(-1),
    next_month: () => months(1),
    this_year: () => years(0),
    last_year: () => years(-1),
    last_7_days: () => days(today - 6, today),
    last_30_days: () => days(today - 29, today),
    next_7_days: () => days(today, today + 6),
    next_30_days: () => days(today, today + 29),
  };
  return ranges[range]();
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
