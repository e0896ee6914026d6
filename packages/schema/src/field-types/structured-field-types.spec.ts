import { describe, expect, it } from 'vitest';
import { createAjv } from '../ajv';
import { normalizeFieldOrThrow } from '../field-definition';
import { htmlToText, sanitizeRichText, textToHtml } from '../html';
import { compileRecordValidator } from '../record-schema';
import { addressProblem, addressText, regionChildren, regionLevelOf, regionName, regionPath } from '../regions';
import { typeChangeSupported, ValueConverter } from '../type-change';
import type { FieldDefinition, FieldTypeKey } from '../types';
import { fromDbOf, toDbOf } from './typed-fields';

const ajv = createAjv();

function validate(type: FieldTypeKey, settings: Record<string, unknown>, value: unknown) {
  const field = normalizeFieldOrThrow({ field: { key: 'f', label: 'F', type, settings } });
  const values: Record<string, unknown> = { f: value };
  const issues = compileRecordValidator({ ajv, fields: [field], mode: 'update' })(values);
  return { codes: issues.map((i) => `${i.path} ${i.code}`), value: values.f, field };
}

describe('rich text', () => {
  it.each([
    ['<script>alert(1)</script>ok', 'ok'],
    ['<img src=x onerror=alert(1)>', '<img src="x" />'],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="  JAVASCRIPT:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="vbscript:x">x</a>', '<a>x</a>'],
    ['<svg><script>alert(1)</script></svg>', ''],
    ['<p style="color: red; background-image: url(x); behavior: url(x.htc)">t</p>', '<p style="color:red">t</p>'],
    ['<img src="data:image/png;base64,AAAA">', '<img />'],
    ['<a href="https://a.example" target="_self">l</a>', '<a href="https://a.example" target="_blank" rel="noopener noreferrer">l</a>'],
    ['<p title="x" class="c" id="i">t</p>', '<p>t</p>'],
    ['<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', '<p></p>'],
  ])('%s becomes %s', (input, safe) => {
    expect(sanitizeRichText(input)).toBe(safe);
  });

  it('is sanitised by the validator, in place, and again on the way to the database', () => {
    const { codes, value, field } = validate('richtext', {}, '<b onclick="x()">bold</b>');
    expect(codes).toEqual([]);
    expect(value).toBe('<b>bold</b>');
    expect(toDbOf(field, '<i>ok</i><script>x</script>')).toBe('<i>ok</i>');
  });

  it('keeps formatting people use', () => {
    const html =
      '<h2>T</h2><p><strong>a</strong> <em>b</em> <u>c</u> <s>d</s></p><ul><li>1</li></ul><ol><li>2</li></ol><blockquote>q</blockquote><table><tbody><tr><td colspan="2">c</td></tr></tbody></table>';
    expect(sanitizeRichText(html)).toBe(html);
  });

  it('turns into text and back', () => {
    expect(htmlToText('<p>a &amp; b</p><p>1 &lt; 2<br>x</p><script>no</script>')).toBe('a & b\n1 < 2\nx');
    expect(textToHtml('a < b\nc & d')).toBe('<p>a &lt; b</p><p>c &amp; d</p>');
    expect(sanitizeRichText(textToHtml('<script>x</script>'))).toBe('<p>&lt;script&gt;x&lt;/script&gt;</p>');
  });
});

