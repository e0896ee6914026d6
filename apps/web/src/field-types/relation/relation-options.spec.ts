import { describe, expect, it } from 'vitest';
import { optionText, pickScalars } from './relation-options';

describe('relation picker options', () => {
  it('shows the display field, then the configured display fields', () => {
    expect(optionText({ id: 3, label: 'Acme', fields: { name: 'Acme', region: 'east', credit: 1200, note: null } })).toBe('Acme (east, 1200)');
    expect(optionText({ id: 4, label: '', fields: {} })).toBe('#4');
  });

  it('sends the form values a filter may name, not rows or files', () => {
    expect(pickScalars({ customer: 3, tags: ['a'], lines: [{ qty: 1 }], files: [{ id: 'f' }], empty: undefined, none: null })).toEqual({
      customer: 3,
      tags: ['a'],
      none: null,
    });
  });
});
