import { canonicalDateTime, isIsoDate } from '../dates';
import { addDecimals, decimalFromNumber, divideDecimals, multiplyDecimals, negateDecimal, roundDecimal, subtractDecimals, type Decimal } from './decimal';
import {
  charge,
  checkTextLength,
  contextOf,
  DAY_MS,
  dateFromDay,
  dateTimeFromMs,
  divideByZero,
  firstFault,
  fromDecimal,
  FormulaFault,
  invalid,
  isDateText,
  msOf,
  toDateValue,
  toDecimal,
  toText,
  type DateValue,
} from './runtime';
import { describeType, isListType, type FormulaType } from './types';

/** The json-logic operators a formula's infix syntax maps to. */
export const FORMULA_OPERATORS = ['+', '-', '*', '/', '==', '!=', '<', '<=', '>', '>=', 'cat'] as const;
export type FormulaOperator = (typeof FORMULA_OPERATORS)[number];

/** A type, or why the operands do not fit (with the index of the operand at fault). */
export type TypeVerdict = FormulaType | { problem: string; argIndex: number };

export interface OperatorDefinition {
  op: FormulaOperator;
  /** Spelling in formula text. */
  symbol: string;
  /** Binding strength: comparison 1, & 2, + − 3, × / 4 (unary minus binds tighter still). */
  precedence: 1 | 2 | 3 | 4;
  /** Chains of the same operator parse into one argument list: a + b + c → {"+": [a, b, c]}. */
  variadic: boolean;
  /** Type of the result given the operand types. */
  type(args: readonly FormulaType[]): TypeVerdict;
  /** The json-logic operation (also called by json-logic users outside formulas). */
  implementation(this: unknown, ...args: unknown[]): unknown;
}

export const UNARY_MINUS_PRECEDENCE = 5;

// ---------------------------------------------------------------- types

const isNumeric = (t: FormulaType) => t === 'number' || t === 'blank' || t === 'any';
const isDateType = (t: FormulaType) => t === 'date' || t === 'datetime';

function operandProblem(type: FormulaType, argIndex: number, hint: string): TypeVerdict | undefined {
  if (isListType(type)) return { problem: `${describeType(type)} cannot be used here: aggregate it first, e.g. SUM(…)`, argIndex };
  if (type === 'text') return { problem: `text cannot be used in arithmetic${hint}`, argIndex };
  if (type === 'boolean') return { problem: 'true/false cannot be used in arithmetic', argIndex };
  return undefined;
}

function additionType(args: readonly FormulaType[]): TypeVerdict {
  let result: FormulaType = args[0]!;
  const first = operandProblem(result, 0, ': use & to join text');
  if (first) return first;
  for (let i = 1; i < args.length; i += 1) {
    const next = args[i]!;
    const problem = operandProblem(next, i, ': use & to join text');
    if (problem) return problem;
    if (isDateType(result) && isDateType(next)) return { problem: 'two dates cannot be added: add a number of days', argIndex: i };
    if (isDateType(next)) result = next;
    else if (!isDateType(result)) result = result === 'any' || next === 'any' ? 'any' : 'number';
  }
  return result === 'blank' ? 'number' : result;
}

function subtractionType(args: readonly FormulaType[]): TypeVerdict {
  const [left, right] = args as [FormulaType, FormulaType | undefined];
  const first = operandProblem(left, 0, '');
  if (first) return first;
  if (right === undefined) {
    if (isDateType(left)) return { problem: 'a date cannot be negated', argIndex: 0 };
    return 'number';
  }
  const second = operandProblem(right, 1, '');
  if (second) return second;
  if (isDateType(left)) {
    if (isDateType(right)) return 'number';
    return right === 'any' ? 'any' : left;
  }
  if (isDateType(right)) {
    return left === 'any' ? 'number' : { problem: 'a date cannot be subtracted from a number', argIndex: 1 };
  }
  return left === 'any' || right === 'any' ? 'any' : 'number';
}

function numbersType(args: readonly FormulaType[]): TypeVerdict {
  for (let i = 0; i < args.length; i += 1) {
    const type = args[i]!;
    const problem = operandProblem(type, i, '');
    if (problem) return problem;
    if (!isNumeric(type)) return { problem: `${describeType(type)} cannot be multiplied or divided`, argIndex: i };
  }
  return 'number';
}

