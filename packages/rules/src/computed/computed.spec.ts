import type { FieldDefinition } from '@crm/schema';
import { describe, expect, it } from 'vitest';
import { FormulaError } from '../formula';
import { computeRecordFormulas, computeRowFormulas, emptyRollupValue, normalizeResult } from './compute-record';
import { buildComputedPlanOrThrow, findCycle, formulasDependingOn } from './computed-plan';
import { prepareComputedFieldsOrThrow } from './design';
import { ComputedError } from './errors';
import { formTokens, substituteFormValues } from './picker-filter';

const NOW = new Date('2026-11-23T10:00:00Z');
const f = (key: string, type: FieldDefinition['type'], settings: Record<string, unknown> = {}, label = key): FieldDefinition => ({
  key,
  label,
  type,
  settings,
});
const formula = (key: string, expression: string, extra: Record<string, unknown> = {}) =>
  f(key, 'formula', { expression, resultType: 'number', precision: 2, ...extra });

const quoteFields = (): FieldDefinition[] => [
  f('title', 'text'),
  f('discount', 'number', { precision: 2 }),
  f('items', 'subform', {
    fields: [
      f('qty', 'number', {}, '数量'),
      f('price', 'money', { precision: 2 }, '单价'),
      f('discount', 'number', { precision: 2 }),
      formula('amount', '{数量} * {单价} * (1 - discount)'),
    ],
  }),
  formula('total', 'subtotal * (1 - discount)'),
  formula('subtotal', 'SUM(items.amount)'),
  f('won', 'rollup', { sourceEntityId: 'e', relationField: 'customer', aggregate: 'sum', field: 'amount', precision: 2 }),
  formula('bonus', 'won * 0.1'),
];

describe('prepareComputedFieldsOrThrow', () => {
  it('parses, type-checks and stores the AST of every formula, row formulas and labels included', () => {
    const fields = quoteFields();
    prepareComputedFieldsOrThrow({ fields });
    const amount = (fields[2].settings.fields as FieldDefinition[])[3];
    expect(amount.settings.ast).toEqual({ '*': [{ var: 'qty' }, { var: 'price' }, { '-': [1, { var: 'discount' }] }] });
    expect(fields[4].settings.ast).toEqual({ SUM: [{ var: 'items.amount' }] });
  });

  it('orders record formulas after what they read', () => {
    const fields = quoteFields();
    const plan = prepareComputedFieldsOrThrow({ fields });
    expect(plan.recordSteps.map((s) => s.key)).toEqual(['subtotal', 'total', 'bonus']);
    expect(plan.rowSteps.map((r) => [r.subform, r.steps.map((s) => s.key)])).toEqual([['items', ['amount']]]);
    expect(plan.computedKeys).toEqual(['subtotal', 'total', 'bonus', 'won']);
    expect(formulasDependingOn({ plan, keys: ['won'] }).map((s) => s.key)).toEqual(['bonus']);
    expect(formulasDependingOn({ plan, keys: ['items'] }).map((s) => s.key)).toEqual(['subtotal', 'total']);
  });

  it('refuses unknown fields with a position, naming the formula', () => {
    try {
      prepareComputedFieldsOrThrow({ fields: [f('a', 'number'), formula('x', 'a + b')] });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FormulaError);
      expect((err as FormulaError).code).toBe('FORMULA_UNKNOWN_FIELD');
      expect((err as FormulaError).position).toMatchObject({ offset: 4, column: 5 });
      expect((err as FormulaError).details.formulaField).toBe('x');
    }
  });

  it('refuses a result that does not fit the result type', () => {
    expect(() => prepareComputedFieldsOrThrow({ fields: [f('t', 'text'), formula('x', 'CONCATENATE(t, "!")')] })).toThrow(ComputedError);
    expect(() => prepareComputedFieldsOrThrow({ fields: [f('t', 'text'), formula('x', 'CONCATENATE(t, "!")', { resultType: 'text' })] })).not.toThrow();
    expect(() => prepareComputedFieldsOrThrow({ fields: [f('d', 'date'), formula('x', 'd', { resultType: 'datetime' })] })).not.toThrow();
  });

  it('refuses loops with the keys in order, row formulas named with their subform', () => {
    const loop = (fields: FieldDefinition[]) => {
      try {
        prepareComputedFieldsOrThrow({ fields });
      } catch (err) {
        expect((err as ComputedError).code).toBe('FORMULA_CYCLE');
        return (err as ComputedError).details.cycle;
      }
      return null;
    };
    expect(loop([formula('a', 'b + 1'), formula('b', 'c + 1'), formula('c', 'a + 1')])).toEqual(['a', 'b', 'c', 'a']);
    expect(loop([formula('a', 'a + 1')])).toEqual(['a', 'a']);
    expect(loop([f('s', 'subform', { fields: [f('n', 'number'), formula('p', 'q + n'), formula('q', 'p')] })])).toEqual(['s.p', 's.q', 's.p']);
    expect(loop(quoteFields())).toBeNull();
  });
});

