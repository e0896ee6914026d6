import { stringCodec } from '../db-codecs';
import type { FieldTypeDefinition } from '../types';
import { columnStorage, settingsObjectSchema, TEXT_OPERATORS } from './field-type-helpers';

export type SerialDatePart = '' | 'YYYY' | 'YYYYMM' | 'YYYYMMDD';
export type SerialReset = 'never' | 'yearly' | 'monthly' | 'daily';
export type SerialSettings = { prefix: string; datePart: SerialDatePart; digits: number; reset: SerialReset };

/** Length of the date text each reset period needs so numbers stay unique after a reset. */
const RESET_DATE_LENGTH: Record<SerialReset, number> = { never: 0, yearly: 4, monthly: 6, daily: 8 };

/** 'YYYYMMDD' cut to `length` characters, in UTC. */
function utcDateDigits(args: { date: Date; length: number }): string {
  const { date, length } = args;
  const text = String(date.getUTCFullYear()).padStart(4, '0') + String(date.getUTCMonth() + 1).padStart(2, '0') + String(date.getUTCDate()).padStart(2, '0');
  return text.slice(0, length);
}

/**
 * Counter bucket of a serial at `date` (UTC): '' when it never resets, else 'YYYY', 'YYYYMM'
 * or 'YYYYMMDD' for yearly, monthly, daily resets.
 */
export function serialPeriod(args: { settings: Pick<SerialSettings, 'reset'>; date: Date }): string {
  return utcDateDigits({ date: args.date, length: RESET_DATE_LENGTH[args.settings.reset] });
}

/**
 * Formats a serial number: prefix, date part (UTC), counter zero-padded to `digits` (a wider
 * counter is printed in full), e.g. 'QT-' + 'YYYYMMDD' + 4 digits, 7 → 'QT-202611230007'.
 */
export function formatSerial(args: { settings: Pick<SerialSettings, 'prefix' | 'datePart' | 'digits'>; counter: number; date: Date }): string {
  const { settings, counter, date } = args;
  return settings.prefix + utcDateDigits({ date, length: settings.datePart.length }) + String(counter).padStart(settings.digits, '0');
}

/** Auto number assigned by the server on create (read-only, unique). */
export const serialFieldType: FieldTypeDefinition<SerialSettings> = {
  key: 'serial',
  label: { en: 'Serial number', 'zh-CN': '流水号' },
  settingsSchema: settingsObjectSchema({
    properties: {
      prefix: { type: 'string', maxLength: 20, pattern: '^[A-Za-z0-9_\\-]*$', default: '' },
      datePart: { enum: ['', 'YYYY', 'YYYYMM', 'YYYYMMDD'], default: 'YYYYMMDD' },
      digits: { type: 'integer', minimum: 1, maximum: 12, default: 4 },
      reset: { enum: ['never', 'yearly', 'monthly', 'daily'], default: 'never' },
    },
  }),
  defaultSettings: { prefix: '', datePart: 'YYYYMMDD', digits: 4, reset: 'never' },
  refineSettings: ({ settings }) => {
    // A counter that restarts each day under a yearly date part would repeat numbers.
    const needed = RESET_DATE_LENGTH[settings.reset];
    if (settings.datePart.length >= needed) return { settings, issues: [] };
    return {
      settings,
      issues: [
        {
          path: '/datePart',
          code: 'invalid_combination',
          message: `/datePart must include at least ${'YYYYMMDD'.slice(0, needed)} when the counter resets ${settings.reset}`,
        },
      ],
    };
  },
  storage: () => columnStorage({ column: { kind: 'string', length: 64 }, indexable: true }),
  valueSchema: () => ({ type: 'string', maxLength: 64 }),
  valueKind: () => 'string',
  operators: TEXT_OPERATORS,
  operatorsFor: () => TEXT_OPERATORS,
  sortable: true,
  uniqueAllowed: true,
  uniqueImplied: true,
  writable: false,
  publicFillable: false,
  ...stringCodec,
};