type Comparable = 'number' | 'text' | 'boolean' | 'date' | 'free';

function comparable(type: FormulaType): Comparable | undefined {
  if (isListType(type)) return undefined;
  if (type === 'blank' || type === 'any') return 'free';
  if (type === 'datetime') return 'date';
  return type as Comparable;
}

function comparisonType(args: readonly FormulaType[]): TypeVerdict {
  const [left, right] = [comparable(args[0]!), comparable(args[1]!)];
  if (left === undefined) return { problem: `${describeType(args[0]!)} cannot be compared: aggregate it first`, argIndex: 0 };
  if (right === undefined) return { problem: `${describeType(args[1]!)} cannot be compared: aggregate it first`, argIndex: 1 };
  if (left !== 'free' && right !== 'free' && left !== right) {
    return { problem: `${describeType(args[0]!)} cannot be compared with ${describeType(args[1]!)}`, argIndex: 1 };
  }
  return 'boolean';
}

function concatenationType(args: readonly FormulaType[]): TypeVerdict {
  const index = args.findIndex(isListType);
  if (index >= 0) return { problem: `${describeType(args[index]!)} cannot be joined with &: use CONCATENATE`, argIndex: index };
  return 'text';
}

// ---------------------------------------------------------------- run time

function dateOperand(value: unknown): DateValue | undefined {
  if (typeof value !== 'string' || !isDateText(value)) return undefined;
  const date = toDateValue(value);
  return date instanceof FormulaFault ? undefined : date;
}

/** A date moved by a number of days: whole days for a date, to the millisecond for a datetime. */
export function shiftDate(date: DateValue, days: Decimal): string | FormulaFault {
  if (date.kind === 'date') return dateFromDay(date.day + Number(roundDecimal(days, 0, 'toward-zero').coefficient));
  const ms = roundDecimal(multiplyDecimals(days, decimalFromNumber(DAY_MS)), 0, 'half-away');
  return dateTimeFromMs(date.ms + Number(ms.coefficient));
}

/** Days from b to a; whole for two dates, with a fraction when a datetime is involved. */
export function daysBetween(a: DateValue, b: DateValue): number | FormulaFault {
  if (a.kind === 'date' && b.kind === 'date') return a.day - b.day;
  const days = divideDecimals(decimalFromNumber(msOf(a) - msOf(b)), decimalFromNumber(DAY_MS));
  return fromDecimal(days!);
}

// Fast paths of + − × for plain numbers (and blanks, which count as 0) with a few decimal
// places: on exact integers value·10^places, the same digits as the decimal arithmetic below
// without BigInt. The result n / 10^s is exact decimal n·10^-s correctly rounded, as the
// decimal route's final Number(text) is. Anything else (text, dates, faults, more places,
// larger numbers) takes the decimal route.

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact doubles
const SCALED_LIMIT = 2 ** 50;
const MAX_FAST_PLACES = 10;
/** The integer of the last successful `placesOf`. */
let scaledInteger = 0;

/**
 * Places of String(value) when value is a number (or blank: 0) with at most MAX_FAST_PLACES
 * of them and small enough, its integer value·10^places left in `scaledInteger`; else -1.
 */
function placesOf(value: unknown): number {
  if (value === null || value === undefined) {
    scaledInteger = 0;
    return 0;
  }
  if (typeof value !== 'number') return -1;
  for (let s = 0; s <= MAX_FAST_PLACES; s += 1) {
    const scaled = value * POWERS_OF_TEN[s]!;
    if (!(Math.abs(scaled) < SCALED_LIMIT)) return -1;
    const integer = Math.round(scaled);
    if (integer / POWERS_OF_TEN[s]! === value) {
      scaledInteger = integer;
      return s;
    }
  }
  return -1;
}

