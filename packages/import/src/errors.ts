import { DomainError, type Issue } from '@crm/schema';
import type { Message } from './types';

export const ImportErrorCode = {
  /** The file is neither CSV nor `.xlsx` (e.g. an old binary `.xls`). */
  UNSUPPORTED_FILE: 'UNSUPPORTED_FILE',
  /** A `.xlsx` that cannot be read (broken zip or XML). */
  INVALID_FILE: 'INVALID_FILE',
  /** The file has no header row (it is empty or blank). */
  EMPTY_FILE: 'EMPTY_FILE',
  /** The bytes do not decode in the detected or chosen encoding. */
  ENCODING_MISMATCH: 'ENCODING_MISMATCH',
  /** The chosen sheet is not in the workbook. */
  SHEET_NOT_FOUND: 'SHEET_NOT_FOUND',
  /** Options that do not fit (unknown encoding, bad header row, unknown time zone…). */
  INVALID_IMPORT_OPTIONS: 'INVALID_IMPORT_OPTIONS',
  /** A column mapping that names unknown fields, maps one field twice or a field that cannot be imported. */
  INVALID_MAPPING: 'INVALID_MAPPING',
  /** A value mapping that names an unknown option, member or record, or an action the field does not allow. */
  INVALID_VALUE_MAPPING: 'INVALID_VALUE_MAPPING',
} as const;
export type ImportErrorCode = (typeof ImportErrorCode)[keyof typeof ImportErrorCode];

/** A refused file, option or mapping; `issues` names every problem, `localized` says it in both languages. */
export class ImportError extends DomainError<ImportErrorCode> {
  readonly issues: Issue[];
  readonly localized: Message;

  constructor(args: { code: ImportErrorCode; message: Message; issues?: Issue[]; details?: Record<string, unknown> }) {
    super({ code: args.code, message: args.message.en, details: args.details });
    this.localized = args.message;
    this.issues = args.issues ?? [];
  }
}
