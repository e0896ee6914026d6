import { FormulaFault, isBlank, itemsOf, toBoolean } from '../runtime';
import { commonType, type FormulaFunctionDefinition } from './definition';

const INFINITE = Number.POSITIVE_INFINITY;

/** Items of boolean arguments in order, stopping at the first that decides (`stop`) or fails. */
function scan(args: readonly unknown[], stop: boolean): boolean | FormulaFault {
  for (const item of itemsOf(args)) {
    if (item instanceof FormulaFault) return item;
    if (toBoolean(item) === stop) return stop;
  }
  return !stop;
}

export const LOGIC_FUNCTIONS = {
  IF: {
    name: 'IF',
    category: 'logic',
    params: ['boolean', 'values', 'values'],
    minArgs: 2,
    maxArgs: 3,
    result: (types) => commonType(types, [1, 2]),
    seesFaults: true,
    implementation: ([condition, then, otherwise]) => {
      if (condition instanceof FormulaFault) return condition;
      return (toBoolean(condition) ? then : (otherwise ?? null)) as FormulaFault;
    },
    docs: {
      en: {
        signature: 'IF(condition, value_if_true, [value_if_false])',
        description:
          'The second argument when the condition is true, else the third (blank when omitted). A blank condition counts as false. An error in the branch not taken does not matter.',
      },
      'zh-CN': {
        signature: 'IF(条件, 为真时的值, [为假时的值])',
        description: '条件为真时返回第二个参数，否则返回第三个参数（省略时为空）。空的条件视为假。未选中分支中的错误不影响结果。',
      },
    },
    examples: [
      { formula: 'IF(amount > 1000, "大客户", "普通")', values: { amount: 1500 }, result: '大客户' },
      { formula: 'IF(qty = 0, 0, total / qty)', values: { qty: 0, total: 10 }, result: 0 },
    ],
  },
  IFS: {
    name: 'IFS',
    category: 'logic',
    params: ['boolean', 'values'],
    minArgs: 2,
    maxArgs: INFINITE,
    argsInPairs: true,
    result: (types) =>
      commonType(
        types,
        types.map((_, i) => i).filter((i) => i % 2 === 1),
      ),
    seesFaults: true,
    implementation: (args) => {
      for (let i = 0; i + 1 < args.length; i += 2) {
        const condition = args[i];
        if (condition instanceof FormulaFault) return condition;
        if (toBoolean(condition)) return args[i + 1] as FormulaFault;
      }
      return null;
    },
    docs: {
      en: {
        signature: 'IFS(condition1, value1, [condition2, value2], …)',
        description: 'The value paired with the first true condition; blank when none is true.',
      },
      'zh-CN': {
        signature: 'IFS(条件1, 值1, [条件2, 值2], …)',
        description: '返回第一个为真的条件所对应的值；没有条件为真时返回空。',
      },
    },
    examples: [
      { formula: 'IFS(score >= 90, "A", score >= 60, "B", true, "C")', values: { score: 75 }, result: 'B' },
      { formula: 'IFS(false, 1)', result: null },
    ],
  },
  AND: {
    name: 'AND',
    category: 'logic',
    params: ['booleans'],
    minArgs: 1,
    maxArgs: INFINITE,
    result: 'boolean',
    seesFaults: true,
    implementation: (args) => scan(args, false),
    docs: {
      en: {
        signature: 'AND(condition1, [condition2], …)',
        description: 'True when every condition is true. Reads left to right and stops at the first false one; blanks count as false.',
      },
      'zh-CN': {
        signature: 'AND(条件1, [条件2], …)',
        description: '所有条件都为真时返回真。从左到右计算，遇到第一个假即停止；空值视为假。',
      },
    },
    examples: [
      { formula: 'AND(amount > 0, stage = "won")', values: { amount: 5, stage: 'won' }, result: true },
      { formula: 'AND(qty <> 0, total / qty > 2)', values: { qty: 0, total: 1 }, result: false },
    ],
  },
  OR: {
    name: 'OR',
    category: 'logic',
    params: ['booleans'],
    minArgs: 1,
    maxArgs: INFINITE,
    result: 'boolean',
    seesFaults: true,
    implementation: (args) => scan(args, true),
    docs: {
      en: {
        signature: 'OR(condition1, [condition2], …)',
        description: 'True when at least one condition is true. Reads left to right and stops at the first true one.',
      },
      'zh-CN': {
        signature: 'OR(条件1, [条件2], …)',
        description: '任一条件为真时返回真。从左到右计算，遇到第一个真即停止。',
      },
    },
    examples: [{ formula: 'OR(stage = "won", stage = "lost")', values: { stage: 'lost' }, result: true }],
  },
  NOT: {
    name: 'NOT',
    category: 'logic',
    params: ['boolean'],
    minArgs: 1,
    maxArgs: 1,
    result: 'boolean',
    implementation: ([value]) => !toBoolean(value),
    docs: {
      en: { signature: 'NOT(condition)', description: 'True when the condition is false or blank.' },
      'zh-CN': { signature: 'NOT(条件)', description: '条件为假或为空时返回真。' },
    },
    examples: [{ formula: 'NOT(vip)', values: { vip: null }, result: true }],
  },
  XOR: {
    name: 'XOR',
    category: 'logic',
    params: ['booleans'],
    minArgs: 1,
    maxArgs: INFINITE,
    result: 'boolean',
    implementation: (args) => itemsOf(args).filter((item) => toBoolean(item)).length % 2 === 1,
    docs: {
      en: { signature: 'XOR(condition1, [condition2], …)', description: 'True when an odd number of the conditions are true.' },
      'zh-CN': { signature: 'XOR(条件1, [条件2], …)', description: '为真的条件个数为奇数时返回真。' },
    },
    examples: [{ formula: 'XOR(true, false, true)', result: false }],
  },
  ISBLANK: {
    name: 'ISBLANK',
    category: 'logic',
    params: ['values'],
    minArgs: 1,
    maxArgs: 1,
    result: 'boolean',
    implementation: ([value]) => isBlank(value),
    docs: {
      en: { signature: 'ISBLANK(value)', description: 'True when the value is blank: null, missing, empty text or an empty list.' },
      'zh-CN': { signature: 'ISBLANK(值)', description: '值为空（null、缺失、空文本或空列表）时返回真。' },
    },
    examples: [
      { formula: 'ISBLANK(phone)', values: { phone: '' }, result: true },
      { formula: 'ISBLANK(0)', result: false },
    ],
  },
} satisfies Record<string, FormulaFunctionDefinition>;
