import { DomainError, type Issue } from '@crm/schema';

export const FormsErrorCode = {
  /** A form definition that does not fit its entity (unknown fields, bad rules, too large). */
  INVALID_FORM: 'INVALID_FORM',
} as const;
export type FormsErrorCode = (typeof FormsErrorCode)[keyof typeof FormsErrorCode];

/** A form definition refused at design time; `issues` names every problem with its path. */
export class FormsError extends DomainError<FormsErrorCode> {
  readonly issues: Issue[];

  constructor(args: { code: FormsErrorCode; message: string; issues: Issue[] }) {
    super({ code: args.code, message: args.message });
    this.issues = args.issues;
  }
}
