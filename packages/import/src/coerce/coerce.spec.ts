import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excelSerialToDate, dateToExcelSerial } from '../excel-serial';
import { coerceDate, coerceDateTime, parseWallTime } from './dates';
import { coerceDecimal, parseNumber } from './numbers';
import { type CoerceOptions, DEFAULT_COERCE_OPTIONS } from './result';
import { coerceEmail, coercePhone, coerceSwitch, coerceText, coerceTextarea, coerceUrl } from './scalars';
import { wallToInstant } from './timezone';
import { departmentPath, memberToken, splitValues } from './tokens';

const opts = (o: Partial<CoerceOptions> = {}): CoerceOptions => ({ ...DEFAULT_COERCE_OPTIONS, ...o });
const value = (c: { ok: boolean; value?: unknown; code?: string }) => (c.ok ? c.value : `!${c.code}`);

describe('numbers', () => {
  const num = (cell: string | number, format: 'dot' | 'comma' = 'dot') => {
    const p = parseNumber(cell, format);
    return p.ok ? p.parsed.value : `!${(p.coerced as { code: string }).code}`;
  };

  it.each([
    ['1234.5', 1234.5],
    ['1,234.5', 1234.5],
    ['1,234,567', 1234567],
    ['-1,234.50', -1234.5],
    ['(1,234.50)', -1234.5],
    ['+12', 12],
    ['−5', -5],
    ['.5', 0.5],
    ['１２３．４', 123.4],
    ['¥1,234.00', 1234],
    ['￥ 88', 88],
    ['$-3', -3],
    ['-$3', -3],
    ['CNY 100', 100],
    ['100 USD', 100],
    ['1.5万', 15000],
    ['1.1万', 11000],
    ['2亿', 200000000],
    ['12.5%', 12.5],
    ['1.5e3', 1500],
    ['1 234.5', 1234.5],
  ])('dot format: %j is %j', (text, expected) => expect(num(text)).toBe(expected));

  it.each([
    ['1.234,5', 1234.5],
    ['1 234,5', 1234.5],
    ['1\u00a0234,5', 1234.5],
    ["1'234,5", 1234.5],
    ['12,50', 12.5],
    ['-0,5', -0.5],
  ])('comma format: %j is %j', (text, expected) => expect(num(text, 'comma')).toBe(expected));

  it.each([
    ['1,23', '!decimal_comma'],
    ['12,5', '!decimal_comma'],
    ['1,2345', '!invalid_number'],
    ['1.2.3', '!invalid_number'],
    ['abc', '!invalid_number'],
    ['12 34', '!invalid_number'],
    ['--1', '!invalid_number'],
  ])('dot format refuses %j as %s', (text, code) => expect(num(text)).toBe(code));

  it('refuses 1.234,5 with the dot format and 1.5 with the comma format', () => {
    expect(num('1.234,5')).toBe('!invalid_number');
    expect(num('1.5', 'comma')).toBe('!invalid_number');
  });

  it('checks precision, bounds, percent and currency for a field', () => {
    const base = { format: 'dot' as const, precision: 2, limit: 1e16 };
    expect(value(coerceDecimal({ ...base, cell: '12.345' }))).toBe('!too_many_decimals');
    expect(value(coerceDecimal({ ...base, cell: 0.1 + 0.2 }))).toBe(0.3);
    expect(value(coerceDecimal({ ...base, cell: 12.345 }))).toBe('!too_many_decimals');
    expect(value(coerceDecimal({ ...base, cell: '12.5%' }))).toBe('!too_many_decimals');
    expect(value(coerceDecimal({ ...base, precision: 4, cell: '12.5%' }))).toBe(0.125);
    expect(value(coerceDecimal({ ...base, unit: '%', cell: '12.5%' }))).toBe(12.5);
    expect(value(coerceDecimal({ ...base, min: 0, cell: '-1' }))).toBe('!out_of_range');
    expect(value(coerceDecimal({ ...base, cell: '1e17' }))).toBe('!out_of_range');
    expect(value(coerceDecimal({ ...base, currency: 'CNY', cell: '¥88' }))).toBe(88);
    expect(value(coerceDecimal({ ...base, currency: 'CNY', cell: 'USD 88' }))).toBe('!invalid_number');
    expect(value(coerceDecimal({ ...base, currency: 'EUR', cell: '$88' }))).toBe('!invalid_number');
  });

  it('reads any number the dot format prints back (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 4 }), (int, places) => {
        const n = int / 10 ** places;
        const grouped = n.toLocaleString('en-US', { maximumFractionDigits: 4, useGrouping: true });
        expect(num(grouped)).toBe(n);
        expect(num(n.toLocaleString('de-DE', { maximumFractionDigits: 4 }), 'comma')).toBe(n);
      }),
    );
  });
});

