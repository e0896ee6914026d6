import { DomainError } from '@crm/schema';

export const AccessErrorCode = {
  INVALID_GROUP: 'INVALID_GROUP',
} as const;
export type AccessErrorCode = (typeof AccessErrorCode)[keyof typeof AccessErrorCode];

export interface AccessIssue {
  path: string;
  code: string;
  message: string;
}

/** A permission group definition that cannot be saved; `issues` name each problem. */
export class AccessError extends DomainError<AccessErrorCode> {
  readonly issues: AccessIssue[];

  constructor(code: AccessErrorCode, message: string, issues: AccessIssue[] = []) {
    super({ code, message });
    this.issues = issues;
  }
}
