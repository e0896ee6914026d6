/*
 * Every kind of bad input from the "Bad input" list: refused at design time with a
 * message (and a position when there is text), or at run time as a field error; never a crash
 * and never a hang. Each test finishing within vitest's default timeout is the bound.
 */
import { describe, expect, it } from 'vitest';
import { checkFormulaOrThrow } from './checker';
import { formulaDependencies } from './dependencies';
import { FormulaError, FormulaErrorCode, FormulaRuntimeErrorCode } from './errors';
import { evaluateFormula } from './evaluator';
import { FORMULA_LIMITS } from './limits';
import { parseFormulaOrThrow } from './parser';
import { printFormula } from './printer';

const now = new Date('2026-03-18T10:00:00Z');
const resolveLabel = (label: string) => ({ 危险: '__proto__', 构造: 'constructor', 金额: 'amount' })[label];

function designError(run: () => unknown): FormulaError {
  try {
    run();
  } catch (error) {
    if (error instanceof FormulaError) return error;
    throw error;
  }
  throw new Error('expected a FormulaError');
}
const parseError = (text: string) => designError(() => parseFormulaOrThrow({ text, resolveLabel }));

function run(text: string, values: Record<string, unknown> = {}, maxSteps?: number) {
  return evaluateFormula({ ast: parseFormulaOrThrow({ text }), values, now, ...(maxSteps === undefined ? {} : { maxSteps }) });
}