/** a + sign·b on scaled integers, or undefined when a value does not fit. */
function fastSum(args: readonly unknown[], negateFrom: number): number | undefined {
  let total = 0;
  let scale = 0;
  for (let i = 0; i < args.length; i += 1) {
    const places = placesOf(args[i]);
    if (places < 0) return undefined;
    let term = i >= negateFrom ? -scaledInteger : scaledInteger;
    if (places > scale) {
      total *= POWERS_OF_TEN[places - scale]!;
      scale = places;
    } else if (places < scale) term *= POWERS_OF_TEN[scale - places]!;
    // Every integer below 2^50 is exact, and so is the sum of two of them.
    if (!(Math.abs(total) < SCALED_LIMIT) || !(Math.abs(term) < SCALED_LIMIT)) return undefined;
    total += term;
  }
  return Math.abs(total) < SCALED_LIMIT ? total / POWERS_OF_TEN[scale]! + 0 : undefined;
}

function fastProduct(args: readonly unknown[]): number | undefined {
  let product = 1;
  let scale = 0;
  for (let i = 0; i < args.length; i += 1) {
    const places = placesOf(args[i]);
    if (places < 0) return undefined;
    product *= scaledInteger;
    scale += places;
    if (!(Math.abs(product) < SCALED_LIMIT) || scale > 22) return undefined;
  }
  return product / POWERS_OF_TEN[scale]! + 0;
}

/** Sum of safe integers when every argument is one and the sum stays safe, else undefined. */
function integerSum(args: readonly unknown[]): number | undefined {
  let total = 0;
  for (const arg of args) {
    if (!Number.isSafeInteger(arg)) return undefined;
    total += arg as number;
  }
  return Number.isSafeInteger(total) ? total + 0 : undefined;
}

function add(this: unknown, ...args: unknown[]): unknown {
  charge(contextOf(this), args.length);
  const fast = integerSum(args) ?? fastSum(args, args.length);
  if (fast !== undefined) return fast;
  const problem = firstFault(args);
  if (problem) return problem;
  let sum: Decimal = { coefficient: 0n, scale: 0 };
  let date: DateValue | undefined;
  for (const arg of args) {
    const asDate = dateOperand(arg);
    if (asDate !== undefined) {
      if (date !== undefined) return invalid('Two dates cannot be added');
      date = asDate;
      continue;
    }
    const number = toDecimal(arg);
    if (number instanceof FormulaFault) return number;
    sum = addDecimals(sum, number);
  }
  return date === undefined ? fromDecimal(sum) : shiftDate(date, sum);
}

function subtract(this: unknown, a: unknown, b?: unknown): unknown {
  charge(contextOf(this), 1);
  const fast = arguments.length < 2 ? fastSum([a], 0) : fastSum([a, b], 1);
  if (fast !== undefined) return fast;
  const problem = firstFault([a, b]);
  if (problem) return problem;
  if (arguments.length < 2) {
    const number = toDecimal(a);
    return number instanceof FormulaFault ? number : fromDecimal(negateDecimal(number));
  }
  const left = dateOperand(a);
  const right = dateOperand(b);
  if (left !== undefined && right !== undefined) return daysBetween(left, right);
  if (right !== undefined) return invalid('A date cannot be subtracted from a number');
  const amount = toDecimal(b);
  if (amount instanceof FormulaFault) return amount;
  if (left !== undefined) return shiftDate(left, negateDecimal(amount));
  const number = toDecimal(a);
  return number instanceof FormulaFault ? number : fromDecimal(subtractDecimals(number, amount));
}

function multiply(this: unknown, ...args: unknown[]): unknown {
  charge(contextOf(this), args.length);
  const fast = fastProduct(args);
  if (fast !== undefined) return fast;
  const problem = firstFault(args);
  if (problem) return problem;
  let product: Decimal = { coefficient: 1n, scale: 0 };
  for (const arg of args) {
    const number = toDecimal(arg);
    if (number instanceof FormulaFault) return number;
    product = multiplyDecimals(product, number);
  }
  return fromDecimal(product);
}

function divide(this: unknown, a: unknown, b: unknown): unknown {
  charge(contextOf(this), 1);
  const problem = firstFault([a, b]);
  if (problem) return problem;
  const [x, y] = [toDecimal(a), toDecimal(b)];
  if (x instanceof FormulaFault) return x;
  if (y instanceof FormulaFault) return y;
  const quotient = divideDecimals(x, y);
  return quotient === undefined ? divideByZero() : fromDecimal(quotient);
}

