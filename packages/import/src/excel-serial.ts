// Excel stores dates as day counts ("serials") in the 1900 date system: serial 1 is
// 1900-01-01 and, because Lotus 1-2-3 counted 1900 as a leap year, serial 60 is the
// non-existent 1900-02-29; from serial 61 (1900-03-01) on, serial n is 1899-12-30 + n days.

const DAY_MS = 86_400_000;
/** Epoch milliseconds of 1899-12-30 and 1899-12-31 (UTC). */
const EPOCH_FROM_61 = Date.UTC(1899, 11, 30);
const EPOCH_BEFORE_60 = Date.UTC(1899, 11, 31);
/** Serial of 10000-01-01, the first day Excel cannot show. */
export const MAX_EXCEL_SERIAL = 2_958_466;

/**
 * The wall-clock date-time of a serial as a Date whose UTC fields hold it, or null for serials
 * Excel cannot show (below 0, 60 = 1900-02-29, from 10000-01-01 on). Fractions are the time of
 * day, rounded to the millisecond. Serial 0 is Excel's "1900-01-00": refused too.
 */
export function excelSerialToDate(serial: number): Date | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= MAX_EXCEL_SERIAL) return null;
  const day = Math.floor(serial);
  if (day === 60) return null;
  const epoch = day < 60 ? EPOCH_BEFORE_60 : EPOCH_FROM_61;
  return new Date(epoch + Math.round(serial * DAY_MS));
}

/** The serial of a Date's UTC wall-clock fields (inverse of excelSerialToDate). */
export function dateToExcelSerial(date: Date): number {
  const ms = date.getTime();
  const fromEpoch61 = (ms - EPOCH_FROM_61) / DAY_MS;
  return fromEpoch61 >= 61 ? fromEpoch61 : (ms - EPOCH_BEFORE_60) / DAY_MS;
}

/**
 * exceljs turns date-formatted numbers into Dates as 1899-12-30 + serial days for every serial,
 * one day early before 1900-03-01; this recovers the serial exceljs read and converts it right.
 */
export function fromExceljsDate(date: Date): Date | null {
  return excelSerialToDate((date.getTime() - EPOCH_FROM_61) / DAY_MS);
}

/**
 * Whether an Excel number format shows a date or time: after quoted text, escapes and [..]
 * sections are dropped, it still has y, m, d, h or s (e.g. 'yyyy-mm-dd', 'h:mm', 'd"日"').
 */
export function isDateNumberFormat(format: string | undefined | null): boolean {
  if (!format) return false;
  const plain = format
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/_.|\*./g, '');
  return /[ymdhs]/i.test(plain) && !/^general$/i.test(plain.trim());
}
