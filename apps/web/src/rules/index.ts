// Rule editors shared by the form designer, permission row scopes, and later view filters and
// workflow branches (docs/admin-guide.md, "Conditions" and "Formulas").
export { ConditionBuilder, type ConditionBuilderProps } from './ConditionBuilder';
export { ConditionValueInput, type ConditionValueInputProps } from './ConditionValueInput';
export {
  CONDITION_VARIABLES,
  fromJsonLogic,
  operatorsForField,
  toJsonLogic,
  type BuilderOperator,
  type ConditionField,
  type ConditionGroup,
  type ConditionVariable,
} from './condition-model';
export { FormulaEditor, type FormulaEditorProps } from './FormulaEditor';
export { analyzeFormula, previewFormula, type FormulaAnalysis, type FormulaEditorField, type FormulaProblem } from './formula-analysis';