describe('design time: refused with a message and a position', () => {
  it('formula text that does not parse', () => {
    for (const text of ['1 +', 'IF(a, 1', ')', 'a b', '"unclosed', '{unclosed', 'SUM(,)', '1..2', '* 2', 'a.b.c']) {
      const error = parseError(text);
      expect(error.code, text).toBe(FormulaErrorCode.FORMULA_PARSE);
      expect(error.position, text).toBeDefined();
    }
  });

  it('unknown functions and fields', () => {
    expect(parseError('VLOOKUP(1, 2)')).toMatchObject({ code: FormulaErrorCode.FORMULA_UNKNOWN_FUNCTION, position: { column: 1 } });
    expect(parseError('1 + {无此字段}')).toMatchObject({ code: FormulaErrorCode.FORMULA_UNKNOWN_FIELD, position: { column: 5 } });
    const ast = parseFormulaOrThrow({ text: 'amount + ghost' });
    expect(designError(() => checkFormulaOrThrow({ ast, fieldTypes: { amount: 'number' } }))).toMatchObject({
      code: FormulaErrorCode.FORMULA_UNKNOWN_FIELD,
      position: { column: 10, length: 5 },
    });
  });

  it('type errors: text + date, date - text', () => {
    const fieldTypes = { name: 'text', due: 'date' } as const;
    for (const [text, column] of [
      ['name + due', 1],
      ['due - name', 7],
      ['due * 2', 1],
    ] as const) {
      const error = designError(() => checkFormulaOrThrow({ ast: parseFormulaOrThrow({ text }), fieldTypes }));
      expect(error.code, text).toBe(FormulaErrorCode.FORMULA_TYPE);
      expect(error.position?.column, text).toBe(column);
    }
  });

  it('formulas over the size cap', () => {
    const long = `"${'x'.repeat(FORMULA_LIMITS.maxLength)}"`;
    expect(parseError(long)).toMatchObject({ code: FormulaErrorCode.FORMULA_TOO_COMPLEX, position: { offset: FORMULA_LIMITS.maxLength } });
    expect(parseFormulaOrThrow({ text: `"${'x'.repeat(FORMULA_LIMITS.maxLength - 2)}"` })).toHaveLength(FORMULA_LIMITS.maxLength - 2);
    expect(parseError('x'.repeat(10_000_000)).code).toBe(FormulaErrorCode.FORMULA_TOO_COMPLEX);
  });

  it('formulas over the depth cap', () => {
    const nested = (depth: number) => `${'ABS('.repeat(depth)}1${')'.repeat(depth)}`;
    expect(parseFormulaOrThrow({ text: nested(FORMULA_LIMITS.maxDepth) })).toBeDefined();
    expect(parseError(nested(FORMULA_LIMITS.maxDepth + 1)).code).toBe(FormulaErrorCode.FORMULA_TOO_COMPLEX);
    // Parentheses alone and long unary chains are cut off before they can exhaust the stack.
    expect(parseError(`${'('.repeat(1900)}1${')'.repeat(1900)}`).code).toBe(FormulaErrorCode.FORMULA_TOO_COMPLEX);
    expect(parseError(`${'-'.repeat(3990)}a`).code).toBe(FormulaErrorCode.FORMULA_TOO_COMPLEX);
    expect(parseError(`${'1 - ('.repeat(600)}1${')'.repeat(600)}`).code).toBe(FormulaErrorCode.FORMULA_TOO_COMPLEX);
  });

  it('formulas over the node cap', () => {
    const sum = (terms: number) => Array.from({ length: terms }, () => '1').join('+');
    expect(parseFormulaOrThrow({ text: sum(FORMULA_LIMITS.maxNodes - 1) })).toBeDefined();
    expect(parseError(sum(FORMULA_LIMITS.maxNodes)).code).toBe(FormulaErrorCode.FORMULA_TOO_COMPLEX);
  });

  it('paths through __proto__, constructor and prototype', () => {
    for (const text of ['__proto__', 'constructor + 1', 'SUM(items.prototype)', 'items.__proto__', '{危险}', 'x.{构造}']) {
      expect(designError(() => parseFormulaOrThrow({ text, resolveLabel: (label, scope) => (scope ? 'constructor' : resolveLabel(label)) })).code, text).toBe(
        FormulaErrorCode.FORMULA_FORBIDDEN,
      );
    }
    for (const json of ['{"var": "__proto__"}', '{"var": "a.constructor"}', '{"__proto__": [1]}', '{"constructor": [1]}', '{"+": [1, {"prototype": []}]}']) {
      const ast = JSON.parse(json) as unknown;
      expect(designError(() => formulaDependencies({ ast })).code, json).toBe(FormulaErrorCode.FORMULA_FORBIDDEN);
      expect(evaluateFormula({ ast, values: {}, now })).toMatchObject({ ok: false, code: FormulaErrorCode.FORMULA_FORBIDDEN });
    }
  });

  it('ASTs that are no formula (from storage or a request) are refused, deep or cyclic ones too', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = { ABS: [deep] };
    const cyclic: { '+': unknown[] } = { '+': [1] };
    cyclic['+'].push(cyclic);
    const cases: [unknown, string][] = [
      [deep, FormulaErrorCode.FORMULA_TOO_COMPLEX],
      [cyclic, FormulaErrorCode.FORMULA_TOO_COMPLEX],
      [{ SUM: Array.from({ length: 100_000 }, () => 1) }, FormulaErrorCode.FORMULA_TOO_COMPLEX],
      ['x'.repeat(1_000_000), FormulaErrorCode.FORMULA_TOO_COMPLEX],
      [{ var: 'a.b.c' }, FormulaErrorCode.FORMULA_UNKNOWN_FIELD],
      [{ var: ['a', 1] }, FormulaErrorCode.FORMULA_PARSE],
      [{ var: 'true' }, FormulaErrorCode.FORMULA_UNKNOWN_FIELD],
      [{ if: [true, 1, 2] }, FormulaErrorCode.FORMULA_UNKNOWN_FUNCTION],
      [{ SUM: 1 }, FormulaErrorCode.FORMULA_PARSE],
      [{ '+': [1], '-': [2] }, FormulaErrorCode.FORMULA_PARSE],
      [{ LEFT: [] }, FormulaErrorCode.FORMULA_ARITY],
      [{ '/': [1, 2, 3] }, FormulaErrorCode.FORMULA_ARITY],
      [[1, 2], FormulaErrorCode.FORMULA_PARSE],
      [new Date(), FormulaErrorCode.FORMULA_PARSE],
      [Number.NaN, FormulaErrorCode.FORMULA_PARSE],
      [{ '+': [1, Number.POSITIVE_INFINITY] }, FormulaErrorCode.FORMULA_PARSE],
      [undefined, FormulaErrorCode.FORMULA_PARSE],
    ];
    for (const [ast, code] of cases) {
      expect(designError(() => printFormula({ ast })).code).toBe(code);
      expect(evaluateFormula({ ast, values: {}, now })).toMatchObject({ ok: false, code });
    }
  });
});

