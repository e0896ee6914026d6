import { DomainError } from '@crm/schema';

/** Codes of formulas refused at design time (parse, check, or an AST that is not a formula). */
export const FormulaErrorCode = {
  FORMULA_PARSE: 'FORMULA_PARSE',
  FORMULA_UNKNOWN_FUNCTION: 'FORMULA_UNKNOWN_FUNCTION',
  FORMULA_UNKNOWN_FIELD: 'FORMULA_UNKNOWN_FIELD',
  FORMULA_ARITY: 'FORMULA_ARITY',
  FORMULA_TYPE: 'FORMULA_TYPE',
  FORMULA_TOO_COMPLEX: 'FORMULA_TOO_COMPLEX',
  FORMULA_FORBIDDEN: 'FORMULA_FORBIDDEN',
} as const;
export type FormulaErrorCode = (typeof FormulaErrorCode)[keyof typeof FormulaErrorCode];

/** Codes of a formula that is valid but cannot give a value for these field values. */
export const FormulaRuntimeErrorCode = {
  /** `/` or MOD by zero, POWER(0, negative), AVERAGE of nothing. */
  FORMULA_DIVIDE_BY_ZERO: 'FORMULA_DIVIDE_BY_ZERO',
  /** An argument of the wrong kind or outside its domain: LEFT(x, -1), YEAR("2026-02-30"), text where a number is needed. */
  FORMULA_INVALID_VALUE: 'FORMULA_INVALID_VALUE',
  /** A number or date outside the representable range (POWER(10, 400), year 10000). */
  FORMULA_OUT_OF_RANGE: 'FORMULA_OUT_OF_RANGE',
  /** The evaluation took more steps, or built larger text or lists, than a formula may. */
  FORMULA_BUDGET_EXCEEDED: 'FORMULA_BUDGET_EXCEEDED',
} as const;
export type FormulaRuntimeErrorCode = (typeof FormulaRuntimeErrorCode)[keyof typeof FormulaRuntimeErrorCode];

/** Where in the formula text a problem is: UTF-16 offset from 0, line and column from 1. */
export interface FormulaPosition {
  offset: number;
  line: number;
  column: number;
  /** UTF-16 code units covered (at least 1, 0 at the end of the text). */
  length: number;
}

export interface FormulaErrorDetails {
  /** Set when the formula came from text in this process (parse, or check of a parsed AST). */
  position?: FormulaPosition;
  /** JSON pointer to the offending AST node, e.g. `/+/1`; set when the error concerns the AST. */
  path?: string;
  [detail: string]: unknown;
}

/** A formula refused at design time; `position` points into the text when there is one. */
export class FormulaError extends DomainError<FormulaErrorCode> {
  declare readonly details: FormulaErrorDetails;
  readonly position: FormulaPosition | undefined;
  readonly path: string | undefined;

  constructor(code: FormulaErrorCode, message: string, details: FormulaErrorDetails = {}) {
    super({ code, message: details.position ? `${message} (line ${details.position.line}, column ${details.position.column})` : message, details });
    this.position = details.position;
    this.path = details.path;
  }
}
