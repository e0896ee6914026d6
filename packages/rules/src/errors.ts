import { DomainError } from '@crm/schema';

export const RulesErrorCode = {
  INVALID_FILTER: 'INVALID_FILTER',
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  UNSUPPORTED_OPERATOR: 'UNSUPPORTED_OPERATOR',
  INVALID_VALUE: 'INVALID_VALUE',
  FILTER_TOO_COMPLEX: 'FILTER_TOO_COMPLEX',
  INVALID_SORT: 'INVALID_SORT',
  INVALID_CURSOR: 'INVALID_CURSOR',
} as const;
export type RulesErrorCode = (typeof RulesErrorCode)[keyof typeof RulesErrorCode];

export interface RulesErrorDetails {
  /** JSON-pointer-ish path to the offending node of a condition, e.g. `/and/1/==/1`. */
  path?: string;
  field?: string;
  operator?: string;
  [detail: string]: unknown;
}

/** A rule, filter, sort or cursor supplied by a user does not fit; never a server fault. */
export class RulesError extends DomainError<RulesErrorCode> {
  declare readonly details: RulesErrorDetails;

  constructor(code: RulesErrorCode, message: string, details: RulesErrorDetails = {}) {
    super({ code, message, details });
  }
}
