import { formatDecimal } from './decimal';
import { SchemaError, SchemaErrorCode } from './errors';

/** Storage conversions of one field type; see FieldTypeDefinition.toDb/fromDb. */
export interface DbCodec<S = unknown> {
  toDb(value: unknown, settings: S): unknown;
  fromDb(raw: unknown, settings: S): unknown;
}

function invalidValue(args: { expected: string; value: unknown }): SchemaError {
  const { expected, value } = args;
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value;
  return new SchemaError({
    code: SchemaErrorCode.INVALID_VALUE,
    message: `Cannot convert ${shown}: expected ${expected}.`,
    details: { expected },
  });
}

const isNil = (value: unknown): value is null | undefined => value === null || value === undefined;

/** Zero-padded decimal digits. */
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Strings (text, email, options, member id, serial). */
export const stringCodec: DbCodec = {
  toDb(value) {
    if (isNil(value)) return null;
    if (typeof value !== 'string') throw invalidValue({ expected: 'a string', value });
    return value;
  },
  fromDb(raw) {
    if (isNil(raw)) return null;
    if (typeof raw === 'string') return raw;
    if (typeof raw === 'number' || typeof raw === 'bigint') return String(raw);
    throw invalidValue({ expected: 'a string', value: raw });
  },
};

/** Exact decimals: a fixed-scale string to the database, a JS number back. */
export const decimalCodec: DbCodec<{ precision: number }> = {
  toDb(value, settings) {
    if (isNil(value)) return null;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidValue({ expected: 'a finite number', value });
    return formatDecimal({ value, scale: settings.precision }); // without building text when the value fits the scale
  },
  fromDb(raw) {
    if (isNil(raw)) return null;
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidValue({ expected: 'a decimal', value: raw });
    return value;
  },
};

/** Booleans as 0/1 (SQLite has no boolean; MySQL TINYINT(1)). */
export const booleanCodec: DbCodec = {
  toDb(value) {
    if (isNil(value)) return null;
    if (typeof value !== 'boolean') throw invalidValue({ expected: 'a boolean', value });
    return value ? 1 : 0;
  },
  fromDb(raw) {
    if (isNil(raw)) return null;
    if (typeof raw === 'boolean') return raw;
    if (raw === 1 || raw === '1' || raw === 1n) return true;
    if (raw === 0 || raw === '0' || raw === 0n) return false;
    throw invalidValue({ expected: '0 or 1', value: raw });
  },
};

/** Lists in a json column: JSON text to the database; text or an already parsed array back. */
export const jsonListCodec: DbCodec = {
  toDb(value) {
    if (isNil(value)) return null;
    if (!Array.isArray(value)) throw invalidValue({ expected: 'a list', value });
    return JSON.stringify(value);
  },
  fromDb(raw) {
    if (isNil(raw)) return null;
    if (Array.isArray(raw)) return raw;
    if (typeof raw === 'string') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw invalidValue({ expected: 'JSON text of a list', value: raw });
      }
      if (Array.isArray(parsed)) return parsed;
    }
    throw invalidValue({ expected: 'JSON text of a list', value: raw });
  },
};

/** Calendar dates 'YYYY-MM-DD', unchanged both ways. */
export const dateCodec: DbCodec = {
  toDb(value) {
    if (isNil(value)) return null;
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw invalidValue({ expected: 'YYYY-MM-DD', value });
    return value;
  },
  fromDb(raw) {
    if (isNil(raw)) return null;
    if (typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}/.test(raw)) return raw.slice(0, 10);
    // mysql2 without dateStrings builds DATE values as local midnight.
    if (raw instanceof Date && !Number.isNaN(raw.getTime())) {
      return `${pad(raw.getFullYear(), 4)}-${pad(raw.getMonth() + 1, 2)}-${pad(raw.getDate(), 2)}`;
    }
    throw invalidValue({ expected: 'YYYY-MM-DD', value: raw });
  },
};

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;
const STORED_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z?$/;

/** Epoch milliseconds of calendar fields, or null when they do not form a real date-time. */
function utcMillis(args: { parts: readonly string[]; offsetMinutes: number }): number | null {
  const { parts, offsetMinutes } = args;
  const [y, mo, d, h, mi, s] = parts.slice(0, 6).map(Number);
  const ms = Number((parts[6] ?? '').padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // setUTCFullYear, unlike Date.UTC, keeps years below 100
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 60) return null;
  date.setUTCHours(h, mi, s, ms);
  return date.getTime() - offsetMinutes * 60_000;
}

function formatStored(args: { millis: number; separator: ' ' | 'T'; suffix: '' | 'Z' }): string | null {
  const { millis, separator, suffix } = args;
  const d = new Date(millis);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) return null;
  return (
    `${pad(year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}${separator}` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.` +
    `${pad(d.getUTCMilliseconds(), 3)}${suffix}`
  );
}

const UTC_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?[Zz]$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The stored form of a date-time already in UTC ('…Z', as JSON dates are) by rearranging its
 * text: the same result as the general path without building Dates, or undefined for anything
 * that path would have to normalise or refuse (offsets, leap seconds, impossible dates).
 */
function utcToStoredOrUndefined(value: string): string | undefined {
  const m = UTC_DATE_TIME.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] + (month === 2 && leap ? 1 : 0)) return undefined;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return undefined;
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}.${(m[7] ?? '').padEnd(3, '0').slice(0, 3)}`;
}

