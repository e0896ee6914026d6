/*
 * Test fixture shared by the node unit tests and the browser equivalence test (e2e): formula
 * cases (text + field values + clock), hand-written with expected outcomes, plus random
 * well-typed formulas from a fixed seed. `runFormulaCase` is the one code path both sides run.
 */
import { evaluateFormula } from '../formula/evaluator';
import { FormulaError } from '../formula/errors';
import type { FormulaAst } from '../formula/ast';
import { parseFormulaOrThrow } from '../formula/parser';
import { printFormula } from '../formula/printer';

export interface FormulaCase {
  name: string;
  text: string;
  values: Record<string, unknown>;
  /** ISO instant of TODAY() / NOW(). */
  now: string;
  /** Expected outcome (hand-written cases): a value, or an error code. */
  expected?: { value: unknown } | { error: string };
}

export interface FormulaCaseRun {
  ast: unknown;
  printed: string | null;
  outcome: { value: unknown } | { error: string; message: string };
}

export const FIXTURE_NOW = '2026-03-18T10:00:00.000Z';

/** Labels of the fixture's fields (`{客户名称}`), and of the columns of `items`. */
export const FIXTURE_LABELS: Readonly<Record<string, string>> = { 客户名称: 'name', 'Order amount': 'amount', 订单明细: 'items', 签约日期: 'signed_on' };
export const FIXTURE_COLUMN_LABELS: Readonly<Record<string, string>> = { 数量: 'qty', 单价: 'price', 'Unit {price}': 'price' };

export function fixtureResolveLabel(label: string, scope?: { subform: string }): string | undefined {
  const table = scope === undefined ? FIXTURE_LABELS : scope.subform === 'items' ? FIXTURE_COLUMN_LABELS : {};
  return Object.hasOwn(table, label) ? table[label] : undefined;
}

/** Parse, print and evaluate one case; errors become `{ error: code }`. */
export function runFormulaCase(testCase: FormulaCase): FormulaCaseRun {
  let ast: FormulaAst;
  try {
    ast = parseFormulaOrThrow({ text: testCase.text, resolveLabel: fixtureResolveLabel });
  } catch (error) {
    if (error instanceof FormulaError) return { ast: null, printed: null, outcome: { error: error.code, message: error.message } };
    throw error;
  }
  const printed = printFormula({ ast });
  const result = evaluateFormula({ ast, values: testCase.values, now: new Date(testCase.now) });
  return { ast, printed, outcome: result.ok ? { value: result.value } : { error: result.code, message: result.message } };
}

const items = [
  { sku: 'A-1', qty: 3, price: 19.9, due: '2026-04-01' },
  { sku: 'B-2', qty: 2, price: 0.05, due: '2026-03-20' },
  { sku: null, qty: null, price: 7, due: null },
];
const record = {
  name: '星河科技',
  city: '  上海  ',
  amount: 1234.5,
  discount: 0.1,
  qty: 0,
  vip: true,
  note: null,
  signed_on: '2026-01-31',
  seen_at: '2026-03-18T08:30:00.000Z',
  tags: 'vip;new;华东',
  items,
};

type Row = [text: string, expected: { value: unknown } | { error: string }, values?: Record<string, unknown>];
const v = (value: unknown) => ({ value });
const e = (error: string) => ({ error });