describe('the fast paths give what the general parsers give', () => {
  it('plain digits: the same number under both formats, -0 as 0, long or odd ones through the general path', () => {
    const general = (text: string, format: 'dot' | 'comma') => parseNumber(` ${text} `, format); // a space skips the fast path
    for (const text of ['0', '-0', '007', '-12', '1234.5', '-0.25', '123456789012345', '1234567890123456', '1.', '-', '12.5.1'])
      for (const format of ['dot', 'comma'] as const) expect(parseNumber(text, format)).toEqual(general(text, format));
    expect(Object.is((parseNumber('-0', 'dot') as { parsed: { value: number } }).parsed.value, 0)).toBe(true);
    expect(parseNumber('1234.5', 'comma').ok).toBe(false);
  });

  it('ISO dates: checked against the calendar like every other date', () => {
    expect(value(coerceDate('2026-03-09', opts()))).toBe('2026-03-09');
    expect(value(coerceDate('2026-02-30', opts()))).toBe('!invalid_date');
    expect(value(coerceDate('0000-01-01', opts()))).toBe('!invalid_date');
    expect(parseWallTime('2024-02-29', 'auto')).toEqual(parseWallTime(' 2024 - 02 - 29', 'auto'));
    expect(value(coerceDateTime('2026-03-09', opts({ timeZone: 'Asia/Shanghai' })))).toBe('2026-03-08T16:00:00.000Z');
  });
});

describe('Excel serials', () => {
  it.each([
    [1, '1900-01-01'],
    [59, '1900-02-28'],
    [61, '1900-03-01'],
    [25569, '1970-01-01'],
    [46082, '2026-03-01'],
    [2958465, '9999-12-31'],
  ])('serial %i is %s (the 1900 leap-year bug accounted for)', (serial, date) => {
    expect(excelSerialToDate(serial)?.toISOString().slice(0, 10)).toBe(date);
    expect(dateToExcelSerial(new Date(`${date}T00:00:00Z`))).toBe(serial);
  });

  it('has no 1900-02-29 (60), no day 0 and nothing past 9999', () => {
    expect(excelSerialToDate(60)).toBeNull();
    expect(excelSerialToDate(0)).toBeNull();
    expect(excelSerialToDate(2958466)).toBeNull();
    expect(excelSerialToDate(46082.75)?.toISOString()).toBe('2026-03-01T18:00:00.000Z');
  });
});

describe('dates', () => {
  const date = (cell: string | number | Date, o: Partial<CoerceOptions> = {}) => value(coerceDate(cell, opts(o)));

  it.each([
    ['2026-03-01', '2026-03-01'],
    ['2026/3/1', '2026-03-01'],
    ['2026.03.01', '2026-03-01'],
    ['2026年3月1日', '2026-03-01'],
    ['20260301', '2026-03-01'],
    ['2026-03-01 14:30', '2026-03-01'],
    ['1 Mar 2026', '2026-03-01'],
    ['1-Mar-2026', '2026-03-01'],
    ['March 1, 2026', '2026-03-01'],
    ['Sept 9th, 2026', '2026-09-09'],
    ['46082', '2026-03-01'],
  ])('%j is %s whatever the chosen order', (text, expected) => {
    for (const dateFormat of ['auto', 'YMD', 'MDY', 'DMY'] as const) expect(date(text, { dateFormat })).toBe(expected);
  });

  it('reads day/month/year only by the chosen order', () => {
    expect(date('03/04/2026')).toBe('!ambiguous_date');
    expect(date('25/03/2026')).toBe('!ambiguous_date');
    expect(date('03/04/2026', { dateFormat: 'MDY' })).toBe('2026-03-04');
    expect(date('03/04/2026', { dateFormat: 'DMY' })).toBe('2026-04-03');
    expect(date('3-4-2026', { dateFormat: 'DMY' })).toBe('2026-04-03');
    expect(date('25/03/2026', { dateFormat: 'MDY' })).toBe('!invalid_date');
    expect(date('03/04/2026', { dateFormat: 'YMD' })).toBe('!invalid_date');
  });

  it('refuses dates that do not exist, and two-digit years', () => {
    for (const text of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '1-Mar-26', '3/1/26', 'yesterday', '2026-03-01 25:00', '60']) {
      expect(date(text, { dateFormat: 'MDY' })).toMatch(/^!invalid_date$/);
    }
    expect(date('2024-02-29')).toBe('2024-02-29');
  });

  it('takes date cells by their calendar fields, and serials as numbers', () => {
    expect(date(new Date(Date.UTC(2026, 2, 1)))).toBe('2026-03-01');
    expect(date(46082)).toBe('2026-03-01');
    expect(date(46082.99)).toBe('2026-03-01');
  });

  it('takes an instant with an offset as its date in the import time zone', () => {
    expect(date('2026-03-01T23:30:00Z', { timeZone: 'Asia/Shanghai' })).toBe('2026-03-02');
    expect(date('2026-03-01T23:30:00+08:00', { timeZone: 'Asia/Shanghai' })).toBe('2026-03-01');
  });

  it('reads every date written in every format (property)', () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-03-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
        const iso = `${y}-${pad(m)}-${pad(dd)}`;
        expect(date(iso)).toBe(iso);
        expect(date(`${y}/${m}/${dd}`)).toBe(iso);
        expect(date(`${y}年${m}月${dd}日`)).toBe(iso);
        expect(date(`${pad(m)}/${pad(dd)}/${y}`, { dateFormat: 'MDY' })).toBe(iso);
        expect(date(`${dd}.${m}.${y}`, { dateFormat: 'DMY' })).toBe(iso);
        expect(date(`${dd} ${months[m - 1]} ${y}`)).toBe(iso);
        expect(date(dateToExcelSerial(new Date(`${iso}T00:00:00Z`)))).toBe(iso);
      }),
    );
  });
});