/**
 * Converts an ISO 8601 date-time with Z or an offset to the stored UTC form
 * 'YYYY-MM-DD HH:MM:SS.mmm' (fractions beyond milliseconds are truncated).
 */
export function dateTimeToDbOrThrow(args: { value: string }): string {
  const utc = utcToStoredOrUndefined(args.value);
  if (utc !== undefined) return utc;
  const m = ISO_DATE_TIME.exec(args.value);
  if (m) {
    const sign = m[9] === '-' ? -1 : 1;
    const offset = m[8] ? 0 : sign * (Number(m[10]) * 60 + Number(m[11] ?? 0));
    const millis = utcMillis({ parts: m.slice(1, 8), offsetMinutes: offset });
    const stored = millis === null ? null : formatStored({ millis, separator: ' ', suffix: '' });
    if (stored !== null) return stored;
  }
  throw invalidValue({ expected: 'an ISO 8601 date-time with time zone', value: args.value });
}

/** Converts a stored UTC date-time (or a driver's Date) to 'YYYY-MM-DDTHH:MM:SS.mmmZ'. */
export function dateTimeFromDbOrThrow(args: { raw: unknown }): string {
  const { raw } = args;
  if (raw instanceof Date && !Number.isNaN(raw.getTime())) return raw.toISOString();
  const m = typeof raw === 'string' ? STORED_DATE_TIME.exec(raw) : null;
  const millis = m ? utcMillis({ parts: m.slice(1, 8), offsetMinutes: 0 }) : null;
  const iso = millis === null ? null : formatStored({ millis, separator: 'T', suffix: 'Z' });
  if (iso === null) throw invalidValue({ expected: "'YYYY-MM-DD HH:MM:SS.mmm'", value: raw });
  return iso;
}

/** Instants: ISO 8601 in the API, UTC 'YYYY-MM-DD HH:MM:SS.mmm' in the database. */
export const dateTimeCodec: DbCodec = {
  toDb(value) {
    if (isNil(value)) return null;
    if (typeof value !== 'string') throw invalidValue({ expected: 'an ISO 8601 date-time', value });
    return dateTimeToDbOrThrow({ value });
  },
  fromDb(raw) {
    return isNil(raw) ? null : dateTimeFromDbOrThrow({ raw });
  },
};

/** Record ids (BIGINT): drivers may return number, string or bigint. */
export const refCodec: DbCodec = {
  toDb(value) {
    if (isNil(value)) return null;
    if (!Number.isSafeInteger(value) || (value as number) < 1) throw invalidValue({ expected: 'a positive integer id', value });
    return value;
  },
  fromDb(raw) {
    if (isNil(raw)) return null;
    const id = typeof raw === 'string' || typeof raw === 'bigint' ? Number(raw) : raw;
    if (!Number.isSafeInteger(id) || (id as number) < 1) throw invalidValue({ expected: 'a positive integer id', value: raw });
    return id;
  },
};

/** Values stored outside the record table (link table, child table): lists pass through. */
export const listPassThroughCodec: DbCodec = {
  toDb(value) {
    if (isNil(value)) return null;
    if (!Array.isArray(value)) throw invalidValue({ expected: 'a list', value });
    return value;
  },
  fromDb(raw) {
    if (isNil(raw)) return null;
    if (!Array.isArray(raw)) throw invalidValue({ expected: 'a list', value: raw });
    return raw;
  },
};

/** Small integers (ratings): drivers may return number, string or bigint. */
export const integerCodec: DbCodec = {
  toDb(value) {
    if (isNil(value)) return null;
    if (!Number.isSafeInteger(value)) throw invalidValue({ expected: 'an integer', value });
    return value;
  },
  fromDb(raw) {
    if (isNil(raw)) return null;
    const n = typeof raw === 'string' || typeof raw === 'bigint' ? Number(raw) : raw;
    if (!Number.isSafeInteger(n)) throw invalidValue({ expected: 'an integer', value: raw });
    return n;
  },
};

/** Structured values in a json column (location, signature): JSON text to the database; an object back. */
export const jsonObjectCodec: DbCodec = {
  toDb(value) {
    if (isNil(value)) return null;
    if (typeof value !== 'object' || Array.isArray(value)) throw invalidValue({ expected: 'an object', value });
    return JSON.stringify(value);
  },
  fromDb(raw) {
    if (isNil(raw)) return null;
    let parsed: unknown = raw;
    if (typeof raw === 'string') {
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw invalidValue({ expected: 'JSON text of an object', value: raw });
      }
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
    throw invalidValue({ expected: 'JSON text of an object', value: raw });
  },
};
