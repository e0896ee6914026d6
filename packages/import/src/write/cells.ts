import { formatDecimal } from '@crm/schema';
import { dateToExcelSerial } from '../excel-serial';
import { instantToWall, isAmbiguousWall, zoneOffsetMinutes } from '../coerce/timezone';
import type { Locale } from '../types';

/** One exported cell: text, or a number or date that `.xlsx` stores typed (CSV writes `text`). */
export type ExportCell =
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number; text: string; numFmt: string }
  | { kind: 'date'; serial: number; text: string; numFmt: string }
  | { kind: 'boolean'; value: boolean; text: string }
  /** Text copied from the user's own file (error files): written exactly as it was. */
  | { kind: 'raw'; text: string };

/** Names the export shows instead of ids, looked up once per page of records. */
export interface ExportNames {
  member(id: string): string | undefined;
  department(id: string): string | undefined;
  record(entityId: string, id: number): string | undefined;
}

export interface ExportContext {
  locale: Locale;
  /** IANA zone date-times are shown in (the exporting member's). */
  timeZone: string;
  names: ExportNames;
}

export const text = (value: string): ExportCell => ({ kind: 'text', text: value });

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * A number: typed in `.xlsx` with its precision (money with thousands grouping); in CSV plain
 * decimal text, never an exponent or a separator: money with all its decimals (12.50), other
 * numbers without trailing zeros.
 */
export function numberCell(args: { value: number; precision: number; money: boolean }): ExportCell {
  const { value, precision, money } = args;
  const fixed = formatDecimal({ value, scale: precision });
  const shown = money || !fixed.includes('.') ? fixed : fixed.replace(/\.?0+$/, '');
  const fraction = precision > 0 ? '.' + '0'.repeat(precision) : '';
  return { kind: 'number', value, text: shown, numFmt: (money ? '#,##0' : '0') + fraction };
}

/** A 'YYYY-MM-DD' date: a date cell in `.xlsx`, the same text in CSV. */
export function dateCell(value: string): ExportCell | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return text(value);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return { kind: 'date', serial: dateToExcelSerial(d), text: value, numFmt: 'yyyy-mm-dd' };
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * An instant shown in the member's zone, 'YYYY-MM-DD HH:MM:SS' (with '.mmm' when not zero);
 * in CSV the offset follows only when that wall time happens twice in the zone (clocks set
 * back), so that importing it gives the same instant.
 */
export function dateTimeCell(iso: string, timeZone: string): ExportCell {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return text(iso);
  const wall = new Date(instantToWall({ instant, timeZone }));
  const ms = wall.getUTCMilliseconds();
  const shown =
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ` +
    `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`;
  const csv = isAmbiguousWall({ instant, timeZone }) ? `${shown} ${offsetText(zoneOffsetMinutes(timeZone, instant))}` : shown;
  return { kind: 'date', serial: dateToExcelSerial(wall), text: csv, numFmt: ms ? 'yyyy-mm-dd hh:mm:ss.000' : 'yyyy-mm-dd hh:mm:ss' };
}

export function switchText(value: boolean, locale: Locale): string {
  return locale === 'zh-CN' ? (value ? '是' : '否') : value ? 'Yes' : 'No';
}

/** Several values in one cell. */
export const joinValues = (values: string[]): string => values.join(', ');
