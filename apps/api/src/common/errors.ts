import type { Issue } from '@crm/schema';

/** Every error code the API answers with, mapped to its HTTP status in one exhaustive table. */
export const ERROR_STATUS = {
  // request shape
  INVALID_REQUEST: 400,
  INVALID_JSON: 400,
  BODY_TOO_DEEP: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 400,
  // schema package
  INVALID_KEY: 400,
  RESERVED_KEY: 400,
  UNKNOWN_FIELD_TYPE: 400,
  INVALID_SETTINGS: 400,
  INVALID_FIELD: 400,
  // rules package (filters, sort, cursor)
  INVALID_FILTER: 400,
  UNKNOWN_FIELD: 400,
  UNSUPPORTED_OPERATOR: 400,
  INVALID_VALUE: 400,
  FILTER_TOO_COMPLEX: 400,
  INVALID_SORT: 400,
  INVALID_CURSOR: 400,
  // formulas (rules package) and computed fields: refused at design time, with a position
  FORMULA_PARSE: 400,
  FORMULA_UNKNOWN_FUNCTION: 400,
  FORMULA_UNKNOWN_FIELD: 400,
  FORMULA_ARITY: 400,
  FORMULA_TYPE: 400,
  FORMULA_TOO_COMPLEX: 400,
  FORMULA_FORBIDDEN: 400,
  // access package
  INVALID_GROUP: 400,
  // forms package
  INVALID_FORM: 400,
  // auth
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  FIELD_NOT_WRITABLE: 403,
  FIELD_NOT_READABLE: 403,
  TOO_MANY_ATTEMPTS: 429,
  /** Public form submissions over the per-link or per-address rate. */
  RATE_LIMITED: 429,
  /** An invite or password-reset link that is unknown, used, expired or cancelled. */
  INVALID_TOKEN: 400,
  // lookups
  NOT_FOUND: 404,
  VIEW_NOT_FOUND: 404,
  APP_NOT_FOUND: 404,
  ENTITY_NOT_FOUND: 404,
  FIELD_NOT_FOUND: 404,
  RECORD_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  DEPARTMENT_NOT_FOUND: 404,
  ROLE_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  FORM_NOT_FOUND: 404,
  FORM_VERSION_NOT_FOUND: 404,
  PUBLIC_LINK_NOT_FOUND: 404,
  // conflicts
  DUPLICATE_KEY: 409,
  /** Deleting an app forever while entities of other apps still relate to its entities. */
  APP_REFERENCED: 409,
  VERSION_CONFLICT: 409,
  UNIQUE_VIOLATION: 409,
  UNIQUE_HAS_DUPLICATES: 409,
  REQUIRED_HAS_EMPTY: 409,
  NOT_IN_RECYCLE_BIN: 409,
  FIELD_NOT_REMOVED: 409,
  SCHEMA_CHANGE_IN_PROGRESS: 409,
  PUBLIC_LINK_EXISTS: 409,
  /** A form draft or designer save based on an older revision than the stored one. */
  DRAFT_CONFLICT: 409,
  /** A designer publish the data check or the field rules refuse (the preview says why). */
  DESIGN_REFUSED: 409,
  // organisation
  MEMBER_EXISTS: 409,
  MEMBER_STATUS_CONFLICT: 409,
  ADMIN_REQUIRED: 409,
  DUPLICATE_NAME: 409,
  DEPARTMENT_CYCLE: 409,
  DEPARTMENT_NOT_EMPTY: 409,
  // computed fields: formulas reading each other in a loop (keys in order); a field a formula or rollup reads
  FORMULA_CYCLE: 409,
  FIELD_IN_USE: 409,
  // schema changes the data does not fit
  TYPE_CHANGE_DATA_MISMATCH: 422,
  TYPE_CHANGE_UNSUPPORTED: 422,
  // workflows (the @crm/workflow package's codes, and the runtime's)
  INVALID_GRAPH: 400,
  INVALID_EVENT: 400,
  INVALID_RETURN_TARGET: 400,
  WORKFLOW_NOT_FOUND: 404,
  WORKFLOW_VERSION_NOT_FOUND: 404,
  INSTANCE_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  /** A task of someone else is not found: its existence does not leak. */
  NOT_ASSIGNEE: 404,
  NOTIFICATION_NOT_FOUND: 404,
  TASK_NOT_PENDING: 409,
  ALREADY_DECIDED: 409,
  ACTION_NOT_ALLOWED: 409,
  INSTANCE_NOT_RUNNING: 409,
  INSTANCE_NOT_FINISHED: 409,
  INVALID_VERSION_CHANGE: 409,
  WORKFLOW_IN_USE: 409,
  START_ON_TAKEN: 409,
  NO_DRAFT: 409,
  // the job system: a feature asking for a job wrongly (a programming error, named clearly)
  INVALID_JOB: 400,
  JOB_TYPE_UNKNOWN: 400,
  JOB_PAYLOAD_TOO_LARGE: 400,
  // import package (files, options, mappings) and import sessions
  UNSUPPORTED_FILE: 415,
  INVALID_FILE: 400,
  EMPTY_FILE: 400,
  ENCODING_MISMATCH: 400,
  SHEET_NOT_FOUND: 400,
  INVALID_IMPORT_OPTIONS: 400,
  INVALID_MAPPING: 400,
  INVALID_VALUE_MAPPING: 400,
  IMPORT_NOT_FOUND: 404,
  /** An import that already runs or ran cannot be changed or started again. */
  IMPORT_STATE_CONFLICT: 409,
  SCHEMA_CHANGE_FAILED: 500,
  INTERNAL: 500,
  // the database connection was lost (killed, restarted, failover): retry after Retry-After
  DATABASE_UNAVAILABLE: 503,
  // the process is draining after SIGTERM (readiness only; requests in flight still finish)
  SHUTTING_DOWN: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_TITLES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'Validation failed',
  UNAUTHENTICATED: 'Not signed in',
  INVALID_CREDENTIALS: 'Wrong email or password',
  VERSION_CONFLICT: 'The record was changed by someone else',
  PAYLOAD_TOO_LARGE: 'Request body too large',
  CSRF_FAILED: 'Missing or wrong CSRF token',
  TOO_MANY_ATTEMPTS: 'Too many failed sign-ins',
  INVALID_TOKEN: 'The link is invalid, used or expired',
  ADMIN_REQUIRED: 'The workspace must keep an admin',
  INTERNAL: 'Internal error',
  DATABASE_UNAVAILABLE: 'Database unavailable',
  SHUTTING_DOWN: 'Shutting down',
  INVALID_FORM: 'Invalid form definition',
  RATE_LIMITED: 'Too many submissions',
  DRAFT_CONFLICT: 'The draft was changed by someone else',
  DESIGN_REFUSED: 'The design cannot be published as it is',
  INVALID_GRAPH: 'The workflow graph has problems',
  ALREADY_DECIDED: 'The task is already decided',
};

/** A failure the API explains to the caller. Services throw it; the one filter renders it. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { errors?: Issue[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function isKnownCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, code);
}

export const notFound = (code: ErrorCode, what: string) => new AppError(code, `${what} not found`);
