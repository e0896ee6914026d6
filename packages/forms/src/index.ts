export * from './types';
export * from './errors';
export { FORM_LIMITS } from './limits';
export { normalizeFormOrThrow, type NormalizeFormInput } from './normalize';
export { findCycle } from './cycles';
export { buildFormSchemas, formFieldOrder, WIDGETS } from './schemas';
export { hiddenLayoutNodes } from './layout-visibility';
export { evaluateFormRules, hiddenFormFields, resolveDefaults, linkageRequest, isEmptyValue, type FormRulesResult, type LinkageRequest } from './evaluate';
export { applyHiddenFieldPolicy } from './policy';
export { localeFromAcceptLanguage, isLocale, pickText, formMessage } from './messages';
export { formTokenKeys, substituteFormTokens, conditionIssues } from './conditions';
export { resolveFieldOf } from './vocabulary';
export { formulaSupport, type FormulaSupport } from './formula';

import { DEFAULT_HIDDEN_FIELD_POLICY, type FormDefinition } from './types';

/** The form of an entity nobody designed yet: every field in entity order, default policy. */
export function emptyForm(): FormDefinition {
  return { layout: [], fields: {}, validations: [], hiddenFieldPolicy: DEFAULT_HIDDEN_FIELD_POLICY };
}
