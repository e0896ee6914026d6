import { describe, expect, it } from 'vitest';
import { checkFormulaOrThrow } from './checker';
import { FormulaError, FormulaErrorCode } from './errors';
import { parseFormulaOrThrow } from './parser';
import type { FormulaFieldType } from './types';

const fieldTypes: Record<string, FormulaFieldType> = {
  amount: 'number',
  name: 'text',
  vip: 'boolean',
  signed_on: 'date',
  seen_at: 'datetime',
  tags: 'text-list',
  attachment: 'any',
  items: { subform: { qty: 'number', price: 'number', sku: 'text', due: 'date', extra: 'any' } },
};
const typeOf = (text: string) => checkFormulaOrThrow({ ast: parseFormulaOrThrow({ text }), fieldTypes });

function errorOf(text: string): FormulaError {
  try {
    typeOf(text);
  } catch (error) {
    if (error instanceof FormulaError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe('checkFormulaOrThrow: result types', () => {
  it.each([
    ['amount * 2', 'number'],
    ['name & amount', 'text'],
    ['amount > 1 ', 'boolean'],
    ['signed_on + 30', 'date'],
    ['30 + signed_on', 'date'],
    ['signed_on - 1', 'date'],
    ['TODAY() - signed_on', 'number'],
    ['seen_at - signed_on', 'number'],
    ['seen_at + 0.5', 'datetime'],
    ['NOW()', 'datetime'],
    ['DATE(2026, 1, 1)', 'date'],
    ['DATE(2026, 1, 1, 8)', 'datetime'],
    ['DATEDELTA(seen_at, 1)', 'datetime'],
    ['IF(vip, amount, null)', 'number'],
    ['IF(vip, "a")', 'text'],
    ['IFS(vip, signed_on, true, TODAY())', 'date'],
    ['SUM(items.qty)', 'number'],
    ['SUMPRODUCT(items.qty, items.price)', 'number'],
    ['MAX(items.due)', 'date'],
    ['MIN(amount, items.price)', 'number'],
    ['COUNT(items.sku)', 'number'],
    ['CONCATENATE(items.sku, tags)', 'text'],
    ['SPLIT(name, ",")', 'text-list'],
    ['items.qty', 'number-list'],
    ['items.extra', 'any'],
    ['attachment', 'any'],
    ['COUNT(attachment)', 'number'],
    ['null', 'blank'],
    ['LEFT(amount, 2)', 'text'],
    ['YEAR(seen_at)', 'number'],
    ['signed_on < seen_at', 'boolean'],
    ['signed_on = TODAY()', 'boolean'],
    ['amount = null', 'boolean'],
    ['ISBLANK(items.qty)', 'boolean'],
    ['AND(vip, amount > 0)', 'boolean'],
  ])('%s → %s', (text, type) => {
    expect(typeOf(text)).toBe(type);
  });
});

describe('checkFormulaOrThrow: refusals with positions', () => {
  it.each([
    // text, code, column of the offending part
    ['name + signed_on', FormulaErrorCode.FORMULA_TYPE, 1],
    ['amount + name', FormulaErrorCode.FORMULA_TYPE, 10],
    ['signed_on - name', FormulaErrorCode.FORMULA_TYPE, 13],
    ['1 - signed_on', FormulaErrorCode.FORMULA_TYPE, 5],
    ['signed_on + TODAY()', FormulaErrorCode.FORMULA_TYPE, 13],
    ['-signed_on', FormulaErrorCode.FORMULA_TYPE, 2],
    ['"a" * 2', FormulaErrorCode.FORMULA_TYPE, 1],
    ['vip + 1', FormulaErrorCode.FORMULA_TYPE, 1],
    ['amount = "1"', FormulaErrorCode.FORMULA_TYPE, 10],
    ['signed_on > 5', FormulaErrorCode.FORMULA_TYPE, 13],
    ['items.qty * 2', FormulaErrorCode.FORMULA_TYPE, 1],
    ['items.qty > 1', FormulaErrorCode.FORMULA_TYPE, 1],
    ['"n: " & items.qty', FormulaErrorCode.FORMULA_TYPE, 9],
    ['IF(vip, 1, "one")', FormulaErrorCode.FORMULA_TYPE, 12],
    ['IF(amount, 1, 2)', FormulaErrorCode.FORMULA_TYPE, 4],
    ['SUM(name)', FormulaErrorCode.FORMULA_TYPE, 5],
    ['SUM(items.sku)', FormulaErrorCode.FORMULA_TYPE, 5],
    ['LEFT(items.sku, 1)', FormulaErrorCode.FORMULA_TYPE, 6],
    ['ROUND(amount, "2")', FormulaErrorCode.FORMULA_TYPE, 15],
    ['YEAR(amount)', FormulaErrorCode.FORMULA_TYPE, 6],
    ['NOT(name)', FormulaErrorCode.FORMULA_TYPE, 5],
    ['MAX(amount, signed_on)', FormulaErrorCode.FORMULA_TYPE, 13],
    ['MAX(name)', FormulaErrorCode.FORMULA_TYPE, 5],
    ['items', FormulaErrorCode.FORMULA_TYPE, 1],
    ['unknown_field + 1', FormulaErrorCode.FORMULA_UNKNOWN_FIELD, 1],
    ['SUM(items.nope)', FormulaErrorCode.FORMULA_UNKNOWN_FIELD, 5],
    ['amount.qty', FormulaErrorCode.FORMULA_UNKNOWN_FIELD, 1],
  ] as const)('%s → %s at column %i', (text, code, column) => {
    const error = errorOf(text);
    expect(error.code).toBe(code);
    expect(error.position?.column).toBe(column);
    expect(error.path).toBeDefined();
  });

  it('explains type errors in words', () => {
    expect(errorOf('name + signed_on').message).toMatch(/^"\+": text cannot be used in arithmetic: use & to join text/);
    expect(errorOf('IF(vip, 1, "one")').message).toContain('same type: a number and text');
    expect(errorOf('SUM(name)').message).toContain('Argument 1 of SUM must be numbers or a list of numbers, not text');
    expect(errorOf('items').message).toContain('SUM(items.amount)');
  });

  it('reports a JSON pointer for ASTs that did not come from text here', () => {
    const ast = JSON.parse('{"IF": [{"var": "vip"}, 1, {"cat": ["a", {"var": "missing"}]}]}') as unknown;
    try {
      checkFormulaOrThrow({ ast, fieldTypes });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: FormulaErrorCode.FORMULA_UNKNOWN_FIELD, path: '/IF/2/cat/1', position: undefined });
    }
  });

  it('does not take inherited properties for fields', () => {
    expect(errorOf('toString').code).toBe(FormulaErrorCode.FORMULA_UNKNOWN_FIELD);
    expect(errorOf('hasOwnProperty').code).toBe(FormulaErrorCode.FORMULA_UNKNOWN_FIELD);
  });
});
