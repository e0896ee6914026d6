import { describe, expect, it } from 'vitest';
import { formulaCases } from '../testing/formula-cases';
import { checkFormulaOrThrow } from './checker';
import { evaluateFormula } from './evaluator';
import { FORMULA_FUNCTIONS, FORMULA_FUNCTION_DEFINITIONS } from './functions';
import { parseFormulaOrThrow } from './parser';

const REQUIRED = [
  'IF',
  'IFS',
  'AND',
  'OR',
  'NOT',
  'XOR',
  'CONCATENATE',
  'LEFT',
  'RIGHT',
  'MID',
  'LEN',
  'UPPER',
  'LOWER',
  'TRIM',
  'TEXT',
  'SPLIT',
  'SEARCH',
  'REPLACE',
  'SUM',
  'AVERAGE',
  'MAX',
  'MIN',
  'ROUND',
  'ROUNDUP',
  'ROUNDDOWN',
  'ABS',
  'MOD',
  'POWER',
  'SUMPRODUCT',
  'COUNT',
  'TODAY',
  'NOW',
  'DATE',
  'YEAR',
  'MONTH',
  'DAY',
  'DAYS',
  'DATEDELTA',
  'WEEKNUM',
];
const now = new Date('2026-03-18T10:00:00Z');
const handWritten = formulaCases().filter((c) => c.expected !== undefined);

describe('function registry', () => {
  it('has every function the issue lists, plus ISBLANK', () => {
    expect(FORMULA_FUNCTIONS.map((f) => f.name).sort()).toEqual([...REQUIRED, 'ISBLANK'].sort());
  });

  it('documents every function in English and Chinese', () => {
    for (const info of FORMULA_FUNCTIONS) {
      expect(info.signature.en.startsWith(`${info.name}(`), info.name).toBe(true);
      expect(info.signature['zh-CN'].startsWith(`${info.name}(`), info.name).toBe(true);
      expect(info.description.en.length, info.name).toBeGreaterThan(15);
      expect(info.description['zh-CN'], info.name).toMatch(/[\u4e00-\u9fff]/);
      expect(info.examples.length, info.name).toBeGreaterThan(0);
    }
  });
});

describe.each(Object.values(FORMULA_FUNCTION_DEFINITIONS).map((definition) => [definition.name, definition] as const))('%s', (name, definition) => {
  it.each(definition.examples.map((example) => [example.formula, example] as const))('documented example %s', (_formula, example) => {
    const ast = parseFormulaOrThrow({ text: example.formula });
    expect(evaluateFormula({ ast, values: example.values ?? {}, now })).toEqual({ ok: true, value: example.result });
  });

  it('has hand-written cases in the shared fixture (run in node and in the browser)', () => {
    const uses = handWritten.filter((c) => new RegExp(`\\b${name}\\(`).test(c.text));
    expect(uses.length).toBeGreaterThanOrEqual(1);
  });

  it('declares an arity that the parser and checker enforce', () => {
    const tooFew = `${name}(${Array.from({ length: Math.max(0, definition.minArgs - 1) }, () => 'null').join(', ')})`;
    if (definition.minArgs > 0) expect(() => parseFormulaOrThrow({ text: tooFew })).toThrow(/takes/);
    if (Number.isFinite(definition.maxArgs)) {
      const tooMany = `${name}(${Array.from({ length: definition.maxArgs + 1 }, () => 'null').join(', ')})`;
      expect(() => parseFormulaOrThrow({ text: tooMany })).toThrow(/takes/);
    }
    const enough = `${name}(${Array.from({ length: definition.minArgs }, () => 'null').join(', ')})`;
    expect(() => checkFormulaOrThrow({ ast: parseFormulaOrThrow({ text: enough }), fieldTypes: {} })).not.toThrow();
  });
});

describe('Chinese text, dates and decimals in functions', () => {
  const value = (text: string, values: Record<string, unknown> = {}) => evaluateFormula({ ast: parseFormulaOrThrow({ text }), values, now });
  it.each([
    ['LEN("客户")', 2],
    ['LEN("𠮷野家")', 3],
    ['LEFT("客户名称", 2)', '客户'],
    ['RIGHT("😀客户", 2)', '客户'],
    ['MID("😀客户名称", 2, 2)', '客户'],
    ['REPLACE("😀客户", 2, 1, "顾")', '😀顾户'],
    ['SEARCH("户", "😀客户")', 3],
    ['SPLIT("甲、乙、丙", "、")', ['甲', '乙', '丙']],
    ['UPPER("客户abc")', '客户ABC'],
    ['TEXT(DATE(2026, 3, 8), "yyyy年MM月dd日")', '2026年03月08日'],
    ['TEXT(1234567.891, "¥#,##0.00元")', '¥1,234,567.89元'],
    ['ROUND(2.675, 2)', 2.68],
    ['ROUND(-0.5)', -1],
    ['ROUNDDOWN(1234.5678, -2)', 1200],
    ['ROUNDUP(0.1 + 0.2, 1)', 0.3],
    ['SUM(0.1, 0.2, 0.3) = 0.6', true],
    ['YEAR("2024-02-29") + MONTH("2024-02-29") + DAY("2024-02-29")', 2024 + 2 + 29],
    ['DATE(2024, 2, 29) + 365', '2025-02-28'],
    ['DAYS("2024-03-01", "2024-02-28")', 2],
    ['WEEKNUM("2025-12-29", 21)', 1],
    ['WEEKNUM("2026-01-03")', 1],
    ['WEEKNUM("2026-01-05", 2)', 2],
    ['DATEDELTA("2024-02-29", 366)', '2025-03-01'],
  ])('%s = %j', (text, expected) => {
    expect(value(text)).toEqual({ ok: true, value: expected });
  });
});