describe('date-times and time zones', () => {
  const dt = (cell: string | number | Date, o: Partial<CoerceOptions> = {}) => value(coerceDateTime(cell, opts(o)));

  it('takes an offset as written, and wall times in the import zone', () => {
    expect(dt('2026-03-01T14:30:00Z')).toBe('2026-03-01T14:30:00.000Z');
    expect(dt('2026-03-01 14:30:00+08:00')).toBe('2026-03-01T06:30:00.000Z');
    expect(dt('2026-03-01 14:30:00 +0530')).toBe('2026-03-01T09:00:00.000Z');
    expect(dt('2026-03-01 14:30', { timeZone: 'Asia/Shanghai' })).toBe('2026-03-01T06:30:00.000Z');
    expect(dt('2026/3/1 下午 2:30', { timeZone: 'Asia/Shanghai' })).toBe('2026-03-01T06:30:00.000Z');
    expect(dt('03/01/2026 2:30 PM', { timeZone: 'America/New_York', dateFormat: 'MDY' })).toBe('2026-03-01T19:30:00.000Z');
    expect(dt('2026-03-01', { timeZone: 'Asia/Shanghai' })).toBe('2026-02-28T16:00:00.000Z');
    expect(dt('2026-03-01 14:30:15.250')).toBe('2026-03-01T14:30:15.250Z');
    expect(dt(46082.5, { timeZone: 'Asia/Shanghai' })).toBe('2026-03-01T04:00:00.000Z');
    expect(dt(new Date(Date.UTC(2026, 2, 1, 12)), { timeZone: 'Europe/Berlin' })).toBe('2026-03-01T11:00:00.000Z');
  });

  it('refuses impossible times', () => {
    for (const text of ['2026-03-01 24:00', '2026-03-01 12:60', '2026-03-01 13:00 PM', 'noon']) expect(dt(text)).toBe('!invalid_datetime');
    expect(dt('03/04/2026 10:00')).toBe('!ambiguous_date');
  });

  it('moves a wall time skipped by DST forward and takes the earlier of a repeated one', () => {
    // New York: 2026-03-08 02:00 → 03:00; 2026-11-01 02:00 → 01:00.
    expect(dt('2026-03-08 02:30', { timeZone: 'America/New_York' })).toBe('2026-03-08T07:30:00.000Z');
    expect(dt('2026-11-01 01:30', { timeZone: 'America/New_York' })).toBe('2026-11-01T05:30:00.000Z');
    expect(dt('2026-11-01 01:30 -05:00', { timeZone: 'America/New_York' })).toBe('2026-11-01T06:30:00.000Z');
  });

  it('finds the instant of any wall time that exists (property)', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.constantFrom(...zones), (instant, timeZone) => {
        const parts = new Intl.DateTimeFormat('en-US', {
          timeZone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
        }).formatToParts(new Date(instant));
        const p = Object.fromEntries(parts.map((x) => [x.type, Number(x.value)]));
        const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) + (instant % 1000);
        const back = wallToInstant({ wall, timeZone });
        // Exact, or the earlier instant of a repeated wall time (never more than the DST shift apart).
        expect(back === instant || (back < instant && instant - back <= 3_600_000)).toBe(true);
      }),
    );
  });

  it('parses the parts of a wall time', () => {
    expect(parseWallTime('2026-03-01T10:00:00.5+01:00', 'auto')).toEqual({
      ok: true,
      time: { wall: Date.UTC(2026, 2, 1, 10, 0, 0, 500), hasTime: true, offset: 60 },
    });
  });
});

