import type { TypeVerdict } from '../operators';
import type { EvaluationContext, RuntimeValue } from '../runtime';
import { describeType, isListType, type FormulaParamType, type FormulaType } from '../types';

export type FormulaLocale = 'en' | 'zh-CN';
export type FormulaFunctionCategory = 'logic' | 'text' | 'math' | 'date';

export interface FormulaFunctionDoc {
  /** How a call is written, with localized parameter names: `LEFT(text, [count])`. */
  signature: string;
  description: string;
}

/** A documented example; the test suite evaluates every one. */
export interface FormulaExample {
  formula: string;
  result: unknown;
  /** Field values the example reads. */
  values?: Readonly<Record<string, unknown>>;
}

export interface FormulaFunctionDefinition {
  /** Upper-case name: how it is written and the json-logic operation it is registered as. */
  name: string;
  category: FormulaFunctionCategory;
  /** Parameter types in order; when more arguments are allowed the last one (or pair) repeats. */
  params: readonly FormulaParamType[];
  minArgs: number;
  maxArgs: number;
  /** Arguments come in (condition, value) pairs, as for IFS. */
  argsInPairs?: boolean;
  /** The result type, or a rule deriving it from the argument types. */
  result: FormulaType | ((args: readonly FormulaType[]) => TypeVerdict);
  /**
   * The function sees run-time errors among its arguments itself (IF passes on only the one
   * of the branch it takes); otherwise the first one is the result without calling it.
   */
  seesFaults?: boolean;
  implementation(args: readonly unknown[], context: EvaluationContext): RuntimeValue;
  docs: Readonly<Record<FormulaLocale, FormulaFunctionDoc>>;
  examples: readonly FormulaExample[];
}

/** Type expected for argument `index`, repeating the last parameter (or pair). */
export function paramAt(definition: FormulaFunctionDefinition, index: number): FormulaParamType {
  const { params, argsInPairs } = definition;
  if (index < params.length) return params[index]!;
  if (argsInPairs) return params[params.length - 2 + ((index - params.length) % 2)]!;
  return params[params.length - 1]!;
}

/**
 * The one type several values share (IF's branches): blank fits any type, `any` gives way to
 * a known type; otherwise they must be equal.
 */
export function commonType(types: readonly FormulaType[], indexes: readonly number[]): TypeVerdict {
  let result: FormulaType = 'blank';
  for (const index of indexes) {
    const type = types[index];
    if (type === undefined) continue;
    if (type === 'blank' || type === result) continue;
    if (result === 'blank' || result === 'any') {
      result = type;
      continue;
    }
    if (type === 'any') continue;
    return { problem: `every result must have the same type: ${describeType(result)} and ${describeType(type)}`, argIndex: index };
  }
  return result;
}

export { isListType };
