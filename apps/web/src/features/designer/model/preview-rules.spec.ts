import { normalizeFormOrThrow } from '@crm/forms';
import { type FieldDefinition, normalizeFieldOrThrow } from '@crm/schema';
import { describe, expect, it } from 'vitest';
import { conditionOf, pairsOf } from '../components/RuleEditors';
import { previewRules } from '../../../rules/form-rules';

const field = (f: Partial<FieldDefinition> & Pick<FieldDefinition, 'key' | 'label' | 'type'>) =>
  normalizeFieldOrThrow({ field: { required: false, unique: false, settings: {}, ...f } as FieldDefinition });

const fields = [
  field({ key: 'price', label: 'Price', type: 'number' }),
  field({ key: 'qty', label: 'Qty', type: 'number' }),
  field({ key: 'total', label: 'Total', type: 'number' }),
  field({ key: 'double', label: 'Double', type: 'formula', settings: { expression: '{total} * 2' } }),
  field({ key: 'stage', label: 'Stage', type: 'text' }),
  field({ key: 'reason', label: 'Reason', type: 'text' }),
];

const form = normalizeFormOrThrow({
  fields,
  form: {
    layout: [],
    fields: {
      total: { default: { kind: 'formula', formula: '{Price} * {Qty}' } },
      reason: { visibleWhen: { '==': [{ var: 'stage' }, 'won'] }, requiredWhen: { '==': [{ var: 'stage' }, 'won'] } },
    },
    validations: [{ id: 'min', condition: { '>=': [{ var: 'price' }, 10] }, field: 'price', message: { en: 'Price at least 10', 'zh-CN': '单价至少 10' } }],
  },
});

const run = (values: Record<string, unknown>, typed: string[] = [], locale: 'en' | 'zh-CN' = 'en') =>
  previewRules({ form, fields, values, typed: new Set(typed), now: new Date('2026-01-01T00:00:00Z'), locale });

describe('previewRules', () => {
  it('computes formula defaults and formula fields from the sample values, in dependency order', () => {
    const r = run({ price: 5, qty: 3 });
    expect(r.values.total).toBe(15);
    expect(r.values.double).toBe(30);
  });

  it('keeps a formula default the admin typed into', () => {
    expect(run({ price: 5, qty: 3, total: 7 }, ['total']).values.total).toBe(7);
  });

  it('hides and requires by the rules, and reports failed validations on their field', () => {
    const lost = run({ price: 5, qty: 1, stage: 'lost' });
    expect(lost.hidden.has('reason')).toBe(true);
    expect(lost.required.has('reason')).toBe(false);
    expect(lost.issues).toEqual([expect.objectContaining({ path: '/price', message: 'Price at least 10' })]);
    const won = run({ price: 20, qty: 1, stage: 'won' }, [], 'zh-CN');
    expect(won.hidden.has('reason')).toBe(false);
    expect(won.required.has('reason')).toBe(true);
    expect(won.issues.map((i) => i.path)).toEqual(['/reason']);
  });
});

describe('linkage match pairs', () => {
  it('writes and reads the json-logic with $form tokens', () => {
    const c = conditionOf([
      { source: 'code', form: 'customer_code' },
      { source: 'region', form: 'region' },
      { source: '', form: 'x' },
    ]);
    expect(c).toEqual({ and: [{ '==': [{ var: 'code' }, '$form.customer_code'] }, { '==': [{ var: 'region' }, '$form.region'] }] });
    expect(pairsOf(c)).toEqual([
      { source: 'code', form: 'customer_code' },
      { source: 'region', form: 'region' },
    ]);
    expect(pairsOf(conditionOf([{ source: 'code', form: 'k' }]))).toEqual([{ source: 'code', form: 'k' }]);
    expect(pairsOf({ '>': [{ var: 'amount' }, 3] })).toBeNull();
    expect(pairsOf(undefined)).toEqual([]);
  });
});
