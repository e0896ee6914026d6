import { describe, expect, it } from 'vitest';
import { conditionFieldKeys } from './condition-fields';

describe('conditionFieldKeys', () => {
  it('finds every var, nested in and/or/!', () => {
    expect(
      conditionFieldKeys({ and: [{ '==': [{ var: 'a' }, 1] }, { or: [{ '!': { is_empty: [{ var: 'b' }] } }, { '<=': [1, { var: ['c'] }, 3] }] }] }).sort(),
    ).toEqual(['a', 'b', 'c']);
  });
  it('is empty for no condition', () => {
    expect(conditionFieldKeys(null)).toEqual([]);
  });
});