describe('computing a record', () => {
  it('computes rows, then totals, exact in decimals', () => {
    const fields = quoteFields();
    const plan = prepareComputedFieldsOrThrow({ fields });
    const values: Record<string, unknown> = {
      discount: 0.05,
      won: 1000,
      items: [
        { qty: 2, price: 10.5, discount: 0.1 },
        { qty: 3, price: 0.1 },
      ],
    };
    expect(computeRowFormulas({ plan, values, now: NOW })).toEqual([]);
    expect((values.items as { amount: number }[]).map((r) => r.amount)).toEqual([18.9, 0.3]);
    expect(computeRecordFormulas({ plan, data: values, now: NOW })).toEqual({ values: { subtotal: 19.2, total: 18.24, bonus: 100 }, issues: [] });
  });

  it('stores null and reports the issue for run-time errors', () => {
    const plan = prepareComputedFieldsOrThrow({ fields: [f('a', 'number'), f('b', 'number'), formula('r', 'a / b'), formula('s', 'r + 1')] });
    const out = computeRecordFormulas({ plan, data: { a: 1, b: 0 }, now: NOW });
    expect(out.values).toEqual({ r: null, s: 1 });
    expect(out.issues).toEqual([expect.objectContaining({ path: '/r', code: 'formula_divide_by_zero' })]);
  });

  it('fits results to the result type and precision', () => {
    expect(normalizeResult({ value: 2.345, resultType: 'number', precision: 2 })).toEqual({ value: 2.35 });
    expect(normalizeResult({ value: -0.001, resultType: 'number', precision: 2 })).toEqual({ value: 0 });
    expect(normalizeResult({ value: 1e21, resultType: 'number', precision: 2 })).toHaveProperty('problem');
    expect(normalizeResult({ value: 'x'.repeat(300), resultType: 'text', precision: 0 })).toEqual({ value: 'x'.repeat(255) });
    expect(normalizeResult({ value: 12, resultType: 'text', precision: 0 })).toEqual({ value: '12' });
    expect(normalizeResult({ value: '2026-11-23T10:00:00.000Z', resultType: 'date', precision: 0 })).toEqual({ value: '2026-11-23' });
    expect(normalizeResult({ value: '2026-11-23', resultType: 'datetime', precision: 0 })).toEqual({ value: '2026-11-23T00:00:00.000Z' });
    expect(normalizeResult({ value: 'yes', resultType: 'switch', precision: 0 })).toHaveProperty('problem');
    expect(normalizeResult({ value: '', resultType: 'text', precision: 0 })).toEqual({ value: null });
  });

  it('gives empty rollups 0 for sum and count, null otherwise', () => {
    expect(['sum', 'count', 'avg', 'min', 'max'].map(emptyRollupValue)).toEqual([0, 0, null, null, null]);
  });

  it('builds an empty plan for entities without computed fields', () => {
    expect(buildComputedPlanOrThrow({ fields: [f('a', 'text')] }).isEmpty).toBe(true);
  });
});

describe('findCycle', () => {
  it('finds the first loop deterministically and handles deep chains without recursion', () => {
    expect(
      findCycle({
        graph: new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', []],
        ]),
      }),
    ).toBeNull();
    expect(
      findCycle({
        graph: new Map([
          ['x', ['y']],
          ['y', ['x']],
        ]),
      }),
    ).toEqual(['x', 'y', 'x']);
    const deep = new Map<string, string[]>();
    for (let i = 0; i < 50_000; i++) deep.set(`n${i}`, [`n${i + 1}`]);
    deep.set('n50000', ['n0']);
    expect(findCycle({ graph: deep })).toHaveLength(50_002);
  });
});

describe('picker filters', () => {
  it('replaces $form and $row tokens with current values, null when missing, own properties only', () => {
    const condition = {
      and: [
        { '==': [{ var: 'customer' }, '$form.customer'] },
        { '==': [{ var: 'region' }, '$row.region'] },
        { '==': [{ var: 'x' }, '$form.constructor'] },
        { '==': [{ var: 'y' }, 'keep $form.customer'] },
      ],
    };
    expect(substituteFormValues({ condition, form: { customer: 7 }, row: {} })).toEqual({
      and: [
        { '==': [{ var: 'customer' }, 7] },
        { '==': [{ var: 'region' }, null] },
        { '==': [{ var: 'x' }, null] },
        { '==': [{ var: 'y' }, 'keep $form.customer'] },
      ],
    });
    expect(formTokens(condition)).toEqual(
      expect.arrayContaining([
        { scope: 'form', key: 'customer' },
        { scope: 'row', key: 'region' },
      ]),
    );
  });
});
