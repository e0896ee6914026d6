import { describe, expect, it } from 'vitest';
import { FormulaError, FormulaErrorCode } from './errors';
import { parseFormulaOrThrow } from './parser';
import { printFormula } from './printer';

const parse = (text: string) => parseFormulaOrThrow({ text });
const canonical = (text: string) => printFormula({ ast: parse(text) });
const v = (key: string) => ({ var: key });

function errorOf(run: () => unknown): FormulaError {
  try {
    run();
  } catch (error) {
    if (error instanceof FormulaError) return error;
    throw error;
  }
  throw new Error('expected a FormulaError');
}

const LABELS: Record<string, string> = { 客户名称: 'customer_name', 'Deal {size}': 'deal_size', 订单明细: 'items', 金额: 'amount' };
const COLUMNS: Record<string, string> = { 数量: 'qty', 'Unit price': 'price' };
const resolveLabel = (label: string, scope?: { subform: string }) =>
  scope === undefined ? LABELS[label] : scope.subform === 'items' ? COLUMNS[label] : undefined;
const labelOf = (key: string, scope?: { subform: string }) => {
  const table = scope === undefined ? LABELS : COLUMNS;
  return Object.keys(table).find((label) => table[label] === key);
};

describe('parseFormulaOrThrow: literals and references', () => {
  it('reads numbers, text, booleans and null', () => {
    expect(parse('42')).toBe(42);
    expect(parse('3.25')).toBe(3.25);
    expect(parse('.5')).toBe(0.5);
    expect(parse('1e3')).toBe(1000);
    expect(parse('2.5E-3')).toBe(0.0025);
    expect(parse('-7')).toBe(-7);
    expect(Object.is(parse('-0'), 0)).toBe(true);
    expect(parse('"客户"')).toBe('客户');
    expect(parse('"a\\"b\\\\c\\n\\t\\u00e9\\/"')).toBe('a"b\\c\n\té/');
    expect(parse('true')).toBe(true);
    expect(parse('FALSE')).toBe(false);
    expect(parse('Null')).toBe(null);
  });

  it('reads field keys, subform columns and labels in braces (Chinese too)', () => {
    expect(parse('amount')).toEqual(v('amount'));
    expect(parse('items.qty')).toEqual(v('items.qty'));
    expect(parseFormulaOrThrow({ text: '{客户名称}', resolveLabel })).toEqual(v('customer_name'));
    expect(parseFormulaOrThrow({ text: '{Deal \\{size\\}} * 2', resolveLabel })).toEqual({ '*': [v('deal_size'), 2] });
    expect(parseFormulaOrThrow({ text: 'SUM({订单明细}.{数量})', resolveLabel })).toEqual({ SUM: [v('items.qty')] });
    expect(parseFormulaOrThrow({ text: 'SUM(items.{Unit price})', resolveLabel })).toEqual({ SUM: [v('items.price')] });
  });

  it('reads function names in any case and stores them upper-case', () => {
    expect(parse('sum(1, 2)')).toEqual({ SUM: [1, 2] });
    expect(parse('Today()')).toEqual({ TODAY: [] });
    // A key named like a function is a field unless it is called.
    expect(parse('sum + 1')).toEqual({ '+': [v('sum'), 1] });
  });
});

describe('parseFormulaOrThrow: operators and precedence', () => {
  it.each([
    ['1 + 2 * 3', { '+': [1, { '*': [2, 3] }] }],
    ['(1 + 2) * 3', { '*': [{ '+': [1, 2] }, 3] }],
    ['1 - 2 - 3', { '-': [{ '-': [1, 2] }, 3] }],
    ['1 - (2 - 3)', { '-': [1, { '-': [2, 3] }] }],
    ['a + b + c', { '+': [v('a'), v('b'), v('c')] }],
    ['(a + b) + c', { '+': [{ '+': [v('a'), v('b')] }, v('c')] }],
    ['a + b - c + d', { '+': [{ '-': [{ '+': [v('a'), v('b')] }, v('c')] }, v('d')] }],
    ['a * b / c * d', { '*': [{ '/': [{ '*': [v('a'), v('b')] }, v('c')] }, v('d')] }],
    ['a & b + c', { cat: [v('a'), { '+': [v('b'), v('c')] }] }],
    ['a & b & "x"', { cat: [v('a'), v('b'), 'x'] }],
    ['a = b & c', { '==': [v('a'), { cat: [v('b'), v('c')] }] }],
    ['a + 1 > b * 2', { '>': [{ '+': [v('a'), 1] }, { '*': [v('b'), 2] }] }],
    ['a <> b', { '!=': [v('a'), v('b')] }],
    ['a != b', { '!=': [v('a'), v('b')] }],
    ['a == b', { '==': [v('a'), v('b')] }],
    ['a <= b', { '<=': [v('a'), v('b')] }],
    ['a >= b', { '>=': [v('a'), v('b')] }],
    ['-a * b', { '*': [{ '-': [v('a')] }, v('b')] }],
    ['-(a * b)', { '-': [{ '*': [v('a'), v('b')] }] }],
    ['--a', { '-': [{ '-': [v('a')] }] }],
    ['-(5)', { '-': [5] }],
    ['2 - -3', { '-': [2, -3] }],
    ['(1 < 2) = true', { '==': [{ '<': [1, 2] }, true] }],
    ['IF(a > 0, "+", "-")', { IF: [{ '>': [v('a'), 0] }, '+', '-'] }],
    ['AND(a, OR(b, NOT(c)))', { AND: [v('a'), { OR: [v('b'), { NOT: [v('c')] }] }] }],
  ])('%s', (text, ast) => {
    expect(parse(text)).toEqual(ast);
  });
});

