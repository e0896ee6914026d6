export * from './types';
export * from './errors';
export { assertConditionSafeOrThrow, CONDITION_LIMITS, isSafeFieldPath } from './condition-safety';
export { RELATIVE_DATE_RANGES, type RelativeDateRange } from './dates';
export { compileFilterOrThrow, type CompileFilterInput } from './filter-sql';
export { compileFilterEvaluatorOrThrow, evaluateFilter, registerFilterOperations, type EvaluateFilterInput, type FilterEvaluator } from './filter-eval';
export {
  compileSortOrThrow,
  orderBySql,
  sortSignature,
  encodeCursor,
  decodeCursorOrThrow,
  compileKeysetOrThrow,
  MAX_SORT_KEYS,
  MAX_CURSOR_LENGTH,
  RECORD_ID_KEY,
  RECORD_ID_COLUMN,
  type SortKey,
  type SortDirection,
  type CursorValue,
} from './keyset';
export { conditionFieldKeys } from './condition-fields';
export * from './formula';
export * from './computed';
