import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { evaluateFilter, registerFilterOperations } from './filter-eval';
import { resolveField } from './testing/fields.fixture';

const now = new Date('2026-03-18T10:00:00Z');
const v = (key: string) => ({ var: key });
const test = (filter: unknown, record: Record<string, unknown>) => evaluateFilter({ filter, record, now, resolveField });

describe('evaluateFilter', () => {
  it('blank values fail ordered tests but satisfy != and negations', () => {
    expect(test({ '<': [v('amount'), 5] }, { amount: null })).toBe(false);
    expect(test({ '<=': [-1, v('amount'), 1] }, {})).toBe(false);
    expect(test({ '!': { '<': [v('amount'), 5] } }, { amount: null })).toBe(true);
    expect(test({ '!=': [v('stage'), 'won'] }, {})).toBe(true);
    expect(test({ '==': [v('stage'), null] }, {})).toBe(true);
    expect(test({ '==': [v('stage'), null] }, { stage: '' })).toBe(false);
  });

  it('compares strictly, without JavaScript coercions', () => {
    expect(evaluateFilter({ filter: { '==': [v('amount'), '5'] }, record: { amount: 5 }, now })).toBe(false);
    expect(test({ '==': [v('active'), true] }, { active: true })).toBe(true);
    expect(test({ '==': [v('active'), false] }, { active: null })).toBe(false);
  });

  it('text matching folds ASCII case only, like SQLite LIKE', () => {
    expect(test({ contains: [v('name'), 'acme'] }, { name: 'The ACME Corp' })).toBe(true);
    expect(test({ in: ['ACME', v('name')] }, { name: 'acme' })).toBe(true);
    expect(test({ starts_with: [v('name'), 'éc'] }, { name: 'École' })).toBe(false);
    expect(test({ contains: [v('name'), '50%'] }, { name: '5000' })).toBe(false);
  });

  it('membership in lists is exact', () => {
    expect(test({ contains: [v('tags'), 'vip'] }, { tags: ['VIP', 'vip'] })).toBe(true);
    expect(test({ contains: [v('tags'), 'Vip'] }, { tags: ['vip'] })).toBe(false);
    expect(test({ contains: [v('contacts'), 3] }, { contacts: [1, 3] })).toBe(true);
    expect(test({ is_empty: [v('contacts')] }, { contacts: [] })).toBe(true);
    expect(test({ is_not_empty: [v('tags')] }, { tags: ['a'] })).toBe(true);
  });

  it('date ranges use the UTC day of datetimes', () => {
    expect(test({ date_range: [v('seen_at'), 'today'] }, { seen_at: '2026-03-18T23:59:59.999Z' })).toBe(true);
    expect(test({ date_range: [v('seen_at'), 'today'] }, { seen_at: '2026-03-19T00:00:00.000Z' })).toBe(false);
    expect(test({ date_range: [v('closed_on'), { to: '2026-03-01' }] }, { closed_on: '2026-03-01' })).toBe(true);
    expect(test({ date_range: [v('closed_on'), 'this_week'] }, { closed_on: null })).toBe(false);
  });

  it('canonicalizes datetime literals when fields are known', () => {
    const record = { seen_at: '2026-03-18T02:00:00.000Z' };
    expect(test({ '==': [v('seen_at'), '2026-03-18T10:00:00+08:00'] }, record)).toBe(true);
    expect(test({ '<': [v('seen_at'), '2026-03-18T02:00:00Z'] }, record)).toBe(false);
  });

  it('never reads inherited members of the record', () => {
    expect(evaluateFilter({ filter: { is_empty: [v('toString')] }, record: {}, now })).toBe(true);
    expect(evaluateFilter({ filter: { '==': [v('valueOf'), null] }, record: {}, now })).toBe(true);
  });

  it('registers the custom operations for direct json-logic use', () => {
    registerFilterOperations();
    expect(jsonLogic.apply({ starts_with: [v('n'), 'AB'] }, { n: 'abc' })).toBe(true);
    expect(jsonLogic.apply({ date_range: [v('d'), { from: '2020-01-01', to: '2020-12-31' }] }, { d: '2020-06-01' })).toBe(true);
  });
});