describe('printFormula', () => {
  it.each([
    ['1+2*3', '1 + 2 * 3'],
    ['(1+2)*3', '(1 + 2) * 3'],
    ['sum( 1 ,2 )', 'SUM(1, 2)'],
    ['TRUE', 'true'],
    ['a==b', 'a = b'],
    ['a!=b', 'a <> b'],
    ['(((a)))', 'a'],
    ['a-(b-c)', 'a - (b - c)'],
    ['(a-b)-c', 'a - b - c'],
    ['a+(b+c)', 'a + (b + c)'],
    ['-(-5)', '-(-5)'],
    ['"tab\there"', '"tab\\there"'],
    ['"\\u0001"', '"\\u0001"'],
    ['1e20', '100000000000000000000'],
    ['1e21', '1e+21'],
    ['1e-7', '0.0000001'],
    ['1.5e-300', '1.5e-300'],
    ['IF(a,\n  1,\n  2)', 'IF(a, 1, 2)'],
  ])('%s prints as %s', (text, printed) => {
    expect(canonical(text)).toBe(printed);
    expect(parse(printed)).toEqual(parse(text));
  });

  it('prints labels with labelOf, and parsing them with resolveLabel gives the same AST', () => {
    const ast = parseFormulaOrThrow({ text: '{客户名称} & SUM(items.qty) & {Deal \\{size\\}} & other', resolveLabel });
    const text = printFormula({ ast, labelOf });
    expect(text).toBe('{客户名称} & SUM({订单明细}.{数量}) & {Deal {size\\}} & other');
    expect(parseFormulaOrThrow({ text, resolveLabel })).toEqual(ast);
    expect(printFormula({ ast })).toBe('customer_name & SUM(items.qty) & deal_size & other');
  });

  it('refuses to print what is not a formula', () => {
    expect(errorOf(() => printFormula({ ast: { foo: [1] } })).code).toBe(FormulaErrorCode.FORMULA_UNKNOWN_FUNCTION);
    expect(errorOf(() => printFormula({ ast: { '+': [1] } })).code).toBe(FormulaErrorCode.FORMULA_ARITY);
    expect(errorOf(() => printFormula({ ast: { var: 'true' } })).code).toBe(FormulaErrorCode.FORMULA_UNKNOWN_FIELD);
  });
});

describe('parse errors point at the position', () => {
  it.each([
    // text, code, offset, line, column
    ['1 +', FormulaErrorCode.FORMULA_PARSE, 3, 1, 4],
    ['SUM(1, 2', FormulaErrorCode.FORMULA_PARSE, 8, 1, 9],
    ['amount *\n  * 2', FormulaErrorCode.FORMULA_PARSE, 11, 2, 3],
    ['"open', FormulaErrorCode.FORMULA_PARSE, 0, 1, 1],
    ['"bad \\x"', FormulaErrorCode.FORMULA_PARSE, 5, 1, 6],
    ['1 < 2 < 3', FormulaErrorCode.FORMULA_PARSE, 6, 1, 7],
    ['SUM（1）', FormulaErrorCode.FORMULA_PARSE, 3, 1, 4],
    ['客户名称 & 1', FormulaErrorCode.FORMULA_PARSE, 0, 1, 1],
    ["'text'", FormulaErrorCode.FORMULA_PARSE, 0, 1, 1],
    ['1.', FormulaErrorCode.FORMULA_PARSE, 0, 1, 1],
    ['12abc', FormulaErrorCode.FORMULA_PARSE, 0, 1, 1],
    ['1e999', FormulaErrorCode.FORMULA_PARSE, 0, 1, 1],
    ['(1 + 2', FormulaErrorCode.FORMULA_PARSE, 6, 1, 7],
    ['1 2', FormulaErrorCode.FORMULA_PARSE, 2, 1, 3],
    ['', FormulaErrorCode.FORMULA_PARSE, 0, 1, 1],
    ['{}', FormulaErrorCode.FORMULA_PARSE, 0, 1, 1],
    ['{open', FormulaErrorCode.FORMULA_PARSE, 0, 1, 1],
    ['items.', FormulaErrorCode.FORMULA_PARSE, 6, 1, 7],
    ['a + FOO(1)', FormulaErrorCode.FORMULA_UNKNOWN_FUNCTION, 4, 1, 5],
    ['1 +\nLEFT()', FormulaErrorCode.FORMULA_ARITY, 4, 2, 1],
    ['IFS(a, 1, b)', FormulaErrorCode.FORMULA_ARITY, 0, 1, 1],
    ['MID("abc", 1)', FormulaErrorCode.FORMULA_ARITY, 0, 1, 1],
    ['2 * {不存在}', FormulaErrorCode.FORMULA_UNKNOWN_FIELD, 4, 1, 5],
    ['x.__proto__', FormulaErrorCode.FORMULA_FORBIDDEN, 2, 1, 3],
  ] as const)('%j → %s at offset %i', (text, code, offset, line, column) => {
    const error = errorOf(() => parseFormulaOrThrow({ text, resolveLabel }));
    expect(error.code).toBe(code);
    expect(error.position).toMatchObject({ offset, line, column });
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('says what went wrong in words', () => {
    expect(errorOf(() => parse('SUM（1）')).message).toContain('Full-width');
    expect(errorOf(() => parse('客户名称')).message).toContain('{客户名称}');
    expect(errorOf(() => parse('1 < 2 < 3')).message).toContain('AND(');
    expect(errorOf(() => parse('LEFT()')).message).toBe('LEFT takes 1 to 2 arguments, not 0 (line 1, column 1)');
    expect(errorOf(() => parse('{客户名称}')).message).toContain('no field labels are known');
  });
});
