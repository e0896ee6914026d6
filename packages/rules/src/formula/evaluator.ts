import jsonLogic from 'json-logic-js';
import { argsOf, inspectFormulaAstOrThrow, operatorOf, type FormulaAst } from './ast';
import { FormulaError, FormulaRuntimeErrorCode, type FormulaErrorCode } from './errors';
import { FORMULA_FUNCTION_DEFINITIONS } from './functions';
import type { FormulaFunctionDefinition } from './functions/definition';
import { FORMULA_LIMITS } from './limits';
import { isFormulaOperator, OPERATOR_DEFINITIONS } from './operators';
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

const operations = new Map<FormulaFunctionDefinition, (this: unknown, ...args: unknown[]) => unknown>();

/** The json-logic operation of a formula function (one per definition). */
function operationOf(definition: FormulaFunctionDefinition) {
  let operation = operations.get(definition);
  if (operation === undefined) {
    operation = function (this: unknown, ...args: unknown[]): unknown {
      const context = contextOf(this);
      charge(context, 1 + args.length);
      if (!definition.seesFaults) {
        const problem = firstFault(args);
        if (problem) return problem;
      }
      return definition.implementation(args, context);
    };
    operations.set(definition, operation);
  }
  return operation;
}

/** A formula's value: what fields hold (lists for SPLIT or a subform column). */
export type FormulaValue = number | string | boolean | null | readonly unknown[];

export type FormulaResult = { ok: true; value: FormulaValue } | { ok: false; code: FormulaRuntimeErrorCode | FormulaErrorCode; message: string };

export interface EvaluateFormulaInput {
  ast: unknown;
  /** Field values in API form (dates 'YYYY-MM-DD', datetimes ISO 8601; a subform is an array of row objects). */
  values: Readonly<Record<string, unknown>>;
  /** Values read before `values` (own keys only): the computed fields of a record, without copying the record. */
  overrides?: Readonly<Record<string, unknown>>;
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
export function evaluateFormula({ ast, values, overrides, now, maxSteps = FORMULA_LIMITS.maxSteps }: EvaluateFormulaInput): FormulaResult {
  registerFormulaOperations();
  const context: EvaluationContext = { now, steps: 0, maxSteps };
  try {
    const { dependencies, run } = compiledOf(ast);
    const data = dataFor(dependencies, values, overrides, context);
    const value = run(data, { [CONTEXT]: context });
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

function own(record: unknown, key: string): unknown {
  return typeof record === 'object' && record !== null && Object.hasOwn(record, key) ? ((record as Record<string, unknown>)[key] ?? null) : null;
}

function fieldValue(values: Readonly<Record<string, unknown>>, overrides: Readonly<Record<string, unknown>> | undefined, key: string): unknown {
  return overrides !== undefined && Object.hasOwn(overrides, key) ? (overrides[key] ?? null) : own(values, key);
}

/**
 * The data object formulas read: only the fields the formula uses, and each subform column it
 * reads as a list (`items.qty` → values of qty in row order, blank as null). A plain object
 * (V8 keeps small ones fast; a prototype-less one is a slow dictionary): every path a formula
 * reads is one of its dependencies, set here as an own key, so nothing reaches the prototype.
 */
function dataFor(
  dependencies: readonly string[],
  values: Readonly<Record<string, unknown>>,
  overrides: Readonly<Record<string, unknown>> | undefined,
  context: EvaluationContext,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const path of dependencies) {
    const dot = path.indexOf('.');
    if (dot < 0) {
      data[path] = fieldValue(values, overrides, path);
      continue;
    }
    const key = path.slice(0, dot);
    const column = path.slice(dot + 1);
    const rows = fieldValue(values, overrides, key);
    const list = Array.isArray(rows) ? rows : [];
    if (list.length > FORMULA_LIMITS.maxListLength) throw new FormulaBudgetError(`A subform of more than ${FORMULA_LIMITS.maxListLength} rows`);
    charge(context, list.length);
    let columns = data[key] as Record<string, unknown> | undefined;
    if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) {
      columns = Object.create(null) as Record<string, unknown>;
      data[key] = columns;
    }
    const columnValues = new Array<unknown>(list.length);
    for (let i = 0; i < list.length; i += 1) columnValues[i] = own(list[i], column);
    columns[column] = columnValues;
  }
  return data;
}

// ---------------------------------------------------------------------------------------------
// Compilation: each AST becomes a tree of closures once (cached per AST object), which does
// exactly what json-logic-js's apply does with the operations registered above: arguments
// evaluated left to right, then the operation called with the evaluation context reachable
// from `this` (a small object of its own rather than the data object, for speed).
// Interpreting the JSON on every call was most of the cost.

/** `self`: what operations get as `this`, carrying the evaluation context (json-logic gives them the data object, which carries it too). */
type Compiled = (data: Record<string | symbol, unknown>, self: object) => unknown;

const compiledAsts = new WeakMap<object, { dependencies: readonly string[]; run: Compiled }>();

/** Checks (inspectFormulaAstOrThrow) and compiles an AST; cached per AST object (treat ASTs as immutable). */
function compiledOf(ast: unknown): { dependencies: readonly string[]; run: Compiled } {
  const cacheable = typeof ast === 'object' && ast !== null;
  const hit = cacheable ? compiledAsts.get(ast) : undefined;
  if (hit !== undefined) return hit;
  const { dependencies } = inspectFormulaAstOrThrow(ast);
  registerFormulaOperations();
  const entry = { dependencies, run: compileNode(ast as FormulaAst) };
  if (cacheable) compiledAsts.set(ast, entry);
  return entry;
}

function compileNode(ast: FormulaAst): Compiled {
  if (ast === null || typeof ast !== 'object') return () => ast;
  const op = operatorOf(ast);
  if (op === 'var') return compileVar((ast as { var: string }).var);
  const operation = isFormulaOperator(op)
    ? OPERATOR_DEFINITIONS[op].implementation
    : operationOf(FORMULA_FUNCTION_DEFINITIONS[op as keyof typeof FORMULA_FUNCTION_DEFINITIONS]);
  const args = argsOf(ast).map(compileNode);
  switch (args.length) {
    case 0:
      return (_data, self) => operation.call(self);
    case 1: {
      const [a] = args as [Compiled];
      return (data, self) => operation.call(self, a(data, self));
    }
    case 2: {
      const [a, b] = args as [Compiled, Compiled];
      return (data, self) => operation.call(self, a(data, self), b(data, self));
    }
    case 3: {
      const [a, b, c] = args as [Compiled, Compiled, Compiled];
      return (data, self) => operation.call(self, a(data, self), b(data, self), c(data, self));
    }
    default:
      return (data, self) => {
        const values = new Array<unknown>(args.length);
        for (let i = 0; i < args.length; i += 1) values[i] = args[i]!(data, self);
        return operation.apply(self, values);
      };
  }
}

/** json-logic's `var` with one path: each segment read in turn, a missing one gives null. */
function compileVar(path: string): Compiled {
  const dot = path.indexOf('.');
  if (dot < 0) {
    return (data) => {
      const value = data[path];
      return value === undefined ? null : value;
    };
  }
  const [first, second] = [path.slice(0, dot), path.slice(dot + 1)];
  return (data) => {
    const outer = data[first] as Record<string, unknown> | null | undefined;
    if (outer === null || outer === undefined) return null;
    const value = outer[second];
    return value === undefined ? null : value;
  };
}
