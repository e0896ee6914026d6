import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { parseValueText, valueText } from '../../../workflow-nodes/action/ValuesEditor';
import { conditionSummary } from './condition-summary';

const t = ((key: string) => key) as unknown as TFunction;

describe('connection labels', () => {
  it('spell a plain comparison, and mark anything else as a condition', () => {
    expect(conditionSummary({ '>': [{ var: 'amount' }, 10000] }, t)).toBe('amount > 10000');
    expect(conditionSummary({ '==': [{ var: 'level' }, 'A'] }, t)).toBe('level == "A"');
    expect(conditionSummary({ and: [{ '>': [{ var: 'amount' }, 1] }, { '<': [{ var: 'amount' }, 9] }] }, t)).toBe('workflows.branch.hasCondition');
    expect(conditionSummary(null, t)).toBe('workflows.branch.noCondition');
  });
});

describe('action values as typed', () => {
  it('read JSON where it is JSON and keep text as text, both ways', () => {
    expect(parseValueText('42')).toBe(42);
    expect(parseValueText('{"var": "owner"}')).toEqual({ var: 'owner' });
    expect(parseValueText('true')).toBe(true);
    expect(parseValueText('approved')).toBe('approved');
    expect(parseValueText('{not json')).toBe('{not json');
    expect(valueText('approved')).toBe('approved');
    expect(valueText({ var: 'owner' })).toBe('{"var":"owner"}');
  });
});
