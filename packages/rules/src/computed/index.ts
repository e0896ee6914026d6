export { ComputedError, ComputedErrorCode, type ComputedErrorDetails } from './errors';
export {
  buildComputedPlanOrThrow,
  findCycle,
  formulasDependingOn,
  orderFormulasOrThrow,
  type ComputedPlan,
  type FormulaStep,
  type RollupStep,
} from './computed-plan';
export { computeRecordFormulas, computeRowFormulas, emptyRollupValue, normalizeResult, type ComputeIssue } from './compute-record';
export { formulaTypeOfField, prepareComputedFieldsOrThrow } from './design';
export { formTokens, substituteFormValues, type FormToken } from './picker-filter';
