import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { dayKeyOf, movedValue, rangeFilter, visibleDays, weekStartOf } from './calendar-range';

// The web project runs its unit tests with TZ set by the caller; these hold in any time zone.
describe('calendar range', () => {
  it('shows a six-week month grid from the week holding the 1st, by the language’s first weekday', () => {
    const april = dayjs('2026-04-15');
    const zh = visibleDays({ anchor: april, mode: 'month', weekStart: weekStartOf('zh-CN') });
    expect(zh).toHaveLength(42);
    expect(zh[0]!.format('YYYY-MM-DD ddd')).toBe('2026-03-30 Mon');
    const en = visibleDays({ anchor: april, mode: 'month', weekStart: weekStartOf('en') });
    expect(en[0]!.format('YYYY-MM-DD ddd')).toBe('2026-03-29 Sun');
    expect(visibleDays({ anchor: april, mode: 'week', weekStart: 1 }).map((d) => d.format('DD'))).toEqual(['13', '14', '15', '16', '17', '18', '19']);
  });

  it('asks a date field for day texts and a date-time field for the local midnights as instants', () => {
    const days = visibleDays({ anchor: dayjs('2026-04-15'), mode: 'week', weekStart: 1 });
    expect(rangeFilter({ field: 'due', type: 'date', days })).toEqual({
      and: [{ '>=': [{ var: 'due' }, '2026-04-13'] }, { '<': [{ var: 'due' }, '2026-04-20'] }],
    });
    const f = rangeFilter({ field: 'at', type: 'datetime', days }) as { and: { [op: string]: [unknown, string] }[] };
    expect(dayjs(f.and[0]!['>=']![1]).format('YYYY-MM-DD HH:mm')).toBe('2026-04-13 00:00');
    expect(dayjs(f.and[1]!['<']![1]).format('YYYY-MM-DD HH:mm')).toBe('2026-04-20 00:00');
  });

  it('never shifts a date by the time zone, and keeps a date-time’s local time when moved', () => {
    expect(dayKeyOf({ type: 'date', value: '2026-04-01' })).toBe('2026-04-01');
    const at = dayjs('2026-04-01 23:30').toISOString();
    expect(dayKeyOf({ type: 'datetime', value: at })).toBe('2026-04-01');
    expect(movedValue({ type: 'date', value: '2026-04-01', toDay: '2026-04-09' })).toBe('2026-04-09');
    expect(dayjs(movedValue({ type: 'datetime', value: at, toDay: '2026-04-09' })).format('YYYY-MM-DD HH:mm')).toBe('2026-04-09 23:30');
    expect(dayjs(movedValue({ type: 'datetime', value: at, toDay: '2026-04-09', toHour: 8 })).format('YYYY-MM-DD HH:mm')).toBe('2026-04-09 08:30');
  });
});
