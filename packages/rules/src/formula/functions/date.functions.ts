import { shiftDate, type TypeVerdict } from '../operators';
import {
  dateFromDay,
  dateTimeFromMs,
  dayOf,
  DAY_MS,
  FormulaFault,
  invalid,
  outOfRange,
  toDateValue,
  toDecimal,
  toInteger,
  type DateValue,
  type EvaluationContext,
  type RuntimeValue,
} from '../runtime';
import type { FormulaType } from '../types';
import type { FormulaFunctionDefinition } from './definition';

const blank = (value: unknown) => value === null || value === undefined || value === '';

function clock(context: EvaluationContext, name: string): Date | FormulaFault {
  const { now } = context;
  if (now === undefined || !(now instanceof Date) || Number.isNaN(now.getTime())) {
    return invalid(`${name}() needs a valid time of evaluation (evaluateFormula's now)`);
  }
  return dateTimeFromMs(now.getTime()) instanceof FormulaFault ? outOfRange(`${name}(): the time of evaluation is out of range`) : now;
}

/** A date argument, or null for a blank (date functions give blank for blank). */
function dateArg(value: unknown): DateValue | null | FormulaFault {
  return blank(value) ? null : toDateValue(value);
}

function datePart(part: (date: Date) => number) {
  return ([value]: readonly unknown[]): RuntimeValue => {
    const date = dateArg(value);
    if (date === null || date instanceof FormulaFault) return date;
    return part(new Date(date.kind === 'date' ? date.day * DAY_MS : date.ms));
  };
}

/** Day number of 1 January of a year, built without Date.UTC's 0–99 → 1900s mapping. */
function dayOfYearStart(year: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, 0, 1);
  return Math.floor(date.getTime() / DAY_MS);
}

/** Excel's WEEKNUM: 1 Sunday-first, 2 and 11 Monday-first, 12–17 Tuesday…Sunday-first, 21 ISO 8601. */
function weekNumber(day: number, type: number): number | FormulaFault {
  const weekday = (d: number) => (((d + 4) % 7) + 7) % 7; // 0 = Sunday; day 0 was a Thursday
  const year = new Date(day * DAY_MS).getUTCFullYear();
  if (type === 21) {
    const thursday = day - ((weekday(day) + 6) % 7) + 3;
    const isoYear = new Date(thursday * DAY_MS).getUTCFullYear();
    return Math.floor((thursday - dayOfYearStart(isoYear)) / 7) + 1;
  }
  const firstWeekday = type === 1 ? 0 : type === 2 ? 1 : type >= 11 && type <= 17 ? (type - 10) % 7 : undefined;
  if (firstWeekday === undefined) return invalid('WEEKNUM type must be 1, 2, 11 to 17 or 21');
  const start = dayOfYearStart(year);
  const offset = (weekday(start) - firstWeekday + 7) % 7;
  return Math.floor((day - start + offset) / 7) + 1;
}

function dateType(types: readonly FormulaType[]): TypeVerdict {
  return types.length > 3 ? 'datetime' : 'date';
}

function shiftedType(types: readonly FormulaType[]): TypeVerdict {
  return types[0] === 'datetime' ? 'datetime' : types[0] === 'date' ? 'date' : 'any';
}