describe('run time: a field error, never a crash or a hang', () => {
  it('division by zero', () => {
    expect(run('a / b', { a: 1, b: 0 })).toEqual({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_DIVIDE_BY_ZERO, message: 'Division by zero' });
    expect(run('MOD(a, b)', { a: 1 })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_DIVIDE_BY_ZERO });
    expect(run('ROUND(a / b, 2) & " units"', { a: 1, b: null })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_DIVIDE_BY_ZERO });
  });

  it('huge SPLIT', () => {
    expect(run('SPLIT(t, ",")', { t: 'a,'.repeat(50_000) })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED });
    expect(run('SPLIT(t, "")', { t: '客'.repeat(90_000) })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED });
    expect(run('SPLIT(t, ",")', { t: 'x'.repeat(5_000_000) })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED });
    expect(run('COUNT(SPLIT(t, ","))', { t: 'a,'.repeat(9_999) })).toEqual({ ok: true, value: 9_999 });
  });

  it('REPLACE and SEARCH on huge text, and searches that are slow in naive engines', () => {
    const huge = 'a'.repeat(5_000_000);
    expect(run('REPLACE(t, 1, 1, "b")', { t: huge })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED });
    expect(run('SEARCH("b", t)', { t: huge })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED });
    // Within the size limit, a pattern that makes indexOf quadratic is still linear here.
    const pattern = `${'a'.repeat(25_000)}b${'a'.repeat(24_000)}`;
    expect(run('SEARCH(p, t)', { p: pattern, t: 'a'.repeat(50_000) })).toEqual({ ok: true, value: 0 });
    expect(run('COUNT(SPLIT(t, p))', { p: pattern, t: 'a'.repeat(50_000) })).toEqual({ ok: true, value: 1 });
  });

  it('text results over 100 000 characters', () => {
    const t = 'x'.repeat(30_000);
    expect(run('t & t & t', { t })).toEqual({ ok: true, value: t.repeat(3) });
    expect(run('t & t & t & t', { t })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED });
    // Doubling nested to the depth limit would be 2^32 times the text: stopped at the first overflow.
    const doubling = Array.from({ length: 30 }).reduce<string>((inner) => `CONCATENATE(${inner}, ${inner === 't' ? 't' : 'x'})`, 't');
    expect(run(doubling, { t: 'ab', x: 'y'.repeat(20_000) })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED });
    expect(run('UPPER(t)', { t: 'ß'.repeat(60_000) })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED });
    expect(run('TEXT(1, f)', { f: '0'.repeat(101) })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_INVALID_VALUE });
  });

  it('POWER with huge exponents', () => {
    for (const [text, expected] of [
      ['POWER(2, 1e300)', { ok: false, code: FormulaRuntimeErrorCode.FORMULA_OUT_OF_RANGE }],
      ['POWER(1.0000000001, 1e15)', { ok: false, code: FormulaRuntimeErrorCode.FORMULA_OUT_OF_RANGE }],
      ['POWER(0.9999999999, 1e15)', { ok: true, value: 0 }],
      ['POWER(-1, 1e300)', { ok: true, value: 1 }],
      ['POWER(1.0000001, 10000000)', { ok: true, value: 2.7182816925 }],
      ['POWER(10, -1e300)', { ok: true, value: 0 }],
      ['POWER(1e300, 1e300)', { ok: false, code: FormulaRuntimeErrorCode.FORMULA_OUT_OF_RANGE }],
      ['POWER(7, 1.5e3)', { ok: false, code: FormulaRuntimeErrorCode.FORMULA_OUT_OF_RANGE }],
    ] as const) {
      const result = run(text);
      if (text === 'POWER(1.0000001, 10000000)')
        expect(result.ok && Math.round((result.value as number) * 1e10) / 1e10, text).toBe(expected.ok && expected.value);
      else expect(result, text).toMatchObject(expected);
    }
  });

  it('deep nesting evaluates within the depth limit', () => {
    const text = `${'ABS('.repeat(FORMULA_LIMITS.maxDepth)}-1${')'.repeat(FORMULA_LIMITS.maxDepth)}`;
    expect(run(text)).toEqual({ ok: true, value: 1 });
  });

  it('a step budget bounds the work of one evaluation', () => {
    const items = Array.from({ length: 9_000 }, (_, i) => ({ qty: i }));
    const many = Array.from({ length: 150 }, () => 'SUM(items.qty)').join(' + ');
    expect(run(many, { items })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED });
    expect(run('SUM(items.qty)', { items })).toEqual({ ok: true, value: (8_999 * 9_000) / 2 });
    expect(run('1 + 1', {}, 1)).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED });
    expect(run('SUM(items.qty)', { items: Array.from({ length: FORMULA_LIMITS.maxListLength + 1 }, () => ({ qty: 1 })) })).toMatchObject({
      ok: false,
      code: FormulaRuntimeErrorCode.FORMULA_BUDGET_EXCEEDED,
    });
  });

  it('bad values in fields: wrong kinds, hostile keys, out-of-range dates', () => {
    expect(run('a + 1', { a: 'abc' })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_INVALID_VALUE });
    expect(run('a + 1', { a: { x: 1 } })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_INVALID_VALUE });
    expect(run('a + 1', { a: Number.NaN })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_INVALID_VALUE });
    expect(run('YEAR(a)', { a: '2026-02-30' })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_INVALID_VALUE });
    expect(run('DATE(1e15, 1, 1)')).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_INVALID_VALUE });
    expect(run('DATE(999, 12, 31)')).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_OUT_OF_RANGE });
    expect(run('WEEKNUM("2026-01-01", 1e9)')).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_INVALID_VALUE });
    // Keys reach only own values: nothing leaks from prototypes or from a hostile "__proto__" key.
    const hostile = JSON.parse('{"__proto__": {"toString": 5, "x": 7}}') as Record<string, unknown>;
    expect(run('ISBLANK(x)', hostile)).toEqual({ ok: true, value: true });
    expect(run('ISBLANK(toString)', {})).toEqual({ ok: true, value: true });
    expect(run('SUM(items.qty)', { items: [null, 5, 'x', { qty: 2 }, JSON.parse('{"__proto__": {"qty": 9}}')] })).toEqual({ ok: true, value: 2 });
    expect(run('SUM(items.qty)', { items: 'not rows' })).toEqual({ ok: true, value: 0 });
  });
});

describe('a bad clock', () => {
  it('is a run-time error of TODAY and NOW, not a crash', () => {
    const ast = parseFormulaOrThrow({ text: 'TODAY() & NOW()' });
    expect(evaluateFormula({ ast, values: {}, now: new Date(Number.NaN) })).toMatchObject({ ok: false, code: FormulaRuntimeErrorCode.FORMULA_INVALID_VALUE });
    expect(evaluateFormula({ ast, values: {}, now: new Date(Date.UTC(20000, 0, 1)) })).toMatchObject({
      ok: false,
      code: FormulaRuntimeErrorCode.FORMULA_OUT_OF_RANGE,
    });
    expect(evaluateFormula({ ast: parseFormulaOrThrow({ text: '1 + 1' }), values: {}, now: new Date(Number.NaN) })).toEqual({ ok: true, value: 2 });
  });
});