const HAND_WRITTEN: Row[] = [
  // numbers, precedence, decimals
  ['0.1 + 0.2', v(0.3)],
  ['0.1 + 0.2 = 0.3', v(true)],
  ['1 + 2 * 3', v(7)],
  ['(1 + 2) * 3', v(9)],
  ['10 - 4 - 3', v(3)],
  ['10 - (4 - 3)', v(9)],
  ['2 * 3 / 4', v(1.5)],
  ['-2 * -3', v(6)],
  ['--2', v(2)],
  ['-(2 + 3) * 2', v(-10)],
  ['1.1 * 1.1', v(1.21)],
  ['3 * 1.1', v(3.3)],
  ['1 / 3', v(0.3333333333)],
  ['2 / 3', v(0.6666666667)],
  ['1 / 3 * 3', v(0.9999999999)],
  ['100 * 1.15', v(115)],
  ['0.3 - 0.1', v(0.2)],
  ['1e3 + .5', v(1000.5)],
  ['amount * (1 - discount)', v(1111.05)],
  ['amount / qty', e('FORMULA_DIVIDE_BY_ZERO')],
  ['amount / note', e('FORMULA_DIVIDE_BY_ZERO')],
  ['note + 1', v(1)],
  ['note * 5', v(0)],
  ['-note', v(0)],
  ['9999999999999.99 + 0.01', v(10000000000000)],
  ['1e308 * 10', e('FORMULA_OUT_OF_RANGE')],
  // text
  ['"a" & "b" & 1.5', v('ab1.5')],
  ['name & "（" & city & "）"', v('星河科技（  上海  ）')],
  ['"x" & note & "y"', v('xy')],
  ['"总额：" & (0.1 + 0.2)', v('总额：0.3')],
  ['"on " & signed_on', v('on 2026-01-31')],
  ['"v" & vip', v('vtrue')],
  ['"say \\"hi\\"\\n"', v('say "hi"\n')],
  ['LEN("客户")', v(2)],
  ['LEN(name)', v(4)],
  ['LEN("😀a")', v(2)],
  ['LEN(note)', v(0)],
  ['LEFT("客户名称", 2)', v('客户')],
  ['LEFT(name)', v('星')],
  ['RIGHT("客户名称", 2)', v('名称')],
  ['RIGHT("abc", 10)', v('abc')],
  ['MID("北京市朝阳区", 4, 3)', v('朝阳区')],
  ['MID("abc", 5, 2)', v('')],
  ['MID("abc", 0, 2)', e('FORMULA_INVALID_VALUE')],
  ['LEFT("abc", -1)', e('FORMULA_INVALID_VALUE')],
  ['UPPER("crm-ß")', v('CRM-SS')],
  ['LOWER("ÉCOLE")', v('école')],
  ['TRIM(city)', v('上海')],
  ['TRIM("  a   b  ")', v('a b')],
  ['TRIM("\u3000全角\u3000")', v('全角')],
  ['CONCATENATE("订单", "-", 42)', v('订单-42')],
  ['CONCATENATE(items.sku)', v('A-1B-2')],
  ['SPLIT(tags, ";")', v(['vip', 'new', '华东'])],
  ['SPLIT("客户", "")', v(['客', '户'])],
  ['SPLIT(note, ",")', v([])],
  ['COUNT(SPLIT(tags, ";"))', v(3)],
  ['SEARCH("华东", tags)', v(9)],
  ['SEARCH("NEW", tags)', v(5)],
  ['SEARCH("v", tags, 2)', v(0)],
  ['SEARCH("x", "abc")', v(0)],
  ['REPLACE("13812345678", 4, 4, "****")', v('138****5678')],
  ['REPLACE("客户名称", 3, 2, "姓名")', v('客户姓名')],
  ['TEXT(1234.5, "#,##0.00")', v('1,234.50')],
  ['TEXT(-1234.567, "¥#,##0.00")', v('-¥1,234.57')],
  ['TEXT(0.256, "0.0%")', v('25.6%')],
  ['TEXT(0.5, "#.##")', v('.5')],
  ['TEXT(7, "000")', v('007')],
  ['TEXT(1.005, "0.00")', v('1.01')],
  ['TEXT(signed_on, "yyyy年M月d日")', v('2026年1月31日')],
  ['TEXT(seen_at, "YYYY-MM-DD HH:mm:ss")', v('2026-03-18 08:30:00')],
  ['TEXT(signed_on, "\'Q\'M")', v('Q1')],
  ['TEXT(amount)', v('1234.5')],
  ['TEXT(1e21)', v('1000000000000000000000')],
  ['TEXT(0.0000001)', v('0.0000001')],
  ['TEXT("abc", "0.00")', v('abc')],
  ['TEXT(5, "abc")', e('FORMULA_INVALID_VALUE')],
  // logic
  ['IF(amount > 1000, "大客户", "普通")', v('大客户')],
  ['IF(qty = 0, 0, amount / qty)', v(0)],
  ['IF(qty <> 0, amount / qty, -1)', v(-1)],
  ['IF(note, 1, 2)', v(2)],
  ['IF(false, 1)', v(null)],
  ['IF(amount / qty > 1, 1, 2)', e('FORMULA_DIVIDE_BY_ZERO')],
  ['IFS(amount > 2000, "A", amount > 1000, "B", true, "C")', v('B')],
  ['IFS(false, 1, false, 2)', v(null)],
  ['AND(vip, amount > 1000)', v(true)],
  ['AND(qty <> 0, amount / qty > 1)', v(false)],
  ['AND(amount / qty > 1, false)', e('FORMULA_DIVIDE_BY_ZERO')],
  ['OR(false, note)', v(false)],
  ['OR(vip, amount / qty > 1)', v(true)],
  ['NOT(note)', v(true)],
  ['XOR(true, true, true)', v(true)],
  ['ISBLANK(note)', v(true)],
  ['ISBLANK("")', v(true)],
  ['ISBLANK(0)', v(false)],
  // comparisons and blanks
  ['note = null', v(true)],
  ['note <> 5', v(true)],
  ['note > -1', v(false)],
  ['note < 1', v(false)],
  ['note = 0', v(false)],
  ['name = "星河科技"', v(true)],
  ['"a" < "b"', v(true)],
  ['signed_on < "2026-02-01"', v(true)],
  ['signed_on = DATE(2026, 1, 31)', v(true)],
  ['seen_at > TODAY()', v(true)],
  ['TODAY() = "2026-03-18T00:00:00Z"', v(true)],
  ['NOW() >= seen_at', v(true)],
  ['(1 < 2) = true', v(true)],
  // math
  ['SUM(1, 2, 3.3)', v(6.3)],
  ['SUM(items.qty)', v(5)],
  ['SUM(items.price)', v(26.95)],
  ['SUM(items.qty, 10, note)', v(15)],
  ['AVERAGE(items.qty)', v(2.5)],
  ['AVERAGE(1, 2, 2)', v(1.6666666667)],
  ['AVERAGE(note)', e('FORMULA_DIVIDE_BY_ZERO')],
  ['MAX(items.price)', v(19.9)],
  ['MIN(items.price, 1)', v(0.05)],
  ['MAX(items.due)', v('2026-04-01')],
  ['MIN(items.due)', v('2026-03-20')],
  ['MAX(note)', v(null)],
  ['ROUND(2.5)', v(3)],
  ['ROUND(-2.5)', v(-3)],
  ['ROUND(1.005, 2)', v(1.01)],
  ['ROUND(1234.5678, -2)', v(1200)],
  ['ROUND(1.23456789012345678, 15)', v(1.234567890123457)],
  ['ROUND(1, 21)', e('FORMULA_INVALID_VALUE')],
  ['ROUNDUP(3.141, 2)', v(3.15)],
  ['ROUNDUP(-3.141, 2)', v(-3.15)],
  ['ROUNDDOWN(3.149, 2)', v(3.14)],
  ['ROUNDDOWN(-3.149, 2)', v(-3.14)],
  ['ABS(-0.5)', v(0.5)],
  ['MOD(10, 3)', v(1)],
  ['MOD(-1, 3)', v(2)],
  ['MOD(1, -3)', v(-2)],
  ['MOD(5.5, 2)', v(1.5)],
  ['MOD(0.3, 0.1)', v(0)],
  ['MOD(1, 0)', e('FORMULA_DIVIDE_BY_ZERO')],
  ['POWER(1.1, 2)', v(1.21)],
  ['POWER(2, 10)', v(1024)],
  ['POWER(2, -2)', v(0.25)],
  ['POWER(2, 0.5)', v(1.4142135624)],
  ['POWER(0, -1)', e('FORMULA_DIVIDE_BY_ZERO')],
  ['POWER(-8, 0.5)', e('FORMULA_INVALID_VALUE')],
  ['POWER(10, 400)', e('FORMULA_OUT_OF_RANGE')],
  ['POWER(2, 1000000000)', e('FORMULA_OUT_OF_RANGE')],
  ['POWER(0.5, 1000000000)', v(0)],
  ['POWER(1, 1000000000)', v(1)],
  ['SUMPRODUCT(items.qty, items.price)', v(59.8)],
  ['SUMPRODUCT(items.qty, SPLIT("1,2", ","))', e('FORMULA_INVALID_VALUE')],
  ['COUNT(items.sku)', v(2)],
  ['COUNT(items.qty, note, 1)', v(3)],
  // dates
  ['TODAY()', v('2026-03-18')],
  ['NOW()', v('2026-03-18T10:00:00.000Z')],
  ['TODAY() + 14', v('2026-04-01')],
  ['14 + TODAY()', v('2026-04-01')],
  ['TODAY() - 18', v('2026-02-28')],
  ['TODAY() - signed_on', v(46)],
  ['NOW() - seen_at', v(0.0625)],
  ['seen_at + 0.5', v('2026-03-18T20:30:00.000Z')],
  ['signed_on + 1.9', v('2026-02-01')],
  ['DATE(2026, 2, 29)', v('2026-03-01')],
  ['DATE(2026, 13, 1)', v('2027-01-01')],
  ['DATE(2026, 3, 18, 9, 30)', v('2026-03-18T09:30:00.000Z')],
  ['DATE(10000, 1, 1)', e('FORMULA_OUT_OF_RANGE')],
  ['YEAR(signed_on)', v(2026)],
  ['MONTH(signed_on)', v(1)],
  ['DAY(signed_on)', v(31)],
  ['MONTH("2026-12-31T23:30:00-01:00")', v(1)],
  ['YEAR(note)', v(null)],
  ['YEAR("not a date")', e('FORMULA_INVALID_VALUE')],
  ['DAYS("2026-04-01", TODAY())', v(14)],
  ['DAYS(signed_on, "2026-03-01")', v(-29)],
  ['DAYS(note, TODAY())', v(null)],
  ['DATEDELTA(signed_on, 30)', v('2026-03-02')],
  ['DATEDELTA(signed_on, -31)', v('2025-12-31')],
  ['DATEDELTA(seen_at, 1.5)', v('2026-03-19T20:30:00.000Z')],
  ['DATEDELTA("9999-12-31", 1)', e('FORMULA_OUT_OF_RANGE')],
  ['WEEKNUM("2026-03-18")', v(12)],
  ['WEEKNUM("2026-01-04")', v(2)],
  ['WEEKNUM("2026-01-04", 2)', v(1)],
  ['WEEKNUM("2027-01-01", 21)', v(53)],
  ['WEEKNUM("2026-12-31", 21)', v(53)],
  ['WEEKNUM("2026-01-01", 3)', e('FORMULA_INVALID_VALUE')],
  // labels, Chinese labels, subform columns by label
  ['{客户名称} & "-" & {签约日期}', v('星河科技-2026-01-31')],
  ['SUM({订单明细}.{数量})', v(5)],
  ['SUMPRODUCT({订单明细}.{数量}, {订单明细}.{Unit \\{price\\}})', v(59.8)],
  ['{Order amount} * 2', v(2469)],
  // parse errors (also compared between node and browser)
  ['1 +', e('FORMULA_PARSE')],
  ['SUM(1, 2', e('FORMULA_PARSE')],
  ['"open', e('FORMULA_PARSE')],
  ['1 < 2 < 3', e('FORMULA_PARSE')],
  ['SUM（1）', e('FORMULA_PARSE')],
  ['客户名称 & 1', e('FORMULA_PARSE')],
  ['FOO(1)', e('FORMULA_UNKNOWN_FUNCTION')],
  ['LEFT()', e('FORMULA_ARITY')],
  ['IFS(true)', e('FORMULA_ARITY')],
  ['{不存在}', e('FORMULA_UNKNOWN_FIELD')],
  ['__proto__', e('FORMULA_FORBIDDEN')],
  ['items.constructor', e('FORMULA_FORBIDDEN')],
];

