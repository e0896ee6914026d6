import fc from 'fast-check';
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { formulaCases } from '../testing/formula-cases';
import { FormulaRuntimeErrorCode } from './errors';
import { evaluateFormula, registerFormulaOperations } from './evaluator';
import { parseFormulaOrThrow } from './parser';
import { FormulaFault } from './runtime';

const now = new Date('2026-03-18T10:00:00Z');
const value = (text: string, values: Record<string, unknown> = {}) => {
  const result = evaluateFormula({ ast: parseFormulaOrThrow({ text }), values, now });
  if (!result.ok) throw new Error(`${text}: ${result.code} ${result.message}`);
  return result.value;
};

describe('json-logic compatibility of the operators formulas share with conditions', () => {
  it('keeps json-logic results for conditions, except that a blank fails < <= > >= and a date meets a datetime as its midnight', () => {
    // Computed with stock json-logic-js first: this test file has its own module instance.
    const rules: [unknown, Record<string, unknown>][] = [];
    const values = [null, 0, 1, -2.5, 'a', 'b', '', '2026-01-01', '2026-01-01T00:00:00.000Z', true, false];
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) {
      for (const a of values) for (const b of values) rules.push([{ [op]: [{ var: 'a' }, b] }, { a }]);
    }
    for (const low of [null, 1]) rules.push([{ '<=': [low, { var: 'a' }, 3] }, { a: 2 }], [{ '<': [low, { var: 'a' }, 3] }, { a: null }]);
    for (const [a, b] of [
      [1, 2],
      [0.5, 0.25],
      [-3, 1e3],
      ['2', 3],
      [10, -4],
    ] as const) {
      rules.push(
        [{ '+': [{ var: 'a' }, b] }, { a }],
        [{ '*': [{ var: 'a' }, b] }, { a }],
        [{ '-': [{ var: 'a' }, b] }, { a }],
        [{ '/': [{ var: 'a' }, b] }, { a }],
      );
    }
    rules.push([{ cat: ['x', { var: 'a' }, 1.5] }, { a: 'y' }], [{ '-': [{ var: 'a' }] }, { a: 4 }], [{ '+': ['3.5'] }, {}]);
    const stock = rules.map(([rule, data]) => jsonLogic.apply(rule as never, data) as unknown);

    registerFormulaOperations();
    rules.forEach(([rule, data], index) => {
      const before = stock[index];
      const after = jsonLogic.apply(rule as never, data) as unknown;
      const [op, args] = Object.entries(rule as Record<string, unknown[]>)[0]!;
      const operands = (args as unknown[]).map((arg) => jsonLogic.apply(arg as never, data) as unknown);
      const blankInOrdered = ['<', '<=', '>', '>='].includes(op) && operands.some((operand) => operand === null);
      const dateMeetsDateTime = operands.includes('2026-01-01') && operands.includes('2026-01-01T00:00:00.000Z');
      const midnight = ['==', '<=', '>='].includes(op);
      // Division rounds to 10 decimal places (the precision rule); the inputs here keep toFixed exact enough.
      const expected = op === '/' ? Number((before as number).toFixed(10)) : blankInOrdered ? false : dateMeetsDateTime ? midnight : before;
      expect(after, JSON.stringify([rule, data])).toEqual(expected);
    });
  });

  it('makes json-logic arithmetic decimal and blank-as-zero, and cat blank-as-empty', () => {
    registerFormulaOperations();
    expect(jsonLogic.apply({ '+': [0.1, 0.2] })).toBe(0.3);
    expect(jsonLogic.apply({ '+': [{ var: 'missing' }, 2] }, {})).toBe(2);
    expect(jsonLogic.apply({ cat: ['a', null, 'b'] })).toBe('ab');
    expect(jsonLogic.apply({ '/': [1, 0] })).toBeInstanceOf(FormulaFault);
  });

  it('gives through jsonLogic.apply what evaluateFormula gives (same AST, same operations)', () => {
    registerFormulaOperations();
    const clockFree = formulaCases().filter((c) => !/TODAY|NOW|items\./.test(c.text));
    let compared = 0;
    for (const testCase of clockFree) {
      let ast: unknown;
      try {
        ast = parseFormulaOrThrow({ text: testCase.text });
      } catch {
        continue;
      }
      const result = evaluateFormula({ ast, values: testCase.values, now });
      const direct = jsonLogic.apply(ast as never, testCase.values) as unknown;
      if (result.ok) expect(direct, testCase.text).toEqual(result.value);
      else if (direct instanceof FormulaFault) expect(direct.code, testCase.text).toBe(result.code);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(150);
  });

  it('TODAY() without an evaluation clock is a run-time error, not the machine time', () => {
    registerFormulaOperations();
    const fault = jsonLogic.apply({ TODAY: [] }) as unknown;
    expect(fault).toMatchObject({ code: FormulaRuntimeErrorCode.FORMULA_INVALID_VALUE });
  });
});

