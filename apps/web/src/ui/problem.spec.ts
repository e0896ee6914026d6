import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { pointerToNamePath, splitFieldProblems } from './problem';

describe('pointerToNamePath', () => {
  it('turns a JSON pointer into an antd name path with numeric indexes', () => {
    expect(pointerToNamePath('/name')).toEqual(['name']);
    expect(pointerToNamePath('/fields/2/key')).toEqual(['fields', 2, 'key']);
    expect(pointerToNamePath('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(pointerToNamePath('')).toEqual([]);
  });
});

describe('splitFieldProblems', () => {
  const error = new ApiError({
    type: 'about:blank',
    title: 'Request is invalid',
    code: 'VALIDATION_FAILED',
    status: 400,
    errors: [
      { path: '/key', code: 'pattern', message: 'key must match' },
      { path: '/key', code: 'reserved', message: 'key is reserved' },
      { path: '/colour', code: 'unknown', message: 'colour is not allowed' },
      { path: '', code: 'type', message: 'body must be an object' },
    ],
  });

  it('puts errors under the fields the form has and keeps the rest for the form alert', () => {
    const { byField, rest } = splitFieldProblems({ error, fields: ['name', 'key'] });
    expect(byField).toEqual([{ name: ['key'], errors: ['key must match', 'key is reserved'] }]);
    expect(rest).toEqual(['colour is not allowed', 'body must be an object']);
  });

  it('reads a dotted `field` as well as a `path`', () => {
    const dotted = new ApiError({
      type: 'about:blank',
      title: 'x',
      code: 'VALIDATION_FAILED',
      status: 400,
      errors: [{ path: '', field: 'password', code: 'short', message: 'too short' } as never],
    });
    expect(splitFieldProblems({ error: dotted, fields: ['password'] }).byField).toEqual([{ name: ['password'], errors: ['too short'] }]);
  });

  it('has nothing to place for errors that are not problems', () => {
    expect(splitFieldProblems({ error: new Error('boom'), fields: ['name'] })).toEqual({ byField: [], rest: [] });
  });
});
