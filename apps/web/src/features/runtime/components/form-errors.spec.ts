import { describe, expect, it } from 'vitest';
import { errorSchemaOf } from './form-errors';

describe('server errors on the form', () => {
  it('puts each issue on its field, subform cells included, others on the form', () => {
    expect(
      errorSchemaOf([
        { path: '/amount', message: 'too big' },
        { path: '/lines/1/qty', message: 'required' },
        { path: '', message: 'check the dates' },
      ]),
    ).toEqual({ amount: { __errors: ['too big'] }, lines: { 1: { qty: { __errors: ['required'] } } }, __errors: ['check the dates'] });
  });
});
