/** One problem found while validating, addressed by a JSON Pointer (`/items/0/qty`). */
export interface Issue {
  path: string;
  code: string;
  message: string;
}

/**
 * Base of every coded error thrown by the domain packages; `apps/api` maps `code` to an HTTP
 * status in one table.
 */
export abstract class DomainError<C extends string> extends Error {
  readonly code: C;
  readonly details?: Record<string, unknown>;

  constructor(args: { code: C; message: string; details?: Record<string, unknown> }) {
    super(args.message);
    this.name = new.target.name;
    this.code = args.code;
    if (args.details !== undefined) this.details = args.details;
  }
}

export const SchemaErrorCode = {
  INVALID_KEY: 'INVALID_KEY',
  RESERVED_KEY: 'RESERVED_KEY',
  UNKNOWN_FIELD_TYPE: 'UNKNOWN_FIELD_TYPE',
  INVALID_SETTINGS: 'INVALID_SETTINGS',
  INVALID_FIELD: 'INVALID_FIELD',
  /** A value handed to a storage conversion (toDb/fromDb) that it cannot represent. */
  INVALID_VALUE: 'INVALID_VALUE',
} as const;
export type SchemaErrorCode = (typeof SchemaErrorCode)[keyof typeof SchemaErrorCode];

export class SchemaError extends DomainError<SchemaErrorCode> {
  /** Every problem found, when the error concerns several (settings, field definitions). */
  readonly issues?: Issue[];

  constructor(args: { code: SchemaErrorCode; message: string; details?: Record<string, unknown>; issues?: Issue[] }) {
    super(args);
    if (args.issues !== undefined) this.issues = args.issues;
  }
}

/** Escapes one JSON Pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Prefixes every issue path, e.g. `/maxLength` → `/settings/maxLength`. */
export function prefixIssues(args: { prefix: string; issues: readonly Issue[] }): Issue[] {
  return args.issues.map((issue) => ({
    ...issue,
    path: args.prefix + issue.path,
    message: issue.message.startsWith(issue.path || '(root)') ? args.prefix + issue.path + issue.message.slice((issue.path || '(root)').length) : issue.message,
  }));
}
