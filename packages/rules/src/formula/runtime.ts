import { DomainError } from '@crm/schema';
import { canonicalDateTime, dateOfDay, dayNumber, isIsoDate } from '../dates';
import { DECIMAL_PRECISION, decimalFromNumber, decimalFromString, decimalToNumber, decimalToString, roundDecimal, type Decimal } from './decimal';
import { FormulaRuntimeErrorCode } from './errors';
import { FORMULA_LIMITS } from './limits';

/**
 * A run-time error as a value, like #DIV/0! in a spreadsheet: operations return it and pass on
 * the first one among their arguments, so IF(b = 0, 0, a / b) still works although json-logic
 * evaluates every argument of a custom operation.
 */
export class FormulaFault {
  constructor(
    readonly code: FormulaRuntimeErrorCode,
    readonly message: string,
  ) {
    Object.freeze(this);
  }
}

/** Thrown (not returned) when an evaluation runs over its budget: it stops at once. */
export class FormulaBudgetError extends DomainError<typeof FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED> {
  constructor(message: string) {
    super({ code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED, message });
  }
}

export type RuntimeValue = number | string | boolean | null | readonly RuntimeValue[] | FormulaFault;

export function isFault(value: unknown): value is FormulaFault {
  return value instanceof FormulaFault;
}

export function fault(code: FormulaRuntimeErrorCode, message: string): FormulaFault {
  return new FormulaFault(code, message);
}

export const invalid = (message: string) => fault(FormulaRuntimeErrorCode.FORMULA_INVALID_VALUE, message);
export const outOfRange = (message: string) => fault(FormulaRuntimeErrorCode.FORMULA_OUT_OF_RANGE, message);
export const divideByZero = (message = 'Division by zero') => fault(FormulaRuntimeErrorCode.FORMULA_DIVIDE_BY_ZERO, message);

export function firstFault(values: readonly unknown[]): FormulaFault | undefined {
  for (const value of values) if (value instanceof FormulaFault) return value;
  return undefined;
}

/** Evaluation state; json-logic hands the data object to operations as `this`. */
export interface EvaluationContext {
  now: Date | undefined;
  steps: number;
  readonly maxSteps: number;
}

/** Key of the context on the data object; a symbol, so no `{"var": …}` can reach it. */
export const CONTEXT = Symbol('formula evaluation context');

/** Without a context (json-logic called directly) each operation is still bounded by its sizes. */
const UNMETERED: EvaluationContext = { now: undefined, steps: 0, maxSteps: Number.POSITIVE_INFINITY };

export function contextOf(data: unknown): EvaluationContext {
  if (typeof data === 'object' && data !== null) {
    const context = (data as { [CONTEXT]?: EvaluationContext })[CONTEXT];
    if (context !== undefined) return context;
  }
  return UNMETERED;
}

/** Counts `units` of work; throws FormulaBudgetError past the evaluation's budget. */
export function charge(context: EvaluationContext, units: number): void {
  context.steps += units;
  if (context.steps > context.maxSteps) {
    throw new FormulaBudgetError(`The formula needs more than ${context.maxSteps} steps to evaluate`);
  }
}

/** Refuses text over the size limit before it is built. */
export function checkTextLength(context: EvaluationContext, length: number): void {
  if (length > FORMULA_LIMITS.maxTextLength) {
    throw new FormulaBudgetError(`Text longer than ${FORMULA_LIMITS.maxTextLength} characters`);
  }
  charge(context, length);
}

export function checkListLength(context: EvaluationContext, length: number): void {
  if (length > FORMULA_LIMITS.maxListLength) {
    throw new FormulaBudgetError(`A list of more than ${FORMULA_LIMITS.maxListLength} items`);
  }
  charge(context, length);
}

export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** A number argument as a decimal: blank counts as 0; numeric text is read as a number. */
export function toDecimal(value: unknown): Decimal | FormulaFault {
  if (value === null || value === undefined) return { coefficient: 0n, scale: 0 };
  if (typeof value === 'number') {
    return Number.isFinite(value) ? decimalFromNumber(value) : invalid('Not a finite number');
  }
  if (value instanceof FormulaFault) return value;
  if (typeof value === 'string') {
    const parsed = value.length <= 400 ? decimalFromString(value) : undefined;
    return parsed ?? invalid(`Expected a number, got the text "${preview(value)}"`);
  }
  return invalid(`Expected a number, got ${describeValue(value)}`);
}

