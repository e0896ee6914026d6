import type { FieldDefinition } from '@crm/schema';
import { describe, expect, it } from 'vitest';
import { FormsError } from './errors';
import { evaluateFormRules, normalizeFormOrThrow, resolveDefaults } from './index';

const FIELDS: FieldDefinition[] = [
  { key: 'qty', label: '数量', type: 'number', settings: {} },
  { key: 'price', label: 'Price', type: 'money', settings: {} },
  { key: 'total', label: 'Total', type: 'money', settings: {} },
  { key: 'title', label: 'Title', type: 'text', settings: {} },
  { key: 'code', label: 'Code', type: 'text', settings: {} },
  { key: 'start', label: 'Start', type: 'date', settings: {} },
  { key: 'end', label: 'End', type: 'date', settings: {} },
];
const normalize = (form: unknown) => normalizeFormOrThrow({ form, fields: FIELDS });
const now = new Date('2026-03-01T12:00:00Z');
const noLookup = async () => null;

function issuesOf(form: unknown) {
  try {
    normalize(form);
  } catch (err) {
    return (err as FormsError).issues;
  }
  throw new Error('expected a refusal');
}

describe('formula defaults and validations', () => {
  it('stores formulas with keys (labels, Chinese too, are accepted) and computes defaults in dependency order', async () => {
    const form = normalize({
      fields: {
        code: { default: { kind: 'formula', formula: 'CONCATENATE(UPPER(title), "-", total)' } },
        total: { default: { kind: 'formula', formula: '{数量} * price' } },
        start: { default: { kind: 'formula', formula: 'TODAY()' } },
      },
    });
    expect(form.fields.total.default).toEqual({ kind: 'formula', formula: 'qty * price' });
    const res = await resolveDefaults({
      form,
      values: { qty: 3, price: 0.1, title: 'ab' },
      keys: ['code', 'total', 'start'],
      now,
      fields: FIELDS,
      lookup: noLookup,
    });
    expect(res.issues).toEqual([]);
    expect(res.values).toMatchObject({ total: 0.3, code: 'AB-0.3', start: '2026-03-01' });
  });

  it('refuses formulas that do not parse, name unknown fields or functions, or mix types, with the position', () => {
    const at = (formula: string) => issuesOf({ fields: { total: { default: { kind: 'formula', formula } } } })[0];
    expect(at('qty * (price')).toMatchObject({
      path: '/fields/total/default/formula',
      code: 'invalid_formula',
      message: expect.stringMatching(/line 1, column \d+/),
    });
    expect(at('qty * nothing').message).toMatch(/nothing/);
    expect(at('FOO(qty)').message).toMatch(/FOO/);
    expect(at('title + start').code).toBe('invalid_formula');
    expect(issuesOf({ validations: [{ id: 'v', formula: 'x'.repeat(2001), message: 'm' }] })[0]).toMatchObject({
      path: '/validations/0/formula',
      code: 'too_long',
    });
  });

  it('refuses formula defaults that depend on each other, naming the cycle', () => {
    const issues = issuesOf({
      fields: { total: { default: { kind: 'formula', formula: 'qty + 1' } }, qty: { default: { kind: 'formula', formula: 'total * 2' } } },
    });
    expect(issues).toEqual([expect.objectContaining({ code: 'formula_cycle', message: expect.stringMatching(/total → qty → total|qty → total → qty/) })]);
  });

  it('submit validations by formula fail with their message; run-time errors are issues, never crashes', () => {
    const form = normalize({
      validations: [
        { id: 'dates', formula: 'end >= start', message: { en: 'End must not be before start', 'zh-CN': '结束日期不能早于开始日期' }, field: 'end' },
        { id: 'ratio', formula: 'total / qty > 1', message: 'Unit price must exceed 1' },
      ],
    });
    const ok = evaluateFormRules({ form, values: { start: '2026-01-01', end: '2026-01-02', total: 10, qty: 2 }, now, fields: FIELDS });
    expect(ok.issues).toEqual([]);
    const bad = evaluateFormRules({ form, values: { start: '2026-01-05', end: '2026-01-02', total: 10, qty: 0 }, now, fields: FIELDS, locale: 'zh-CN' });
    expect(bad.issues).toEqual([
      { path: '/end', code: 'rule_failed', message: '结束日期不能早于开始日期' },
      { path: '', code: 'rule_error', message: expect.stringMatching(/^校验规则“ratio”无法计算：/) },
    ]);
  });

  it('a default formula that fails at run time leaves the field empty with an invalid_default issue', async () => {
    const form = normalize({ fields: { total: { default: { kind: 'formula', formula: 'price / qty' } } } });
    const res = await resolveDefaults({ form, values: { price: 5, qty: 0 }, keys: ['total'], now, fields: FIELDS, lookup: noLookup });
    expect(res.values.total).toBeNull();
    expect(res.issues).toEqual([
      { path: '/total', code: 'invalid_default', message: expect.stringMatching(/^The default value of Total could not be computed/) },
    ]);
  });
});
