/** Languages of messages; every message is given in both. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Message = Record<Locale, string>;

/** One cell as a reader yields it: CSV gives text (or null), `.xlsx` typed values. */
export type Cell = string | number | boolean | Date | null;

/** A data row of the file; `rowNumber` is the row as the user sees it (1-based, header included). */
export interface SourceRow {
  rowNumber: number;
  cells: Cell[];
}

/** A column of the file: position, header text (trimmed; '' when blank) and spreadsheet letter. */
export interface SourceColumn {
  index: number;
  name: string;
  letter: string;
}

/** Bytes of a file: a Node readable stream or any async iterable of byte chunks. */
export type ByteSource = AsyncIterable<Uint8Array>;

/** A file that can be opened more than once (import reads it in several passes). */
export type OpenFile = () => ByteSource;

/** A per-row problem, reported without a cap; `value` is the cell as text. */
export interface RowError {
  row: number;
  /** The column's header ('' for a problem of the whole row). */
  column: string;
  columnIndex: number | null;
  /** Target path (`key`, `subform.child`, `id`), or null. */
  field: string | null;
  code: RowErrorCode;
  message: Message;
  value: string | null;
}

export const ROW_ERROR_CODES = [
  'required',
  'too_long',
  'invalid_number',
  'too_many_decimals',
  'out_of_range',
  'decimal_comma',
  'invalid_date',
  'ambiguous_date',
  'invalid_datetime',
  'invalid_switch',
  'invalid_email',
  'invalid_phone',
  'invalid_url',
  'invalid_rating',
  'invalid_address',
  'invalid_location',
  'unmatched_option',
  'unmatched_member',
  'unmatched_department',
  'unmatched_record',
  'ambiguous_member',
  'ambiguous_department',
  'ambiguous_record',
  'too_many_values',
  'too_few_values',
  'duplicate_in_file',
  'unique_exists',
  'link_target_missing',
  'invalid_value',
  'skipped_by_mapping',
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];
