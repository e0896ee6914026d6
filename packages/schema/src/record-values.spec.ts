import { describe, expect, it } from 'vitest';
import { compileBlanksToNull, copyRecord, recordInput, sameJson } from './record-values';

describe('recordInput', () => {
  const isField = (k: string) => k !== 'note';

  it('copies a body, blanks of fields as null, without the omitted key', () => {
    const body = JSON.parse('{"name":"","note":"","n":1,"version":3}') as Record<string, unknown>;
    const out = recordInput(body, { isField, omit: 'version' });
    expect(out).toEqual({ name: null, note: '', n: 1 });
    expect(body.name).toBe('');
  });

  it('keeps "__proto__" as an own key and never changes the prototype', () => {
    const out = recordInput(JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>, { isField });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect((out as { polluted?: boolean }).polluted).toBeUndefined();
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('copies wide bodies (dictionary-mode objects) with every key and value', () => {
    const wide = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, i % 7 === 0 ? '' : i]));
    const out = recordInput(JSON.parse(JSON.stringify(wide)) as Record<string, unknown>, { isField });
    expect(Object.keys(out)).toHaveLength(300);
    expect(out.f0).toBeNull();
    expect(out.f299).toBe(299);
  });
});

describe('sameJson', () => {
  it('treats null and undefined alike and compares structure', () => {
    expect(sameJson(undefined, null)).toBe(true);
    expect(sameJson([1, { a: 2 }], [1, { a: 2 }])).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson('1', 1)).toBe(false);
  });
});

describe('copyRecord', () => {
  it('copies every own key but the omitted one, leaving the source alone', () => {
    const source = JSON.parse('{"a":1,"b":[1,2],"c":null,"version":2}') as Record<string, unknown>;
    const copy = copyRecord(source, 'version');
    expect(copy).toEqual({ a: 1, b: [1, 2], c: null });
    copy.a = 5;
    expect(source.a).toBe(1);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });
});

describe('compileBlanksToNull', () => {
  it('turns blanks of the fields into null in the body itself, leaving other keys alone', () => {
    const body = JSON.parse('{"name":"","note":"","n":1,"weird key":""}') as Record<string, unknown>;
    const blanks = compileBlanksToNull(['name', 'n', 'weird key', 'absent', 'x"); throw new Error("no']);
    expect(blanks(body)).toBe(body);
    expect(body).toEqual({ name: null, note: '', n: 1, 'weird key': null });
  });
});
