import dayjs, { type Dayjs } from 'dayjs';

export type CalendarMode = 'month' | 'week';
export type CalendarFieldType = 'date' | 'datetime';

const DAY = 'YYYY-MM-DD';

/** The first day of the week: Monday in Chinese, Sunday in English. */
export const weekStartOf = (language: string): 0 | 1 => (language.startsWith('en') ? 0 : 1);

/** The first day of the week holding `day` (local time). */
export function startOfWeek({ day, weekStart }: { day: Dayjs; weekStart: 0 | 1 }): Dayjs {
  const back = (day.day() - weekStart + 7) % 7;
  return day.startOf('day').subtract(back, 'day');
}

/**
 * The days the view shows, in the member's time zone: a week, or the month's six-week grid
 * (from the week holding the 1st, 42 days).
 */
export function visibleDays({ anchor, mode, weekStart }: { anchor: Dayjs; mode: CalendarMode; weekStart: 0 | 1 }): Dayjs[] {
  const first = startOfWeek({ day: mode === 'month' ? anchor.startOf('month') : anchor, weekStart });
  return Array.from({ length: mode === 'month' ? 42 : 7 }, (_, i) => first.add(i, 'day'));
}

/**
 * The list filter of the visible days: a date field by its day text (a date has no time zone, so
 * it never shifts a day), a date-time by the instants of the first day's local midnight and the
 * one after the last day.
 */
export function rangeFilter({ field, type, days }: { field: string; type: CalendarFieldType; days: Dayjs[] }): unknown {
  const from = days[0]!.startOf('day');
  const to = days[days.length - 1]!.startOf('day').add(1, 'day');
  const [lo, hi] = type === 'date' ? [from.format(DAY), to.format(DAY)] : [from.toISOString(), to.toISOString()];
  return { and: [{ '>=': [{ var: field }, lo] }, { '<': [{ var: field }, hi] }] };
}

/** The local day a value falls on (`YYYY-MM-DD`), or null without a value. */
export function dayKeyOf({ type, value }: { type: CalendarFieldType; value: unknown }): string | null {
  if (typeof value !== 'string' || !value) return null;
  if (type === 'date') return value.slice(0, 10);
  const d = dayjs(value);
  return d.isValid() ? d.format(DAY) : null;
}

/** The local hour (0–23) a date-time falls in. */
export function hourOf(value: unknown): number | null {
  if (typeof value !== 'string' || !value) return null;
  const d = dayjs(value);
  return d.isValid() ? d.hour() : null;
}

/**
 * The value after a drop on `toDay` (and an hour slot of the week view): a date becomes that
 * day; a date-time keeps its local time of day (or its minutes, on an hour slot) on that day.
 */
export function movedValue({ type, value, toDay, toHour }: { type: CalendarFieldType; value: unknown; toDay: string; toHour?: number }): string {
  if (type === 'date') return toDay;
  const [y, m, d] = toDay.split('-').map(Number) as [number, number, number];
  const old = typeof value === 'string' && dayjs(value).isValid() ? dayjs(value) : dayjs(toDay).hour(9);
  let next = old
    .year(y)
    .month(m - 1)
    .date(d);
  if (toHour !== undefined) next = next.hour(toHour);
  return next.toISOString();
}

export const dayKey = (d: Dayjs) => d.format(DAY);