describe('text-like values', () => {
  it('trims text and counts characters as the API does', () => {
    expect(value(coerceText('  华为  ', 255))).toBe('华为');
    expect(value(coerceText('𠮷'.repeat(3), 3))).toBe('𠮷𠮷𠮷');
    expect(value(coerceText('abcd', 3))).toBe('!too_long');
    expect(value(coerceText('𠮷'.repeat(4), 3))).toBe('!too_long');
    expect(value(coerceText('𠮷ab', 3))).toBe('𠮷ab');
    expect(value(coerceText(13800138000, 255))).toBe('13800138000');
    expect(value(coerceText(new Date(Date.UTC(2026, 2, 1)), 255))).toBe('2026-03-01');
    expect(value(coerceText("'=HYPERLINK(x)", 255))).toBe('=HYPERLINK(x)');
    expect(value(coerceText("'normal", 255))).toBe("'normal");
    expect(value(coerceTextarea(' a\r\nb ', 100))).toBe('a\nb');
  });

  it('checks emails, phones and links, accepting how people write them', () => {
    expect(value(coerceEmail(' Zhang.San@Example.com '))).toBe('Zhang.San@Example.com');
    expect(value(coerceEmail('mailto:a@b.cn'))).toBe('a@b.cn');
    expect(value(coerceEmail('ａ＠ｂ．ｃｎ'))).toBe('a@b.cn');
    expect(value(coerceEmail('mailto:ａ＠ｂ．ｃｎ'))).toBe('a@b.cn');
    expect(value(coerceEmail('not an email'))).toBe('!invalid_email');
    expect(value(coercePhone('138 0013 8000'))).toBe('138 0013 8000');
    expect(value(coercePhone('(010) 6552-1234'))).toBe('010 6552-1234');
    expect(value(coercePhone('+86 138-0013-8000'))).toBe('+86 138-0013-8000');
    expect(value(coercePhone(13800138000))).toBe('13800138000');
    expect(value(coercePhone('call me'))).toBe('!invalid_phone');
    expect(value(coerceUrl('www.example.com/a?b=1'))).toBe('https://www.example.com/a?b=1');
    expect(value(coerceUrl('http://例子.cn'))).toBe('http://例子.cn');
    expect(value(coerceUrl('javascript:alert(1)'))).toBe('!invalid_url');
    expect(value(coerceUrl('ftp://x.org'))).toBe('!invalid_url');
  });

  it.each([
    [['是', '真', 'YES', 'y', 'True', '1', '✓', '√', 'on', '开启', 1, true], true],
    [['否', '假', 'No', 'n', 'FALSE', '0', '✗', '×', 'off', '关闭', 0, false], false],
  ])('reads switches %j as %s', (cells, expected) => {
    for (const cell of cells) expect(value(coerceSwitch(cell as string))).toBe(expected);
    expect(value(coerceSwitch('maybe'))).toBe('!invalid_switch');
    expect(value(coerceSwitch(2))).toBe('!invalid_switch');
  });
});

describe('multi-values and names', () => {
  it('splits on , ， ; ； 、 and line breaks, joining back known values', () => {
    expect(splitValues('a, b，c;d；e、f\ng\r\nh')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(splitValues(' , a,, ')).toEqual(['a']);
    const known = new Set(['red, dark', 'blue']);
    expect(splitValues('Blue, red, dark', (t) => known.has(t.toLowerCase()))).toEqual(['Blue', 'red, dark']);
  });

  it('reads members by email, name or both, and departments by path', () => {
    expect(memberToken('zhang@x.cn')).toEqual({ email: 'zhang@x.cn' });
    expect(memberToken('张三 <zhang@x.cn>')).toEqual({ email: 'zhang@x.cn' });
    expect(memberToken('张三（zhang@x.cn）')).toEqual({ email: 'zhang@x.cn' });
    expect(memberToken(' 张三 ')).toEqual({ name: '张三' });
    expect(departmentPath('总部 / 销售部／华东')).toEqual(['总部', '销售部', '华东']);
    expect(departmentPath('总部>销售部')).toEqual(['总部', '销售部']);
  });
});