export const DATE_FUNCTIONS = {
  TODAY: {
    name: 'TODAY',
    category: 'date',
    params: [],
    minArgs: 0,
    maxArgs: 0,
    result: 'date',
    implementation: (_args, context) => {
      const now = clock(context, 'TODAY');
      return now instanceof FormulaFault ? now : now.toISOString().slice(0, 10);
    },
    docs: {
      en: { signature: 'TODAY()', description: 'The current date (UTC) at the time of evaluation.' },
      'zh-CN': { signature: 'TODAY()', description: '计算时的当前日期（UTC）。' },
    },
    examples: [{ formula: 'TODAY()', result: '2026-03-18' }],
  },
  NOW: {
    name: 'NOW',
    category: 'date',
    params: [],
    minArgs: 0,
    maxArgs: 0,
    result: 'datetime',
    implementation: (_args, context) => {
      const now = clock(context, 'NOW');
      return now instanceof FormulaFault ? now : now.toISOString();
    },
    docs: {
      en: { signature: 'NOW()', description: 'The current date and time (UTC, ISO 8601) at the time of evaluation.' },
      'zh-CN': { signature: 'NOW()', description: '计算时的当前日期和时间（UTC，ISO 8601 格式）。' },
    },
    examples: [{ formula: 'NOW()', result: '2026-03-18T10:00:00.000Z' }],
  },
  DATE: {
    name: 'DATE',
    category: 'date',
    params: ['number', 'number', 'number', 'number', 'number', 'number'],
    minArgs: 3,
    maxArgs: 6,
    result: dateType,
    implementation: (args) => {
      const parts: number[] = [];
      for (const arg of args) {
        const part = toInteger(arg);
        if (part instanceof FormulaFault) return part;
        parts.push(part);
      }
      const [year, month, day, hours = 0, minutes = 0, seconds = 0] = parts as [number, number, number, ...number[]];
      if (Math.abs(year) > 100_000 || parts.some((part) => Math.abs(part) > 1e9)) return invalid('A date part is far out of range');
      // Like spreadsheets, parts overflow into the next unit: DATE(2026, 13, 1) is 2027-01-01.
      const date = new Date(0);
      date.setUTCFullYear(year, month - 1, day);
      date.setUTCHours(hours, minutes, seconds, 0);
      const ms = date.getTime();
      return args.length > 3 ? dateTimeFromMs(ms) : dateFromDay(Math.floor(ms / DAY_MS));
    },
    docs: {
      en: {
        signature: 'DATE(year, month, day, [hours], [minutes], [seconds])',
        description:
          'A date from its parts, or a datetime (UTC) when a time is given. Parts overflow like in spreadsheets: month 13 is January of the next year.',
      },
      'zh-CN': {
        signature: 'DATE(年, 月, 日, [时], [分], [秒])',
        description: '由年月日组成日期；给出时间时得到日期时间（UTC）。与电子表格一样会进位：13 月即下一年的 1 月。',
      },
    },
    examples: [
      { formula: 'DATE(2026, 2, 29)', result: '2026-03-01' },
      { formula: 'DATE(2026, 3, 18, 9, 30)', result: '2026-03-18T09:30:00.000Z' },
    ],
  },
  YEAR: {
    name: 'YEAR',
    category: 'date',
    params: ['date'],
    minArgs: 1,
    maxArgs: 1,
    result: 'number',
    implementation: datePart((date) => date.getUTCFullYear()),
    docs: {
      en: { signature: 'YEAR(date)', description: 'The year of a date (UTC); blank for a blank date.' },
      'zh-CN': { signature: 'YEAR(日期)', description: '日期的年份（UTC）；日期为空时返回空。' },
    },
    examples: [{ formula: 'YEAR(signed_on)', values: { signed_on: '2026-03-08' }, result: 2026 }],
  },
  MONTH: {
    name: 'MONTH',
    category: 'date',
    params: ['date'],
    minArgs: 1,
    maxArgs: 1,
    result: 'number',
    implementation: datePart((date) => date.getUTCMonth() + 1),
    docs: {
      en: { signature: 'MONTH(date)', description: 'The month (1–12) of a date (UTC); blank for a blank date.' },
      'zh-CN': { signature: 'MONTH(日期)', description: '日期的月份（1–12，UTC）；日期为空时返回空。' },
    },
    examples: [{ formula: 'MONTH("2026-12-31T23:30:00Z")', result: 12 }],
  },
  DAY: {
    name: 'DAY',
    category: 'date',
    params: ['date'],
    minArgs: 1,
    maxArgs: 1,
    result: 'number',
    implementation: datePart((date) => date.getUTCDate()),
    docs: {
      en: { signature: 'DAY(date)', description: 'The day of the month (1–31) of a date (UTC); blank for a blank date.' },
      'zh-CN': { signature: 'DAY(日期)', description: '日期是当月的第几天（1–31，UTC）；日期为空时返回空。' },
    },
    examples: [{ formula: 'DAY(DATE(2026, 3, 8))', result: 8 }],
  },
  DAYS: {
    name: 'DAYS',
    category: 'date',
    params: ['date', 'date'],
    minArgs: 2,
    maxArgs: 2,
    result: 'number',
    implementation: ([end, start]) => {
      const [to, from] = [dateArg(end), dateArg(start)];
      if (to instanceof FormulaFault) return to;
      if (from instanceof FormulaFault) return from;
      if (to === null || from === null) return null;
      return dayOf(to) - dayOf(from);
    },
    docs: {
      en: {
        signature: 'DAYS(end_date, start_date)',
        description: 'Whole calendar days from start_date to end_date (UTC dates; negative when end is earlier); blank when either is blank.',
      },
      'zh-CN': {
        signature: 'DAYS(结束日期, 开始日期)',
        description: '从开始日期到结束日期相差的整天数（按 UTC 日期；结束较早时为负数）；任一为空时返回空。',
      },
    },
    examples: [{ formula: 'DAYS(due, TODAY())', values: { due: '2026-04-01' }, result: 14 }],
  },
  DATEDELTA: {
    name: 'DATEDELTA',
    category: 'date',
    params: ['date', 'number'],
    minArgs: 2,
    maxArgs: 2,
    result: shiftedType,
    implementation: ([value, days]) => {
      const date = dateArg(value);
      if (date === null || date instanceof FormulaFault) return date;
      const amount = toDecimal(days);
      return amount instanceof FormulaFault ? amount : shiftDate(date, amount);
    },
    docs: {
      en: {
        signature: 'DATEDELTA(date, days)',
        description:
          'The date moved by a number of days (negative: back). A date moves by whole days (decimals are cut off); a datetime by days × 24 h. Same as date + days.',
      },
      'zh-CN': {
        signature: 'DATEDELTA(日期, 天数)',
        description: '把日期前后移动若干天（负数为向前）。日期按整天移动（小数部分舍去）；日期时间按 天数 × 24 小时移动。等同于 日期 + 天数。',
      },
    },
    examples: [
      { formula: 'DATEDELTA("2026-01-31", 30)', result: '2026-03-02' },
      { formula: 'DATEDELTA("2026-03-18T08:00:00Z", 0.5)', result: '2026-03-18T20:00:00.000Z' },
    ],
  },
  WEEKNUM: {
    name: 'WEEKNUM',
    category: 'date',
    params: ['date', 'number'],
    minArgs: 1,
    maxArgs: 2,
    result: 'number',
    implementation: ([value, type]) => {
      const date = dateArg(value);
      if (date === null || date instanceof FormulaFault) return date;
      const kind = toInteger(type ?? 1);
      return kind instanceof FormulaFault ? kind : weekNumber(dayOf(date), kind);
    },
    docs: {
      en: {
        signature: 'WEEKNUM(date, [type])',
        description: 'Week of the year. Type 1 (default): weeks start on Sunday and week 1 holds 1 January; 2: weeks start on Monday; 21: ISO 8601 weeks.',
      },
      'zh-CN': {
        signature: 'WEEKNUM(日期, [类型])',
        description: '日期是一年中的第几周。类型 1（默认）：每周从周日开始，1 月 1 日所在周为第 1 周；2：每周从周一开始；21：ISO 8601 周。',
      },
    },
    examples: [
      { formula: 'WEEKNUM("2026-03-18")', result: 12 },
      { formula: 'WEEKNUM("2027-01-01", 21)', result: 53 },
    ],
  },
} satisfies Record<string, FormulaFunctionDefinition>;
