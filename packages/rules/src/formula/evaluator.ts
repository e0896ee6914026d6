import jsonLogic from 'json-logic-js';
import { inspectFormulaAstOrThrow } from './ast';
import { FormulaError, FormulaRuntimeErrorCode, type FormulaErrorCode } from './errors';
import { FORMULA_FUNCTION_DEFINITIONS } from './functions';
import type { FormulaFunctionDefinition } from './functions/definition';
import { FORMULA_LIMITS } from './limits';
import { OPERATOR_DEFINITIONS } from './operators';
import { charge, contextOf, CONTEXT, firstFault, FormulaBudgetError, FormulaFault, type EvaluationContext } from './runtime';

let registered = false;

/**
 * Registers the formula functions (upper-case names) and the formula semantics of json-logic's
 * + - * / == != < <= > >= and cat with json-logic-js (idempotent). For json-logic users outside
 * formulas those operators keep their results, except that arithmetic is decimal (exact, / to
 * 10 places) and treats a blank as 0, cat writes a blank as "", a blank never satisfies
 * < <= > >=, and a date compared with a datetime counts as its midnight UTC.
 */
export function registerFormulaOperations(): void {
  if (registered) return;
  registered = true;
  for (const definition of Object.values(OPERATOR_DEFINITIONS)) {
    jsonLogic.add_operation(definition.op, definition.implementation);
  }
  for (const definition of Object.values(FORMULA_FUNCTION_DEFINITIONS)) {
    jsonLogic.add_operation(definition.name, operationOf(definition));
  }
}

function operationOf(definition: FormulaFunctionDefinition) {
  return function (this: unknown, ...args: unknown[]): unknown {
    const context = contextOf(this);
    charge(context, 1 + args.length);
    if (!definition.seesFaults) {
      const problem = firstFault(args);
      if (problem) return problem;
    }
    return definition.implementation(args, context);
  };
}

/** A formula's value: what fields hold (lists for SPLIT or a subform column). */
export type FormulaValue = number | string | boolean | null | readonly unknown[];

export type FormulaResult =
  | { ok: true; value: FormulaValue }
  | { ok: false; code: FormulaRuntimeErrorCode | FormulaErrorCode; message: string };

export interface EvaluateFormulaInput {
  ast: unknown;
  /** Field values in API form (dates 'YYYY-MM-DD', datetimes ISO 8601; a subform is an array of row objects). */
  values: Readonly<Record<string, unknown>>;
  /** The clock of TODAY() and NOW(). */
  now: Date;
  /** Work budget (default FORMULA_LIMITS.maxSteps). */
  maxSteps?: number;
}

/**
 * Evaluates a formula AST over field values, the same in node and in browsers. Never throws
 * for bad input: an AST that is no formula, a run-time error (division by zero, a bad date…)
 * or an evaluation over budget comes back as `{ ok: false, code, message }`.
 */
export function evaluateFormula({ ast, values, now, maxSteps = FORMULA_LIMITS.maxSteps }: EvaluateFormulaInput): FormulaResult {
  registerFormulaOperations();
  const context: EvaluationContext = { now, steps: 0, maxSteps };
  try {
    const { dependencies } = inspectFormulaAstOrThrow(ast);
    const data = dataFor(dependencies, values, context);
    const value = jsonLogic.apply(ast as never, data) as unknown;
    if (value instanceof FormulaFault) return { ok: false, code: value.code, message: value.message };
    return { ok: true, value: normalizeResult(value) };
  } catch (error) {
    if (error instanceof FormulaError || error instanceof FormulaBudgetError) return { ok: false, code: error.code, message: error.message };
    // BigInt size limits and the like: still a bounded, reported failure, not a crash.
    if (error instanceof RangeError) return { ok: false, code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED, message: error.message };
    throw error;
  }
}

function normalizeResult(value: unknown): FormulaValue {
  if (value === undefined) return null;
  if (typeof value === 'number') return value + 0;
  return value as FormulaValue;
}

/**
 * The data object json-logic reads: only the fields the formula uses, without a prototype, and
 * each subform column it reads as a list (`items.qty` → values of qty in row order, blank as null).
 */
function dataFor(dependencies: readonly string[], values: Readonly<Record<string, unknown>>, context: EvaluationContext): Record<string, unknown> {
  const data = Object.create(null) as Record<string | symbol, unknown>;
  data[CONTEXT] = context;
  const own = (record: unknown, key: string): unknown =>
    typeof record === 'object' && record !== null && Object.hasOwn(record, key) ? ((record as Record<string, unknown>)[key] ?? null) : null;
  for (const path of dependencies) {
    const dot = path.indexOf('.');
    if (dot < 0) {
      data[path] = own(values, path);
      continue;
    }
    const [key, column] = [path.slice(0, dot), path.slice(dot + 1)];
    const rows = own(values, key);
    const list = Array.isArray(rows) ? rows : [];
    if (list.length > FORMULA_LIMITS.maxListLength) throw new FormulaBudgetError(`A subform of more than ${FORMULA_LIMITS.maxListLength} rows`);
    charge(context, list.length);
    let columns = data[key] as Record<string, unknown> | undefined;
    if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) {
      columns = Object.create(null) as Record<string, unknown>;
      data[key] = columns;
    }
    columns[column] = list.map((row) => own(row, column));
  }
  return data;
}
