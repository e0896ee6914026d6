import { describe, expect, it } from 'vitest';
import { createAjv, issuesFromAjvErrors } from './ajv';

function issuesOf(schema: Record<string, unknown>, data: unknown) {
  const validate = createAjv().compile(schema);
  validate(data);
  return issuesFromAjvErrors(validate.errors);
}

describe('createAjv', () => {
  it('does not coerce types or fill defaults', () => {
    const validate = createAjv().compile({
      type: 'object',
      properties: { n: { type: 'number' }, d: { type: 'string', default: 'x' } },
    });
    const data: Record<string, unknown> = { n: '1' };
    expect(validate(data)).toBe(false);
    expect(data).toEqual({ n: '1' });
  });

  it('refuses unknown keywords (strict mode)', () => {
    expect(() => createAjv().compile({ type: 'string', maxLenght: 3 })).toThrow(/unknown keyword/);
  });

  it('checks decimal places on the decimal representation', () => {
    const validate = createAjv().compile({ type: 'number', decimalPlaces: 2 });
    expect(validate(0.07)).toBe(true); // 0.07 % 0.01 !== 0 in binary floats
    expect(validate(1.1 + 2.2)).toBe(false); // 3.3000000000000003
    expect(validate(12)).toBe(true);
    expect(validate(12.345)).toBe(false);
  });

  it('checks real calendar dates and date-times with a zone', () => {
    const ajv = createAjv();
    const date = ajv.compile({ type: 'string', format: 'date' });
    expect(date('2024-02-29')).toBe(true);
    expect(date('2026-02-29')).toBe(false);
    expect(date('2026-02-30')).toBe(false);
    const dateTime = ajv.compile({ type: 'string', format: 'date-time' });
    expect(dateTime('2026-11-23T08:30:00+08:00')).toBe(true);
    expect(dateTime('2026-11-23T08:30:00')).toBe(false);
  });
});

describe('issuesFromAjvErrors', () => {
  it('maps keywords to stable codes and points required/unknown at the property', () => {
    const issues = issuesOf(
      {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 2, maxLength: 3 },
          n: { type: 'number', minimum: 0, maximum: 10, decimalPlaces: 0 },
          tags: { type: 'array', items: { enum: ['a', 'b'] }, uniqueItems: true, minItems: 1, maxItems: 2 },
          mail: { type: 'string', format: 'email' },
          code: { type: 'string', pattern: '^[A-Z]+$' },
          missing: { type: 'string' },
        },
        required: ['name', 'missing'],
        additionalProperties: false,
      },
      { name: 'abcd', n: 11.5, tags: ['a', 'c', 'a'], mail: 'x', code: 'x', foo: 1 },
    );
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual(
      expect.arrayContaining([
        ['/missing', 'required'],
        ['/foo', 'unknown_field'],
        ['/name', 'too_long'],
        ['/n', 'too_large'],
        ['/n', 'too_many_decimals'],
        ['/tags/1', 'invalid_option'],
        ['/tags', 'too_many'],
        ['/tags/2', 'duplicate_items'],
        ['/mail', 'invalid_format'],
        ['/code', 'invalid_format'],
      ]),
    );
    expect(issues).toHaveLength(10);
    for (const issue of issues) expect(issue.message.startsWith(issue.path)).toBe(true);
  });

  it('maps too_small, too_short and too_few', () => {
    const issues = issuesOf(
      {
        type: 'object',
        properties: {
          n: { type: 'number', minimum: 1 },
          s: { type: 'string', minLength: 2 },
          l: { type: 'array', minItems: 2 },
        },
      },
      { n: 0, s: 'a', l: [] },
    );
    expect(issues.map((issue) => issue.code)).toEqual(['too_small', 'too_short', 'too_few']);
    expect(issues[0].message).toBe('/n must be at least 1');
  });

  it('reports a wrong type alone, once per path', () => {
    const issues = issuesOf({ type: 'object', properties: { s: { type: 'string', enum: ['a'], maxLength: 1 } } }, { s: 5 });
    expect(issues).toEqual([{ path: '/s', code: 'invalid_type', message: '/s must be a string' }]);
  });

  it('names union types and escapes pointer segments', () => {
    const issues = issuesOf({ type: 'object', required: ['a/b'], properties: { 'a/b': {}, n: { type: ['number', 'null'] } } }, { n: 'x' });
    expect(issues).toEqual([
      { path: '/a~1b', code: 'required', message: '/a~1b is required' },
      { path: '/n', code: 'invalid_type', message: '/n must be a number or null' },
    ]);
  });

  it('accepts null and undefined', () => {
    expect(issuesFromAjvErrors(null)).toEqual([]);
    expect(issuesFromAjvErrors(undefined)).toEqual([]);
  });
});

describe('issuesFromAjvErrors in Chinese', () => {
  it('keeps paths and codes, speaks zh-CN and names fields by label when asked', () => {
    const validate = createAjv().compile({
      type: 'object',
      properties: { qty: { type: 'number', maximum: 10 }, name: { type: 'string', maxLength: 3 }, due: { type: 'string' } },
      required: ['due'],
      additionalProperties: false,
    });
    validate({ qty: 11, name: 'long', extra: 1 });
    const en = issuesFromAjvErrors(validate.errors);
    const zh = issuesFromAjvErrors(validate.errors, { locale: 'zh-CN', labelOf: (p) => ({ '/qty': '数量', '/due': '到期日' })[p] });
    expect(zh.map((i) => [i.path, i.code])).toEqual(en.map((i) => [i.path, i.code]));
    expect(zh.map((i) => i.message).sort()).toEqual(['/extra 不是已知字段', '/name 最多 3 个字符', '到期日不能为空', '数量不能大于 10'].sort());
    expect(en.find((i) => i.path === '/qty')!.message).toBe('/qty must be at most 10');
  });
});