describe('address', () => {
  const field: FieldDefinition = { key: 'a', label: 'A', type: 'address', settings: { level: 'district', detail: true } };

  it('knows the shipped region list', () => {
    expect(regionName('440305')).toBe('南山区');
    expect(regionLevelOf('440300')).toBe('city');
    expect(regionPath('440305')).toEqual({ province: '440000', city: '440300', district: '440305' });
    expect(regionChildren().length).toBeGreaterThanOrEqual(31);
    expect(regionChildren('440000').map(([, n]) => n)).toContain('深圳市');
  });

  it('checks codes against each other and the field depth', () => {
    expect(addressProblem({ province: '440000', city: '440300', district: '440305' }, 'district')).toBeUndefined();
    expect(addressProblem({ province: '440000', city: '110100', district: '110101' }, 'district')?.[0]).toBe('/city');
    expect(addressProblem({ province: '440000', city: '440300' }, 'district')?.[0]).toBe('/district');
    expect(addressProblem({ province: '440000', city: '440300', district: '440305' }, 'city')?.[0]).toBe('/district');
    expect(addressProblem({ province: '440300' }, 'province')?.[0]).toBe('/province');
  });

  it('stores the deepest code and the detail, reads names back', () => {
    const stored = toDbOf(field, { province: '440000', city: '440300', district: '440305', detail: ' 科技园 ', text: 'ignored' });
    expect(stored).toBe('440305|科技园');
    expect(fromDbOf(field, stored)).toEqual({ province: '440000', city: '440300', district: '440305', detail: '科技园', text: '广东省深圳市南山区 科技园' });
    expect(addressText({ province: '110000', city: '110100', district: '110101' })).toBe('北京市东城区');
    expect(addressText({ province: '410000', city: '419000', district: '419001' })).toBe('河南省济源市');
  });

  it('reports a bad address as invalid_region at the field', () => {
    expect(validate('address', {}, { province: '440000', city: '440300', district: '110101' }).codes).toEqual(['/f invalid_region']);
    expect(validate('address', {}, { province: '440000', city: '440300', district: '440305', extra: 1 }).codes).toEqual(['/f/extra unknown_field']);
  });
});

describe('rating and location', () => {
  it('rating: whole stars up to max', () => {
    expect(validate('rating', {}, 5).codes).toEqual([]);
    expect(validate('rating', {}, 6).codes).toEqual(['/f too_large']);
    expect(validate('rating', { max: 10 }, 10).codes).toEqual([]);
    expect(validate('rating', {}, 2.5).codes).toEqual(['/f invalid_type']);
    const field: FieldDefinition = { key: 'r', label: 'R', type: 'rating', settings: { max: 5 } };
    expect(fromDbOf(field, '4')).toBe(4);
    expect(fromDbOf(field, 3n)).toBe(3);
  });

  it('location: range-checked coordinates and a label', () => {
    expect(validate('location', {}, { lat: -33.86, lng: 151.21, label: 'Sydney' }).codes).toEqual([]);
    expect(validate('location', {}, { lat: 90.1, lng: 0 }).codes).toEqual(['/f/lat too_large']);
    expect(validate('location', { labelMaxLength: 3 }, { lat: 0, lng: 0, label: 'long' }).codes).toEqual(['/f/label too_long']);
    const field: FieldDefinition = { key: 'l', label: 'L', type: 'location', settings: { labelMaxLength: 200 } };
    expect(fromDbOf(field, toDbOf(field, { lat: 1.5, lng: 2 }))).toEqual({ lat: 1.5, lng: 2 });
  });
});

describe('type changes of the new types', () => {
  const f = (type: FieldTypeKey, settings: Record<string, unknown> = {}): FieldDefinition =>
    normalizeFieldOrThrow({ field: { key: 'x', label: 'X', type, settings } });
  const convert = (from: FieldDefinition, to: FieldDefinition, value: unknown) => new ValueConverter({ from, to }).convert(toDbOf(from, value));

  it('allows number ↔ rating with a data check, text ↔ rich text, and nothing else for structured types', () => {
    expect(typeChangeSupported('number', 'rating')).toBe(true);
    expect(typeChangeSupported('rating', 'text')).toBe(true);
    expect(typeChangeSupported('textarea', 'richtext')).toBe(true);
    expect(typeChangeSupported('richtext', 'textarea')).toBe(true);
    expect(typeChangeSupported('richtext', 'number')).toBe(false);
    for (const t of ['address', 'location'] as FieldTypeKey[]) {
      expect(typeChangeSupported('text', t)).toBe(false);
      expect(typeChangeSupported(t, 'text')).toBe(false);
    }
    expect(convert(f('number'), f('rating'), 4)).toBe(4);
    expect(convert(f('number'), f('rating'), 6)).toBeUndefined();
    expect(convert(f('number', { precision: 1 }), f('rating', { max: 10 }), 2.5)).toBeUndefined();
    expect(convert(f('richtext'), f('textarea'), '<p>a &amp; b</p>')).toBe('a & b');
    expect(convert(f('textarea'), f('richtext'), 'x <y>')).toBe('<p>x &lt;y&gt;</p>');
  });
});