/** A computed decimal as a JS number (rounded to DECIMAL_PRECISION.maxScale places), or an out-of-range fault. */
export function fromDecimal(value: Decimal): number | FormulaFault {
  const result = decimalToNumber(roundDecimal(value, DECIMAL_PRECISION.maxScale, 'half-away'));
  return Number.isFinite(result) ? result : outOfRange('The number is too large');
}

/** A number argument as a JS number (for counts and positions): blank counts as 0. */
export function toNumber(value: unknown): number | FormulaFault {
  if (typeof value === 'number') return Number.isFinite(value) ? value : invalid('Not a finite number');
  const decimal = toDecimal(value);
  return decimal instanceof FormulaFault ? decimal : decimalToNumber(decimal);
}

/** Whole number for counts and positions: truncated toward zero, like spreadsheets. */
export function toInteger(value: unknown): number | FormulaFault {
  const number = toNumber(value);
  if (number instanceof FormulaFault) return number;
  return Math.trunc(number) + 0;
}

/** Text of a value: blank is "", numbers in plain decimal (no exponent), true/false. */
export function toText(value: unknown): string | FormulaFault {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? numberText(value) : invalid('Not a finite number');
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof FormulaFault) return value;
  if (Array.isArray(value)) {
    const parts: string[] = [];
    let length = 0;
    for (const item of value) {
      const text = toText(item);
      if (text instanceof FormulaFault) return text;
      length += text.length + 1;
      if (length > FORMULA_LIMITS.maxTextLength) throw new FormulaBudgetError(`Text longer than ${FORMULA_LIMITS.maxTextLength} characters`);
      parts.push(text);
    }
    return parts.join(',');
  }
  return invalid(`Cannot use ${describeValue(value)} as text`);
}

export function numberText(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : decimalToString(decimalFromNumber(value));
}

/** Truthiness of conditions: true/false as is, blank is false, others as json-logic. */
export function toBoolean(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

/** Items of a value for aggregates: lists are flattened, a single value is one item. */
export function itemsOf(values: readonly unknown[]): unknown[] {
  const items: unknown[] = [];
  for (const value of values) {
    if (Array.isArray(value)) items.push(...(value as unknown[]));
    else items.push(value);
  }
  return items;
}

export const DAY_MS = 86_400_000;
/** Day numbers of 1000-01-01 and 9999-12-31: formulas keep to four-digit years. */
const FIRST_DAY = dayNumber('1000-01-01');
const LAST_DAY = dayNumber('9999-12-31');

export type DateValue = { kind: 'date'; day: number } | { kind: 'datetime'; ms: number };

/** A date ('YYYY-MM-DD') or datetime (ISO 8601 with zone) argument. */
export function toDateValue(value: unknown): DateValue | FormulaFault {
  if (value instanceof FormulaFault) return value;
  if (isIsoDate(value)) return { kind: 'date', day: dayNumber(value) };
  const canonical = canonicalDateTime(value);
  if (canonical !== undefined) return { kind: 'datetime', ms: Date.parse(canonical) };
  return invalid(`Expected a date, got ${describeValue(value)}`);
}

export function isDateText(value: unknown): boolean {
  return isIsoDate(value) || canonicalDateTime(value) !== undefined;
}

/** UTC day number of a date or datetime. */
export function dayOf(value: DateValue): number {
  return value.kind === 'date' ? value.day : Math.floor(value.ms / DAY_MS);
}

/** Milliseconds since the epoch; a date counts as its midnight UTC. */
export function msOf(value: DateValue): number {
  return value.kind === 'date' ? value.day * DAY_MS : value.ms;
}

export function dateFromDay(day: number): string | FormulaFault {
  if (!Number.isFinite(day) || day < FIRST_DAY || day > LAST_DAY) return outOfRange('The date is outside the years 1000 to 9999');
  return dateOfDay(day);
}

export function dateTimeFromMs(ms: number): string | FormulaFault {
  if (!Number.isFinite(ms) || ms < FIRST_DAY * DAY_MS || ms >= (LAST_DAY + 1) * DAY_MS) {
    return outOfRange('The date is outside the years 1000 to 9999');
  }
  return new Date(ms).toISOString();
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'a blank';
  if (typeof value === 'string') return `the text "${preview(value)}"`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}

function preview(text: string): string {
  return text.length > 30 ? `${text.slice(0, 30)}…` : text;
}