/** Small deterministic PRNG (mulberry32), so the random cases are the same everywhere. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'number' | 'text' | 'boolean' | 'date';

/** Random well-typed formulas over the fixture's fields (so most give values, some errors). */
function randomFormula(next: () => number, kind: Kind, depth: number): FormulaAst {
  const pick = <T>(options: readonly T[]): T => options[Math.floor(next() * options.length)]!;
  const decimal = () => Math.round((next() - 0.3) * 10 ** (1 + Math.floor(next() * 5))) / 10 ** Math.floor(next() * 4);
  const sub = (k: Kind) => randomFormula(next, k, depth - 1);
  if (depth <= 0 || next() < 0.15) {
    switch (kind) {
      case 'number':
        return pick<() => FormulaAst>([decimal, decimal, () => ({ var: pick(['amount', 'discount', 'qty', 'note']) })])();
      case 'text':
        return pick<() => FormulaAst>([
          () => pick(['客户', 'Acme', ' a b ', '', '华东;华南', '😀x']),
          () => ({ var: pick(['name', 'city', 'tags', 'note']) }),
        ])();
      case 'boolean':
        return pick<() => FormulaAst>([() => next() < 0.5, () => ({ var: 'vip' })])();
      case 'date':
        return pick<() => FormulaAst>([() => pick(['2024-02-29', '2026-12-31', '2025-01-01']), () => ({ var: 'signed_on' }), () => ({ TODAY: [] })])();
    }
  }
  const options: Record<Kind, (() => FormulaAst)[]> = {
    number: [
      () => ({ [pick(['+', '*'])]: [sub('number'), sub('number'), ...(next() < 0.3 ? [sub('number')] : [])] }),
      () => ({ [pick(['-', '/'])]: [sub('number'), sub('number')] }),
      () => ({ '-': [sub('number')] }),
      () => ({ [pick(['SUM', 'AVERAGE', 'MAX', 'MIN'])]: [sub('number'), pick([{ var: 'items.qty' }, { var: 'items.price' }, sub('number')])] }),
      () => ({ [pick(['ROUND', 'ROUNDUP', 'ROUNDDOWN'])]: [sub('number'), Math.floor(next() * 6) - 1] }),
      () => ({ [pick(['ABS'])]: [sub('number')] }),
      () => ({ MOD: [sub('number'), sub('number')] }),
      () => ({ POWER: [sub('number'), Math.floor(next() * 7) - 2] }),
      () => ({ LEN: [sub('text')] }),
      () => ({ SEARCH: [pick(['a', '华', 'B']), sub('text')] }),
      () => ({ [pick(['YEAR', 'MONTH', 'DAY', 'WEEKNUM'])]: [sub('date')] }),
      () => ({ DAYS: [sub('date'), sub('date')] }),
      () => ({ IF: [sub('boolean'), sub('number'), sub('number')] }),
      () => ({ SUMPRODUCT: [{ var: 'items.qty' }, { var: 'items.price' }] }),
      () => ({ COUNT: [pick([{ var: 'items.sku' }, sub('text')])] }),
    ],
    text: [
      () => ({ cat: [sub('text'), pick([sub('number'), sub('text'), sub('date')])] }),
      () => ({ CONCATENATE: [sub('text'), sub('text')] }),
      () => ({ [pick(['LEFT', 'RIGHT'])]: [sub('text'), Math.floor(next() * 4)] }),
      () => ({ MID: [sub('text'), 1 + Math.floor(next() * 3), Math.floor(next() * 4)] }),
      () => ({ [pick(['UPPER', 'LOWER', 'TRIM'])]: [sub('text')] }),
      () => ({ TEXT: [sub('number'), pick(['#,##0.00', '0%', '0.0', '¥#,##0'])] }),
      () => ({ TEXT: [sub('date'), pick(['yyyy年M月d日', 'YYYY/MM/DD'])] }),
      () => ({ REPLACE: [sub('text'), 1 + Math.floor(next() * 3), Math.floor(next() * 3), sub('text')] }),
      () => ({ IF: [sub('boolean'), sub('text'), sub('text')] }),
    ],
    boolean: [
      () => ({ [pick(['==', '!=', '<', '<=', '>', '>='])]: [sub('number'), sub('number')] }),
      () => ({ [pick(['==', '!=', '<'])]: [sub('text'), sub('text')] }),
      () => ({ [pick(['==', '>', '<='])]: [sub('date'), sub('date')] }),
      () => ({ [pick(['AND', 'OR', 'XOR'])]: [sub('boolean'), sub('boolean')] }),
      () => ({ NOT: [sub('boolean')] }),
      () => ({ ISBLANK: [pick([sub('text'), sub('number')])] }),
    ],
    date: [
      () => ({ DATEDELTA: [sub('date'), Math.floor(next() * 60) - 30] }),
      () => ({ '+': [sub('date'), Math.floor(next() * 400)] }),
      () => ({ '-': [sub('date'), Math.floor(next() * 400)] }),
      () => ({ DATE: [2020 + Math.floor(next() * 10), Math.floor(next() * 14), Math.floor(next() * 32)] }),
      () => ({ IF: [sub('boolean'), sub('date'), sub('date')] }),
    ],
  };
  return pick(options[kind])();
}

