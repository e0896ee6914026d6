import { DomainError } from '@crm/schema';

/** Codes of computed-field definitions refused at design time (beyond the formula's own errors). */
export const ComputedErrorCode = {
  /** Formulas (and rollups) that depend on each other in a loop; `cycle` names them in order. */
  FORMULA_CYCLE: 'FORMULA_CYCLE',
  /** A formula's result does not fit the field's declared result type. */
  FORMULA_TYPE: 'FORMULA_TYPE',
} as const;
export type ComputedErrorCode = (typeof ComputedErrorCode)[keyof typeof ComputedErrorCode];

export interface ComputedErrorDetails {
  /** Field keys in dependency order, the first repeated at the end: `['a', 'b', 'a']`. */
  cycle?: string[];
  field?: string;
  [detail: string]: unknown;
}

/** A set of computed fields that cannot be computed (a loop, a result of the wrong type). */
export class ComputedError extends DomainError<ComputedErrorCode> {
  declare readonly details: ComputedErrorDetails;

  constructor(code: ComputedErrorCode, message: string, details: ComputedErrorDetails = {}) {
    super({ code, message, details });
  }
}
