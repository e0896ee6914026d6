export { parseFormulaOrThrow, type ParseFormulaInput, type ResolveLabel } from './parser';
export { printFormula, type PrintFormulaInput, type LabelOf } from './printer';
export { checkFormulaOrThrow, type CheckFormulaInput } from './checker';
export {
  evaluateFormula,
  registerFormulaOperations,
  type EvaluateFormulaInput,
  type FormulaResult,
  type FormulaValue,
} from './evaluator';
export { formulaDependencies, findCycleOrNull } from './dependencies';
export {
  FORMULA_FUNCTIONS,
  type FormulaFunctionInfo,
  type FormulaFunctionCategory,
  type FormulaExample,
  type FormulaLocale,
} from './functions';
export { FORMULA_OPERATORS, type FormulaOperator } from './operators';
export { FORMULA_LIMITS } from './limits';
export { DECIMAL_PRECISION } from './decimal';
export { inspectFormulaAstOrThrow, type FormulaAst, type FormulaNode, type FormulaAstInfo } from './ast';
export {
  FormulaError,
  FormulaErrorCode,
  FormulaRuntimeErrorCode,
  type FormulaErrorDetails,
  type FormulaPosition,
} from './errors';
export {
  FORMULA_SCALAR_TYPES,
  formulaTypeOfValueKind,
  type FormulaFieldType,
  type FormulaListType,
  type FormulaScalarType,
  type FormulaType,
} from './types';
