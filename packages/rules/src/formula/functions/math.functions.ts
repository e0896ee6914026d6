import { addDecimals, compareDecimals, decimalFromNumber, divideDecimals, modDecimals, multiplyDecimals, type Decimal } from '../decimal';
import type { TypeVerdict } from '../operators';
import {
  charge,
  divideByZero,
  fromDecimal,
  FormulaFault,
  invalid,
  isDateText,
  itemsOf,
  msOf,
  toDateValue,
  toDecimal,
  type EvaluationContext,
  type RuntimeValue,
} from '../runtime';
import { describeType, elementType, isListType, type FormulaType } from '../types';
import type { FormulaFunctionDefinition } from './definition';
import { power, rounding } from './math-rounding';

const INFINITE = Number.POSITIVE_INFINITY;
const ZERO: Decimal = { coefficient: 0n, scale: 0 };

/** Non-blank items of the arguments as decimals; lists are flattened. */
function numbers(args: readonly unknown[], context: EvaluationContext): Decimal[] | FormulaFault {
  const items = itemsOf(args);
  charge(context, items.length);
  const result: Decimal[] = [];
  for (const item of items) {
    if (item === null || item === undefined) continue;
    const number = toDecimal(item);
    if (number instanceof FormulaFault) return number;
    result.push(number);
  }
  return result;
}

function sum(values: readonly Decimal[]): Decimal {
  return values.reduce(addDecimals, ZERO);
}

/** MAX/MIN take numbers, or dates and datetimes; the result has their type. */
function extremumType(types: readonly FormulaType[]): TypeVerdict {
  let kind: 'number' | 'date' | 'datetime' | undefined;
  let result: FormulaType = 'any';
  for (let i = 0; i < types.length; i += 1) {
    const type = types[i]!;
    const element = isListType(type) ? elementType(type) : type;
    if (element === 'blank' || element === 'any') continue;
    if (element !== 'number' && element !== 'date' && element !== 'datetime') {
      return { problem: `${describeType(type)} has no order here: expected numbers or dates`, argIndex: i };
    }
    if (kind !== undefined && kind !== element) {
      return { problem: `${describeType(type)} cannot be compared with ${describeType(kind)}`, argIndex: i };
    }
    kind = element;
    result = element;
  }
  return result;
}

function extremum(direction: 1 | -1) {
  return (args: readonly unknown[], context: EvaluationContext): RuntimeValue => {
    const items = itemsOf(args).filter((item) => item !== null && item !== undefined);
    charge(context, items.length);
    if (items.length === 0) return null;
    if (items.every(isDateText)) {
      let best: unknown;
      let bestMs = 0;
      for (const item of items) {
        const date = toDateValue(item);
        if (date instanceof FormulaFault) return date;
        if (best === undefined || (msOf(date) - bestMs) * direction > 0) [best, bestMs] = [item, msOf(date)];
      }
      return best as string;
    }
    const values = numbers(items, context);
    if (values instanceof FormulaFault) return values;
    // Nested empty lists (a subform column of an empty subform inside a list) flatten to nothing.
    if (values.length === 0) return null;
    let best = values[0]!;
    for (const value of values) if (compareDecimals(value, best) === direction) best = value;
    return fromDecimal(best);
  };
}

