import type { ValueKind } from '../types';

/** Types of single values in formulas. Dates are 'YYYY-MM-DD', datetimes ISO 8601 UTC strings. */
export const FORMULA_SCALAR_TYPES = ['number', 'text', 'boolean', 'date', 'datetime'] as const;
export type FormulaScalarType = (typeof FORMULA_SCALAR_TYPES)[number];
/** A list of values: a subform column (`items.qty`), a multi-valued field, SPLIT's result. */
export type FormulaListType = `${FormulaScalarType}-list`;
/**
 * Static type of a formula or a part of it. `blank` is the type of `null`; `any` is a value
 * whose type is not known (it fits everywhere and is checked at run time).
 */
export type FormulaType = FormulaScalarType | FormulaListType | 'blank' | 'any';

/** What the type checker is told about a field: its type, or a subform with its columns. */
export type FormulaFieldType = Exclude<FormulaType, 'blank'> | { readonly subform: Readonly<Record<string, FormulaScalarType | 'any'>> };

export function isListType(type: FormulaType): type is FormulaListType {
  return type.endsWith('-list');
}

export function listOf(type: FormulaScalarType): FormulaListType {
  return `${type}-list`;
}

export function elementType(type: FormulaListType): FormulaScalarType {
  return type.slice(0, -'-list'.length) as FormulaScalarType;
}

/** How a field of a value kind appears in formulas (subform rows need their columns: undefined). */
export function formulaTypeOfValueKind(kind: ValueKind): FormulaFieldType | undefined {
  const types: Record<ValueKind, FormulaFieldType | undefined> = {
    string: 'text',
    number: 'number',
    boolean: 'boolean',
    date: 'date',
    datetime: 'datetime',
    id: 'number',
    'string-list': 'text-list',
    'id-list': 'number-list',
    'object-list': undefined,
    object: undefined,
    html: 'text',
    region: undefined,
  };
  return types[kind];
}

/**
 * What a function parameter accepts. `number`, `boolean`: that type; `text`: any single value
 * (converted to text); `date`: a date or datetime; `value`: any single value; the plural forms
 * also accept lists of it (aggregates); `values`: anything.
 */
export type FormulaParamType = 'number' | 'numbers' | 'text' | 'texts' | 'boolean' | 'booleans' | 'date' | 'value' | 'values';

const SCALAR_OF_PARAM: Record<FormulaParamType, readonly FormulaScalarType[]> = {
  number: ['number'],
  numbers: ['number'],
  text: FORMULA_SCALAR_TYPES,
  texts: FORMULA_SCALAR_TYPES,
  boolean: ['boolean'],
  booleans: ['boolean'],
  date: ['date', 'datetime'],
  value: FORMULA_SCALAR_TYPES,
  values: FORMULA_SCALAR_TYPES,
};

const LIST_ALLOWED: ReadonlySet<FormulaParamType> = new Set(['numbers', 'texts', 'booleans', 'values']);

/** Whether a value of `type` may be passed where `param` is expected. */
export function fitsParam(type: FormulaType, param: FormulaParamType): boolean {
  if (type === 'any' || type === 'blank') return true;
  if (isListType(type)) return LIST_ALLOWED.has(param) && SCALAR_OF_PARAM[param].includes(elementType(type));
  return SCALAR_OF_PARAM[param].includes(type);
}

/** Words for messages: "a number", "a list of dates". */
export function describeType(type: FormulaType): string {
  const words: Record<FormulaScalarType | 'blank' | 'any', [string, string]> = {
    number: ['a number', 'numbers'],
    text: ['text', 'texts'],
    boolean: ['true/false', 'true/false values'],
    date: ['a date', 'dates'],
    datetime: ['a date-time', 'date-times'],
    blank: ['null', 'nulls'],
    any: ['a value', 'values'],
  };
  return isListType(type) ? `a list of ${words[elementType(type)][1]}` : words[type][0];
}

export function describeParam(param: FormulaParamType): string {
  const words: Record<FormulaParamType, string> = {
    number: 'a number',
    numbers: 'numbers or a list of numbers',
    text: 'a single value',
    texts: 'values or lists',
    boolean: 'true/false',
    booleans: 'true/false values',
    date: 'a date or date-time',
    value: 'a single value',
    values: 'values or lists',
  };
  return words[param];
}
