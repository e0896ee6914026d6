import { decimalFromNumber, decimalToString, multiplyDecimals, roundDecimal } from './decimal';
import { FORMULA_LIMITS } from './limits';
import { FormulaFault, invalid, isDateText, toDateValue, toText, DAY_MS, type DateValue } from './runtime';

/** TEXT(value, format): numbers and dates by the format, anything else as its plain text. */
export function formatValue(value: unknown, format: string | undefined): string | FormulaFault {
  if (value instanceof FormulaFault) return value;
  if (format === undefined || format === '') return toText(value);
  if (format.length > FORMULA_LIMITS.maxFormatLength) return invalid(`A format may have at most ${FORMULA_LIMITS.maxFormatLength} characters`);
  if (typeof value === 'number') return formatNumber(value, format);
  if (isDateText(value)) {
    const date = toDateValue(value);
    return date instanceof FormulaFault ? date : formatDate(date, format);
  }
  return toText(value);
}

const NUMBER_CORE = /[#0][#0,]*(?:\.[#0]*)?|\.[#0]+/;

function formatNumber(value: number, format: string): string | FormulaFault {
  if (!Number.isFinite(value)) return invalid('Not a finite number');
  const match = NUMBER_CORE.exec(format);
  if (match === null) return invalid(`"${format}" is not a number format (use 0, #, "," and ".")`);
  const prefix = format.slice(0, match.index);
  const suffix = format.slice(match.index + match[0].length);
  const [intPattern = '', fracPattern = ''] = match[0].split('.');
  const percent = (prefix + suffix).includes('%');
  const minInt = [...intPattern].filter((c) => c === '0').length;
  const minFrac = [...fracPattern].filter((c) => c === '0').length;
  const maxFrac = fracPattern.length;
  let number = decimalFromNumber(value);
  if (percent) number = multiplyDecimals(number, { coefficient: 100n, scale: 0 });
  const rounded = roundDecimal(number, maxFrac, 'half-away');
  const negative = rounded.coefficient < 0n;
  const [intDigits = '0', fracDigits = ''] = decimalToString({
    coefficient: negative ? -rounded.coefficient : rounded.coefficient,
    scale: rounded.scale,
  }).split('.');
  let int = intDigits === '0' && minInt === 0 ? '' : intDigits.padStart(minInt, '0');
  if (intPattern.includes(',')) int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = fracDigits.padEnd(minFrac, '0');
  return `${negative ? '-' : ''}${prefix}${int}${frac === '' ? '' : `.${frac}`}${suffix}`;
}

const DATE_TOKEN = /'[^']*'|yyyy|YYYY|yy|YY|MM|M|dd|DD|d|D|HH|H|mm|m|ss|s/g;

function formatDate(date: DateValue, format: string): string {
  const instant = new Date(date.kind === 'date' ? date.day * DAY_MS : date.ms);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const parts: Record<string, string> = {
    yyyy: pad(instant.getUTCFullYear(), 4),
    yy: pad(instant.getUTCFullYear() % 100),
    MM: pad(instant.getUTCMonth() + 1),
    M: String(instant.getUTCMonth() + 1),
    dd: pad(instant.getUTCDate()),
    d: String(instant.getUTCDate()),
    HH: pad(instant.getUTCHours()),
    H: String(instant.getUTCHours()),
    mm: pad(instant.getUTCMinutes()),
    m: String(instant.getUTCMinutes()),
    ss: pad(instant.getUTCSeconds()),
    s: String(instant.getUTCSeconds()),
  };
  return format.replace(DATE_TOKEN, (token) => {
    if (token.startsWith("'")) return token.length === 2 ? "'" : token.slice(1, -1);
    const canonical = token === 'YYYY' ? 'yyyy' : token === 'YY' ? 'yy' : token === 'DD' ? 'dd' : token === 'D' ? 'd' : token;
    return parts[canonical]!;
  });
}