describe('blank values (null, missing)', () => {
  it('count as 0 in arithmetic and aggregates', () => {
    expect(value('a + 1')).toBe(1);
    expect(value('a * 2', { a: null })).toBe(0);
    expect(value('-a')).toBe(0);
    expect(value('ROUND(a, 2)')).toBe(0);
    expect(value('SUM(a, 2, items.x)', { items: [{ x: null }, {}, { x: 3 }] })).toBe(5);
    expect(
      value('SUMPRODUCT(items.x, items.y)', {
        items: [
          { x: null, y: 3 },
          { x: 2, y: 4 },
        ],
      }),
    ).toBe(8);
  });

  it('are skipped by AVERAGE, MAX, MIN and COUNT', () => {
    const items = [{ x: null }, { x: 4 }, { x: 2 }];
    expect(value('AVERAGE(items.x)', { items })).toBe(3);
    expect(value('MIN(items.x)', { items })).toBe(2);
    expect(value('COUNT(items.x)', { items })).toBe(2);
    expect(value('MAX(a, b)')).toBeNull();
  });

  it('are what empty lists inside lists give MAX and MIN (the fuzz case MAX(note) over [[]])', () => {
    expect(value('MAX(note)', { note: [[]] })).toBeNull();
    expect(value('MIN(note)', { note: [[], []] })).toBeNull();
  });

  it('count as "" in text', () => {
    expect(value('"a" & b & "c"')).toBe('ac');
    expect(value('LEN(b)')).toBe(0);
    expect(value('UPPER(b)')).toBe('');
    expect(value('CONCATENATE(b, 1)')).toBe('1');
    expect(value('SPLIT(b, ",")')).toEqual([]);
  });

  it('follow the condition language in comparisons: only = null and <> match a blank', () => {
    expect(value('a = null')).toBe(true);
    expect(value('a <> 1')).toBe(true);
    expect(value('a = 0')).toBe(false);
    expect(value('a = ""')).toBe(false);
    expect(value('a < 1')).toBe(false);
    expect(value('a >= 0')).toBe(false);
    expect(value('ISBLANK(a)')).toBe(true);
    expect(value('ISBLANK(a)', { a: '' })).toBe(true);
  });

  it('are false as conditions and blank through date functions', () => {
    expect(value('IF(a, "yes", "no")')).toBe('no');
    expect(value('NOT(a)')).toBe(true);
    expect(value('AND(true, a)')).toBe(false);
    expect(value('YEAR(a)')).toBeNull();
    expect(value('DATEDELTA(a, 3)')).toBeNull();
    expect(value('DAYS(a, TODAY())')).toBeNull();
    expect(value('a + 1', { a: '2026-03-01' })).toBe('2026-03-02');
  });
});

describe('evaluateFormula', () => {
  it('reads the clock from `now` only', () => {
    expect(value('TODAY()')).toBe('2026-03-18');
    expect(evaluateFormula({ ast: { NOW: [] }, values: {}, now: new Date('2030-01-02T03:04:05.678Z') })).toEqual({
      ok: true,
      value: '2030-01-02T03:04:05.678Z',
    });
  });

  it('returns run-time errors as values and passes on the first one', () => {
    expect(value('IF(b = 0, 0, a / b)', { a: 1, b: 0 })).toBe(0);
    expect(value('IFS(b = 0, "none", true, a / b)', { a: 1, b: 0 })).toBe('none');
    expect(evaluateFormula({ ast: parseFormulaOrThrow({ text: 'LEN(TEXT(a / b)) + YEAR("x")' }), values: { a: 1, b: 0 }, now })).toMatchObject({
      ok: false,
      code: FormulaRuntimeErrorCode.FORMULA_DIVIDE_BY_ZERO,
    });
  });

  it('never throws for junk input', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), (ast, values) => {
        const result = evaluateFormula({ ast, values, now });
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws for well-formed formulas over junk values', () => {
    const texts = formulaCases()
      .map((c) => c.text)
      .filter((text) => {
        try {
          parseFormulaOrThrow({ text });
          return true;
        } catch {
          return false;
        }
      });
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.dictionary(fc.constantFrom('amount', 'name', 'qty', 'signed_on', 'items', 'tags', 'vip', 'note'), fc.jsonValue({ maxDepth: 3 })),
        (text, values) => {
          const result = evaluateFormula({ ast: parseFormulaOrThrow({ text }), values, now });
          expect(typeof result.ok).toBe('boolean');
          if (result.ok) expect(result.value).not.toBeInstanceOf(FormulaFault);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
