import { booleanCodec, dateCodec, dateTimeCodec, type DbCodec, decimalCodec, stringCodec } from '../db-codecs';
import type { FieldTypeDefinition, FilterOperator, JsonSchema, StorageSpec, ValueKind } from '../types';
import { columnStorage, DATE_OPERATORS, NUMBER_OPERATORS, settingsObjectSchema, TEXT_OPERATORS } from './field-type-helpers';

export const FORMULA_RESULT_TYPES = ['number', 'text', 'date', 'datetime', 'switch'] as const;
export type FormulaResultType = (typeof FORMULA_RESULT_TYPES)[number];

/**
 * `expression` is the formula text as the admin wrote it; `ast` is its parsed json-logic form,
 * filled in by the server at design time (a client-sent `ast` is replaced). `precision` rounds
 * number results (half away from zero) before they are stored.
 */
export type FormulaSettings = { expression: string; resultType: FormulaResultType; precision: number; ast?: unknown };

/** Longest formula text accepted. */
export const MAX_FORMULA_LENGTH = 4000;
/** Text results longer than this are cut to it (the column is VARCHAR(255)). */
export const FORMULA_TEXT_LENGTH = 255;

const SWITCH_OPERATORS = ['==', '!=', 'is_empty', 'is_not_empty'] as const satisfies readonly FilterOperator[];

interface ResultShape {
  storage: StorageSpec;
  valueSchema: JsonSchema;
  valueKind: ValueKind;
  operators: readonly FilterOperator[];
  codec: DbCodec<never>;
}

/** Storage, value shape, filter operators and codec of each result type: a real column, so results filter and sort. */
export const FORMULA_RESULT_SHAPES: Record<FormulaResultType, ResultShape> = {
  number: {
    storage: columnStorage({ column: { kind: 'decimal', precision: 30, scale: 10 }, indexable: true }),
    valueSchema: { type: 'number' },
    valueKind: 'number',
    operators: NUMBER_OPERATORS,
    codec: decimalCodec,
  },
  text: {
    storage: columnStorage({ column: { kind: 'string', length: FORMULA_TEXT_LENGTH }, indexable: true }),
    valueSchema: { type: 'string' },
    valueKind: 'string',
    operators: TEXT_OPERATORS,
    codec: stringCodec,
  },
  date: {
    storage: columnStorage({ column: { kind: 'date' }, indexable: true }),
    valueSchema: { type: 'string' },
    valueKind: 'date',
    operators: DATE_OPERATORS,
    codec: dateCodec,
  },
  datetime: {
    storage: columnStorage({ column: { kind: 'datetime' }, indexable: true }),
    valueSchema: { type: 'string' },
    valueKind: 'datetime',
    operators: DATE_OPERATORS,
    codec: dateTimeCodec,
  },
  switch: {
    storage: columnStorage({ column: { kind: 'boolean' }, indexable: true }),
    valueSchema: { type: 'boolean' },
    valueKind: 'boolean',
    operators: SWITCH_OPERATORS,
    codec: booleanCodec,
  },
};

const shapeOf = (settings: FormulaSettings): ResultShape => FORMULA_RESULT_SHAPES[settings.resultType] ?? FORMULA_RESULT_SHAPES.number;

/**
 * A value computed by the server from other fields of the record (or of a subform row) on
 * every write; clients cannot write it (read_only). The server parses and type-checks the
 * expression at design time; this package only knows its shape.
 */
export const formulaFieldType: FieldTypeDefinition<FormulaSettings> = {
  key: 'formula',
  label: { en: 'Formula', 'zh-CN': '公式' },
  settingsSchema: settingsObjectSchema({
    properties: {
      expression: { type: 'string', minLength: 1, maxLength: MAX_FORMULA_LENGTH },
      resultType: { enum: [...FORMULA_RESULT_TYPES], default: 'number' },
      precision: { type: 'integer', minimum: 0, maximum: 10, default: 2 },
      ast: {},
    },
    required: ['expression'],
  }),
  defaultSettings: { resultType: 'number', precision: 2 },
  refineSettings: ({ settings }) =>
    settings.expression.trim()
      ? { settings, issues: [] }
      : { settings, issues: [{ path: '/expression', code: 'too_short', message: '/expression must not be blank' }] },
  storage: (settings) => shapeOf(settings).storage,
  // Precision is left out on purpose: changing it recomputes, it never makes stored values "not fit".
  valueSchema: (settings) => shapeOf(settings).valueSchema,
  valueKind: (settings) => shapeOf(settings).valueKind,
  operators: [...new Set(Object.values(FORMULA_RESULT_SHAPES).flatMap((s) => [...s.operators]))],
  operatorsFor: (settings) => shapeOf(settings).operators,
  sortable: true,
  uniqueAllowed: false,
  writable: false,
  publicFillable: false,
  toDb: (value, settings) => (shapeOf(settings).codec as DbCodec<FormulaSettings>).toDb(value, settings),
  fromDb: (raw, settings) => (shapeOf(settings).codec as DbCodec<FormulaSettings>).fromDb(raw, settings),
};
