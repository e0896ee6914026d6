// Import and export of records as CSV and .xlsx, with no I/O of its own beyond the streams it is
// handed: readers, column and value matching, coercion per field type, write plans, writers.
export * from './types';
export * from './errors';
export { matchKey, headerKey, columnLetter, cellText } from './text';
export { excelSerialToDate, dateToExcelSerial, isDateNumberFormat } from './excel-serial';
export { FIELD_IO, fieldIoOf, type FieldIo, type ImportRule, type ExportRule, type NotImportableReason } from './field-io';

// Reading
export { CSV_ENCODINGS, type CsvEncoding } from './read/encoding';
export { CSV_DELIMITERS, type CsvDelimiter, type CsvInfo, detectDelimiter } from './read/csv';
export type { XlsxInfo } from './read/xlsx';
export { openTable, type TableOptions, type TableInfo, type TableReader, type FileFormat } from './read/table';

// Matching
export { importTargets, SYSTEM_TARGETS, SYSTEM_NAMES, type ImportTarget, type SystemTarget, type Importability } from './map/targets';
export { autoMapColumns, checkMappingOrThrow, type ColumnMapping, type MappedColumn, type MappingReport, type MatchHow } from './map/auto-map';

// Coercion
export { DATE_ORDERS, DEFAULT_COERCE_OPTIONS, type CoerceOptions, type Coerced, type DateOrder } from './coerce/result';
export { parseNumber } from './coerce/numbers';
export { parseWallTime, coerceDate, coerceDateTime } from './coerce/dates';
export { wallToInstant, instantToWall, zoneOffsetMinutes, isTimeZone } from './coerce/timezone';
export { splitValues } from './coerce/tokens';

// Plans
export { optionsToAdd, withAddedOptions, type ImportSettings, type ValueMapping, type WriteMode } from './plan/settings';
export type { ImportLookups, MemberRef, DepartmentRef, RecordRef } from './plan/lookups';
export {
  scanImport,
  type ScanResult,
  type PreviewRow,
  type UnmatchedColumn,
  type UnmatchedValue,
  UNMATCHED_ROWS_LIMIT,
  UNMATCHED_VALUES_LIMIT,
} from './plan/scan';
export { planImport, ImportPlan, type PlanArgs, type PlanBatch, type PlanSummary, type CreateRow, type UpdateRow, type LinkRow } from './plan/planner';

// Writing
export { exportRecords, type ExportArgs, type ExportLookups } from './write/export';
export { writeErrorFile } from './write/error-file';
export { inertText } from './write/csv-text';
export type { ExportCell } from './write/cells';