function randomValues(next: () => number): Record<string, unknown> {
  const maybe = <T>(value: T): T | null => (next() < 0.15 ? null : value);
  const decimal = () => Math.round((next() - 0.4) * 10 ** (2 + Math.floor(next() * 5))) / 100;
  const rows = Array.from({ length: Math.floor(next() * 4) }, () => ({
    sku: maybe(['A', 'B', '客'][Math.floor(next() * 3)]!),
    qty: maybe(Math.floor(next() * 10)),
    price: maybe(decimal()),
  }));
  const day = Math.floor(next() * 2000);
  return {
    name: maybe(['星河科技', 'Acme Ltd', '  东方  红 '][Math.floor(next() * 3)]!),
    city: maybe(['上海', 'Berlin', ''][Math.floor(next() * 3)]!),
    tags: maybe('vip;华东;B2B'),
    amount: maybe(decimal()),
    discount: maybe(Math.round(next() * 100) / 100),
    qty: maybe(Math.floor(next() * 5)),
    note: null,
    vip: maybe(next() < 0.5),
    signed_on: maybe(new Date(Date.UTC(2022, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)),
    items: rows,
  };
}

/** ≥ 200 cases: the hand-written ones and `randomCount` random ones from `seed`. */
export function formulaCases({ seed = 20260318, randomCount = 200 }: { seed?: number; randomCount?: number } = {}): FormulaCase[] {
  const cases: FormulaCase[] = HAND_WRITTEN.map(([text, expected, values], index) => ({
    name: `#${index} ${text}`,
    text,
    values: values ?? record,
    now: FIXTURE_NOW,
    expected,
  }));
  const next = random(seed);
  const kinds: Kind[] = ['number', 'text', 'boolean', 'date'];
  for (let i = 0; i < randomCount; i += 1) {
    const ast = randomFormula(next, kinds[i % kinds.length]!, 2 + Math.floor(next() * 4));
    const now = new Date(Date.UTC(2026, 0, 1) + Math.floor(next() * 365 * 86_400_000)).toISOString();
    cases.push({ name: `random ${i}`, text: printFormula({ ast }), values: randomValues(next), now });
  }
  return cases;
}