export const MATH_FUNCTIONS = {
  SUM: {
    name: 'SUM',
    category: 'math',
    params: ['numbers'],
    minArgs: 1,
    maxArgs: INFINITE,
    result: 'number',
    implementation: (args, context) => {
      const values = numbers(args, context);
      return values instanceof FormulaFault ? values : fromDecimal(sum(values));
    },
    docs: {
      en: {
        signature: 'SUM(number1, [number2], …)',
        description: 'Sum of the numbers; a subform column adds up its rows (SUM(items.amount)). Blanks count as 0. Exact for decimals.',
      },
      'zh-CN': {
        signature: 'SUM(数字1, [数字2], …)',
        description: '求和；子表单的一列会把所有行相加（如 SUM(明细.金额)）。空值视为 0。小数精确计算。',
      },
    },
    examples: [
      { formula: 'SUM(0.1, 0.2)', result: 0.3 },
      { formula: 'SUM(items.amount)', values: { items: [{ amount: 19.9 }, { amount: null }, { amount: 0.1 }] }, result: 20 },
    ],
  },
  AVERAGE: {
    name: 'AVERAGE',
    category: 'math',
    params: ['numbers'],
    minArgs: 1,
    maxArgs: INFINITE,
    result: 'number',
    implementation: (args, context) => {
      const values = numbers(args, context);
      if (values instanceof FormulaFault) return values;
      const average = divideDecimals(sum(values), decimalFromNumber(values.length));
      return average === undefined ? divideByZero('AVERAGE of no values') : fromDecimal(average);
    },
    docs: {
      en: {
        signature: 'AVERAGE(number1, [number2], …)',
        description: 'Mean of the non-blank numbers, rounded to 10 decimal places; an error when there is none.',
      },
      'zh-CN': { signature: 'AVERAGE(数字1, [数字2], …)', description: '非空数字的平均值，保留 10 位小数；没有数字时报错。' },
    },
    examples: [
      { formula: 'AVERAGE(items.score)', values: { items: [{ score: 90 }, { score: null }, { score: 85 }] }, result: 87.5 },
      { formula: 'AVERAGE(1, 2, 2)', result: 1.6666666667 },
    ],
  },
  MAX: {
    name: 'MAX',
    category: 'math',
    params: ['values'],
    minArgs: 1,
    maxArgs: INFINITE,
    result: extremumType,
    implementation: extremum(1),
    docs: {
      en: { signature: 'MAX(value1, [value2], …)', description: 'The largest number, or the latest date. Blanks are skipped; blank when nothing is left.' },
      'zh-CN': { signature: 'MAX(值1, [值2], …)', description: '最大的数字或最晚的日期。忽略空值；全为空时返回空。' },
    },
    examples: [
      { formula: 'MAX(3, -1, 7.5)', result: 7.5 },
      { formula: 'MAX(items.due)', values: { items: [{ due: '2026-03-01' }, { due: '2026-04-15' }] }, result: '2026-04-15' },
    ],
  },
  MIN: {
    name: 'MIN',
    category: 'math',
    params: ['values'],
    minArgs: 1,
    maxArgs: INFINITE,
    result: extremumType,
    implementation: extremum(-1),
    docs: {
      en: { signature: 'MIN(value1, [value2], …)', description: 'The smallest number, or the earliest date. Blanks are skipped; blank when nothing is left.' },
      'zh-CN': { signature: 'MIN(值1, [值2], …)', description: '最小的数字或最早的日期。忽略空值；全为空时返回空。' },
    },
    examples: [{ formula: 'MIN(items.price)', values: { items: [{ price: 12 }, { price: 9.99 }] }, result: 9.99 }],
  },
  ROUND: {
    name: 'ROUND',
    category: 'math',
    params: ['number', 'number'],
    minArgs: 1,
    maxArgs: 2,
    result: 'number',
    implementation: rounding('half-away'),
    docs: {
      en: {
        signature: 'ROUND(number, [digits])',
        description:
          'Rounds half away from zero to digits decimal places (0 when omitted; negative: tens, hundreds…). Exact on decimals: ROUND(1.005, 2) is 1.01.',
      },
      'zh-CN': {
        signature: 'ROUND(数字, [小数位数])',
        description: '四舍五入到指定小数位（省略为 0；负数表示十位、百位……）。按十进制精确计算：ROUND(1.005, 2) 为 1.01。',
      },
    },
    examples: [
      { formula: 'ROUND(1.005, 2)', result: 1.01 },
      { formula: 'ROUND(-2.5)', result: -3 },
      { formula: 'ROUND(1234.5, -2)', result: 1200 },
    ],
  },
  ROUNDUP: {
    name: 'ROUNDUP',
    category: 'math',
    params: ['number', 'number'],
    minArgs: 1,
    maxArgs: 2,
    result: 'number',
    implementation: rounding('away'),
    docs: {
      en: { signature: 'ROUNDUP(number, [digits])', description: 'Rounds away from zero to digits decimal places.' },
      'zh-CN': { signature: 'ROUNDUP(数字, [小数位数])', description: '向远离 0 的方向舍入到指定小数位。' },
    },
    examples: [{ formula: 'ROUNDUP(3.141, 2)', result: 3.15 }],
  },
  ROUNDDOWN: {
    name: 'ROUNDDOWN',
    category: 'math',
    params: ['number', 'number'],
    minArgs: 1,
    maxArgs: 2,
    result: 'number',
    implementation: rounding('toward-zero'),
    docs: {
      en: { signature: 'ROUNDDOWN(number, [digits])', description: 'Rounds toward zero to digits decimal places.' },
      'zh-CN': { signature: 'ROUNDDOWN(数字, [小数位数])', description: '向 0 的方向舍入（截断）到指定小数位。' },
    },
    examples: [{ formula: 'ROUNDDOWN(-3.149, 2)', result: -3.14 }],
  },
  ABS: {
    name: 'ABS',
    category: 'math',
    params: ['number'],
    minArgs: 1,
    maxArgs: 1,
    result: 'number',
    implementation: ([value]) => {
      const number = toDecimal(value);
      if (number instanceof FormulaFault) return number;
      return fromDecimal(number.coefficient < 0n ? { coefficient: -number.coefficient, scale: number.scale } : number);
    },
    docs: {
      en: { signature: 'ABS(number)', description: 'The number without its sign.' },
      'zh-CN': { signature: 'ABS(数字)', description: '数字的绝对值。' },
    },
    examples: [{ formula: 'ABS(-12.5)', result: 12.5 }],
  },
  MOD: {
    name: 'MOD',
    category: 'math',
    params: ['number', 'number'],
    minArgs: 2,
    maxArgs: 2,
    result: 'number',
    implementation: ([value, divisor]) => {
      const [a, b] = [toDecimal(value), toDecimal(divisor)];
      if (a instanceof FormulaFault) return a;
      if (b instanceof FormulaFault) return b;
      const remainder = modDecimals(a, b);
      return remainder === undefined ? divideByZero() : fromDecimal(remainder);
    },
    docs: {
      en: {
        signature: 'MOD(number, divisor)',
        description: 'Remainder of number ÷ divisor, with the sign of the divisor (as in spreadsheets); an error for divisor 0.',
      },
      'zh-CN': { signature: 'MOD(被除数, 除数)', description: '两数相除的余数，符号与除数相同（与电子表格一致）；除数为 0 时报错。' },
    },
    examples: [
      { formula: 'MOD(10, 3)', result: 1 },
      { formula: 'MOD(-1, 3)', result: 2 },
      { formula: 'MOD(5.5, 2)', result: 1.5 },
    ],
  },
  POWER: {
    name: 'POWER',
    category: 'math',
    params: ['number', 'number'],
    minArgs: 2,
    maxArgs: 2,
    result: 'number',
    implementation: ([base, exponent]) => power(base, exponent),
    docs: {
      en: {
        signature: 'POWER(number, exponent)',
        description:
          'number raised to exponent. Whole exponents are exact (negative ones divide, to 10 decimal places); fractional exponents are rounded to 10 decimal places. An error past ±1e308.',
      },
      'zh-CN': {
        signature: 'POWER(底数, 指数)',
        description: '乘方。整数指数精确计算（负指数按除法保留 10 位小数）；小数指数结果保留 10 位小数。超出 ±1e308 时报错。',
      },
    },
    examples: [
      { formula: 'POWER(1.1, 2)', result: 1.21 },
      { formula: 'POWER(2, -2)', result: 0.25 },
      { formula: 'POWER(2, 0.5)', result: 1.4142135624 },
    ],
  },
  SUMPRODUCT: {
    name: 'SUMPRODUCT',
    category: 'math',
    params: ['numbers'],
    minArgs: 1,
    maxArgs: INFINITE,
    result: 'number',
    implementation: (args, context) => {
      const lists = args.map((arg) => (Array.isArray(arg) ? (arg as unknown[]) : [arg]));
      const length = lists[0]!.length;
      if (lists.some((list) => list.length !== length)) return invalid('SUMPRODUCT needs lists of the same length');
      charge(context, length * lists.length);
      let total = ZERO;
      for (let row = 0; row < length; row += 1) {
        let product: Decimal = { coefficient: 1n, scale: 0 };
        for (const list of lists) {
          const number = toDecimal(list[row]);
          if (number instanceof FormulaFault) return number;
          product = multiplyDecimals(product, number);
        }
        total = addDecimals(total, product);
      }
      return fromDecimal(total);
    },
    docs: {
      en: {
        signature: 'SUMPRODUCT(list1, [list2], …)',
        description: 'Multiplies the lists item by item and adds the products: SUMPRODUCT(items.qty, items.price) is an order total. Blanks count as 0.',
      },
      'zh-CN': {
        signature: 'SUMPRODUCT(列表1, [列表2], …)',
        description: '把各列表对应位置的数相乘再求和：SUMPRODUCT(明细.数量, 明细.单价) 即订单总额。空值视为 0。',
      },
    },
    examples: [
      {
        formula: 'SUMPRODUCT(items.qty, items.price)',
        values: {
          items: [
            { qty: 3, price: 19.9 },
            { qty: 2, price: 0.05 },
          ],
        },
        result: 59.8,
      },
    ],
  },
  COUNT: {
    name: 'COUNT',
    category: 'math',
    params: ['values'],
    minArgs: 1,
    maxArgs: INFINITE,
    result: 'number',
    implementation: (args, context) => {
      const items = itemsOf(args);
      charge(context, items.length);
      return items.filter((item) => item !== null && item !== undefined && item !== '').length;
    },
    docs: {
      en: {
        signature: 'COUNT(value1, [value2], …)',
        description: 'How many non-blank values there are; lists count their items (COUNT(items.product) counts the rows that name a product).',
      },
      'zh-CN': {
        signature: 'COUNT(值1, [值2], …)',
        description: '非空值的个数；列表按其中的项计数（COUNT(明细.产品) 即填写了产品的行数）。',
      },
    },
    examples: [{ formula: 'COUNT(items.sku)', values: { items: [{ sku: 'A' }, { sku: null }, { sku: 'C' }] }, result: 2 }],
  },
} satisfies Record<string, FormulaFunctionDefinition>;
