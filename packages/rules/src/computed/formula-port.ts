// The one place computed fields call the formula language: parse, type-check, dependencies,
// evaluation. Everything else in this folder works on ASTs and values.
import {
  checkFormulaOrThrow,
  evaluateFormula,
  FormulaError,
  type FormulaFieldType,
  formulaDependencies,
  type FormulaType,
  parseFormulaOrThrow,
  type ResolveLabel,
} from '../formula';
import { ComputedError } from './errors';

/** Parses formula text (keys, or `{label}` with `resolveLabel`) to its json-logic AST; FormulaError with the position otherwise. */
export function parseFormulaAstOrThrow(text: string, resolveLabel?: ResolveLabel): unknown {
  return parseFormulaOrThrow({ text, resolveLabel });
}

/** The formula's result type, checked against the fields it may read; FormulaError with the position otherwise. */
export function typeOfFormulaOrThrow(args: { ast: unknown; fields: Record<string, FormulaFieldType> }): FormulaType {
  return checkFormulaOrThrow({ ast: args.ast, fieldTypes: args.fields });
}

/** Field keys an AST reads, as written: `qty`, or `items.amount` for a subform column. */
export function formulaRefs(ast: unknown): string[] {
  return formulaDependencies({ ast });
}

/** Evaluates an AST over a record (or row); a run-time error comes back as a fault, never thrown. */
export function evaluateAst(args: {
  ast: unknown;
  data: Record<string, unknown>;
  overrides?: Record<string, unknown>;
  now: Date;
}): { value: unknown } | { fault: { code: string; message: string } } {
  const result = evaluateFormula({ ast: args.ast, values: args.data, overrides: args.overrides, now: args.now });
  return result.ok ? { value: result.value } : { fault: { code: result.code, message: result.message } };
}

/** Adds the formula field's name (`total`, `items.amount`) to a formula or computed-field error. */
export function tagFormulaError(err: unknown, field: string): unknown {
  if (err instanceof FormulaError || err instanceof ComputedError) (err.details as Record<string, unknown>).formulaField = field;
  return err;
}
