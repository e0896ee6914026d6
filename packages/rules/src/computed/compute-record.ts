import { FORMULA_TEXT_LENGTH, type FormulaResultType, roundToPlaces } from '@crm/schema';
import { canonicalDateTime, isIsoDate } from '../dates';
import type { ComputedPlan, FormulaStep } from './computed-plan';
import { evaluateAst } from './formula-port';

/** A formula that could not give a value for these inputs; its field is stored empty (null). */
export interface ComputeIssue {
  /** JSON pointer of the field: `/total`, or `/items/2/amount` for a row formula. */
  path: string;
  /** The formula's run-time code in lower case, e.g. `formula_divide_by_zero`. */
  code: string;
  message: string;
}

type Values = Record<string, unknown>;

/** Largest magnitude a DECIMAL(30,10) column holds. */
const NUMBER_LIMIT = 1e20;

/**
 * Fits a formula result to the field's result type and precision, as it will be stored, so
 * what dependants read equals what a reload shows. Returns an issue message when it does not fit.
 */
export function normalizeResult(args: { value: unknown; resultType: FormulaResultType; precision: number }): { value: unknown } | { problem: string } {
  const { value, resultType, precision } = args;
  if (value === null || value === undefined || value === '') return { value: null };
  switch (resultType) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { problem: `The formula gave ${typeof value === 'string' ? 'text' : String(value)}, not a number` };
      const rounded = roundToPlaces(value, precision);
      if (Math.abs(rounded) >= NUMBER_LIMIT) return { problem: 'The number is too large to store' };
      return { value: rounded === 0 ? 0 : rounded };
    }
    case 'text': {
      if (Array.isArray(value) || typeof value === 'object') return { problem: 'The formula gave a list, not text' };
      const text = String(value);
      // Code points, not UTF-16 units: a string of at most that many units has at most that many points.
      if (text.length <= FORMULA_TEXT_LENGTH) return { value: text };
      const chars = [...text];
      return { value: chars.length > FORMULA_TEXT_LENGTH ? chars.slice(0, FORMULA_TEXT_LENGTH).join('') : text };
    }
    case 'date': {
      if (isIsoDate(value)) return { value };
      const dt = canonicalDateTime(value);
      return dt ? { value: dt.slice(0, 10) } : { problem: 'The formula did not give a date' };
    }
    case 'datetime': {
      if (isIsoDate(value)) return { value: `${value}T00:00:00.000Z` };
      const dt = canonicalDateTime(value);
      return dt ? { value: dt } : { problem: 'The formula did not give a date-time' };
    }
    case 'switch':
      return typeof value === 'boolean' ? { value } : { problem: 'The formula did not give true or false' };
  }
}

function evaluateStep(step: FormulaStep, data: Values, overrides: Values | undefined, now: Date, path: string, issues: ComputeIssue[]): unknown {
  const result = evaluateAst({ ast: step.ast, data, overrides, now });
  if ('fault' in result) {
    issues.push({ path, code: result.fault.code.toLowerCase(), message: result.fault.message });
    return null;
  }
  const fitted = normalizeResult({ value: result.value, resultType: step.resultType, precision: step.precision });
  if ('problem' in fitted) {
    issues.push({ path, code: 'formula_invalid_value', message: fitted.problem });
    return null;
  }
  return fitted.value;
}

/**
 * Computes the formula columns of every row of the subforms present in `values` (rows are
 * changed in place). Each row sees only its own columns.
 */
export function computeRowFormulas(args: { plan: ComputedPlan; values: Values; now: Date }): ComputeIssue[] {
  const issues: ComputeIssue[] = [];
  for (const { subform, steps } of args.plan.rowSteps) {
    const rows = args.values[subform];
    if (!Array.isArray(rows)) continue;
    rows.forEach((row: Values, i) => {
      if (!row || typeof row !== 'object') return;
      for (const step of steps) row[step.key] = evaluateStep(step, row, undefined, args.now, `/${subform}/${i}/${step.key}`, issues);
    });
  }
  return issues;
}

/**
 * Computes record formulas (all, or `steps` in plan order) over `data` — the whole record,
 * subform rows with their computed columns, rollups — and returns their values; `data` is
 * not changed, unless `inPlace`: then each value is also written into `data` as it is computed
 * (later formulas read it there), which spares a create the copy of the values.
 */
export function computeRecordFormulas(args: { plan: ComputedPlan; data: Values; now: Date; steps?: FormulaStep[]; inPlace?: boolean }): {
  values: Values;
  issues: ComputeIssue[];
} {
  const issues: ComputeIssue[] = [];
  // Each formula reads the ones computed before it through `values` (overrides), not a copy of the record.
  const values: Values = {};
  const { data, now } = args;
  for (const step of args.steps ?? args.plan.recordSteps) {
    const value = evaluateStep(step, data, args.inPlace ? undefined : values, now, `/${step.key}`, issues);
    values[step.key] = value;
    if (args.inPlace) data[step.key] = value;
  }
  return { values, issues };
}

/** A rollup's value over no records: 0 for sum and count, empty for avg, min and max. */
export function emptyRollupValue(aggregate: string): number | null {
  return aggregate === 'sum' || aggregate === 'count' ? 0 : null;
}
