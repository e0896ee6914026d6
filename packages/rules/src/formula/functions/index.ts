import { DATE_FUNCTIONS } from './date.functions';
import type { FormulaFunctionDefinition, FormulaFunctionCategory, FormulaExample, FormulaLocale } from './definition';
import { LOGIC_FUNCTIONS } from './logic.functions';
import { MATH_FUNCTIONS } from './math.functions';
import { TEXT_FUNCTIONS } from './text.functions';

const DEFINITIONS = {
  ...LOGIC_FUNCTIONS,
  ...TEXT_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...DATE_FUNCTIONS,
} satisfies Record<string, FormulaFunctionDefinition>;

export type FormulaFunctionName = keyof typeof DEFINITIONS;

/** Every formula function by its upper-case name; one definition object each. */
export const FORMULA_FUNCTION_DEFINITIONS: Readonly<Record<FormulaFunctionName, FormulaFunctionDefinition>> = DEFINITIONS;

export function isFormulaFunctionName(name: string): name is FormulaFunctionName {
  return Object.hasOwn(FORMULA_FUNCTION_DEFINITIONS, name);
}

export function formulaFunctionOrUndefined(name: string): FormulaFunctionDefinition | undefined {
  return isFormulaFunctionName(name) ? FORMULA_FUNCTION_DEFINITIONS[name] : undefined;
}

/** What the formula editor and the docs show about a function. */
export interface FormulaFunctionInfo {
  name: string;
  category: FormulaFunctionCategory;
  minArgs: number;
  /** `null` when the count is unbounded. */
  maxArgs: number | null;
  /** The result type, or "depends" when it follows the arguments (IF, MAX, DATE, DATEDELTA). */
  result: string;
  signature: Readonly<Record<FormulaLocale, string>>;
  description: Readonly<Record<FormulaLocale, string>>;
  examples: readonly FormulaExample[];
}

/** The function list for the editor's autocomplete and the reference docs (en and zh-CN). */
export const FORMULA_FUNCTIONS: readonly FormulaFunctionInfo[] = Object.freeze(
  Object.values(FORMULA_FUNCTION_DEFINITIONS).map((definition: FormulaFunctionDefinition): FormulaFunctionInfo =>
    Object.freeze({
      name: definition.name,
      category: definition.category,
      minArgs: definition.minArgs,
      maxArgs: Number.isFinite(definition.maxArgs) ? definition.maxArgs : null,
      result: typeof definition.result === 'string' ? definition.result : 'depends',
      signature: { en: definition.docs.en.signature, 'zh-CN': definition.docs['zh-CN'].signature },
      description: { en: definition.docs.en.description, 'zh-CN': definition.docs['zh-CN'].description },
      examples: definition.examples,
    }),
  ),
);

export type { FormulaFunctionDefinition, FormulaFunctionCategory, FormulaExample, FormulaLocale };
export { paramAt, commonType } from './definition';