const looksLikeDate = (value: unknown): value is string => typeof value === 'string' && value.length >= 10 && value[4] === '-' && value[7] === '-';

/**
 * Operands as JavaScript compares them, except that a date meeting a datetime counts as its
 * midnight UTC and datetimes with offsets compare as instants.
 */
function comparableOperands(a: unknown, b: unknown): [unknown, unknown] {
  if (!looksLikeDate(a) || !looksLikeDate(b)) return [a, b];
  if (a.length === b.length && (a.length === 10 || (a.length === 24 && a.endsWith('Z') && b.endsWith('Z')))) return [a, b];
  const canonical = (value: string) => (isIsoDate(value) ? `${value}T00:00:00.000Z` : (canonicalDateTime(value) ?? value));
  return [canonical(a), canonical(b)];
}

const blank = (value: unknown) => value === null || value === undefined;

type Ordered = (a: unknown, b: unknown) => boolean;

/** Ordered comparison; a blank never satisfies one (as in conditions and SQL). Three operands: between. */
function ordered(test: Ordered) {
  return function (this: unknown, a: unknown, b: unknown, c?: unknown): unknown {
    charge(contextOf(this), 1);
    const problem = firstFault([a, b, c]);
    if (problem) return problem;
    const holds = (x: unknown, y: unknown) => {
      if (blank(x) || blank(y)) return false;
      const [p, q] = comparableOperands(x, y);
      return test(p, q);
    };
    return c === undefined ? holds(a, b) : holds(a, b) && holds(b, c);
  };
}

function equals(this: unknown, a: unknown, b: unknown): unknown {
  charge(contextOf(this), 1);
  const problem = firstFault([a, b]);
  if (problem) return problem;
  const [p, q] = comparableOperands(a, b);
  // Loose equality as json-logic's "==": a blank equals only a blank (null, missing).
  return p == q;
}

function notEquals(this: unknown, a: unknown, b: unknown): unknown {
  const result = equals.call(this, a, b);
  return result instanceof FormulaFault ? result : !result;
}

function concatenate(this: unknown, ...args: unknown[]): unknown {
  const parts: string[] = [];
  let length = 0;
  for (const arg of args) {
    const text = toText(arg);
    if (text instanceof FormulaFault) return text;
    length += text.length;
    parts.push(text);
  }
  checkTextLength(contextOf(this), length);
  return parts.join('');
}

/** One entry per operator; the parser, printer, checker and evaluator all read this table. */
export const OPERATOR_DEFINITIONS: Readonly<Record<FormulaOperator, OperatorDefinition>> = {
  '+': { op: '+', symbol: '+', precedence: 3, variadic: true, type: additionType, implementation: add },
  '-': { op: '-', symbol: '-', precedence: 3, variadic: false, type: subtractionType, implementation: subtract },
  '*': { op: '*', symbol: '*', precedence: 4, variadic: true, type: numbersType, implementation: multiply },
  '/': { op: '/', symbol: '/', precedence: 4, variadic: false, type: numbersType, implementation: divide },
  '==': { op: '==', symbol: '=', precedence: 1, variadic: false, type: comparisonType, implementation: equals },
  '!=': { op: '!=', symbol: '<>', precedence: 1, variadic: false, type: comparisonType, implementation: notEquals },
  '<': { op: '<', symbol: '<', precedence: 1, variadic: false, type: comparisonType, implementation: ordered((a: any, b: any) => a < b) },
  '<=': { op: '<=', symbol: '<=', precedence: 1, variadic: false, type: comparisonType, implementation: ordered((a: any, b: any) => a <= b) },
  '>': { op: '>', symbol: '>', precedence: 1, variadic: false, type: comparisonType, implementation: ordered((a: any, b: any) => a > b) },
  '>=': { op: '>=', symbol: '>=', precedence: 1, variadic: false, type: comparisonType, implementation: ordered((a: any, b: any) => a >= b) },
  cat: { op: 'cat', symbol: '&', precedence: 2, variadic: true, type: concatenationType, implementation: concatenate },
};

export function isFormulaOperator(op: string): op is FormulaOperator {
  return Object.hasOwn(OPERATOR_DEFINITIONS, op);
}
