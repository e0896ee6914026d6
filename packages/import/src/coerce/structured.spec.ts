import { describe, expect, it } from 'vitest';
import { type ExportRule, FIELD_IO } from '../field-io';
import { coerceAddress, coerceLocation, coerceRating, coerceRichText } from './structured';

const value = (r: ReturnType<typeof coerceRating>) => (r.ok ? r.value : `!${r.code}`);
const DISTRICT = { level: 'district', detail: true } as const;

describe('rating cells', () => {
  it.each([
    ['4', 4],
    [4, 4],
    ['★★★', 3],
    ['★★☆☆☆', 2],
    ['', null],
    ['6', '!invalid_rating'],
    ['0', '!invalid_rating'],
    ['3.5', '!invalid_rating'],
    ['good', '!invalid_rating'],
  ])('%j → %j', (cell, want) => expect(value(coerceRating(cell, { max: 5 }))).toEqual(want));
});

describe('address cells', () => {
  it.each([
    ['广东省深圳市南山区 科技园', { province: '440000', city: '440300', district: '440305', detail: '科技园' }],
    ['广东 深圳 南山', { province: '440000', city: '440300', district: '440305' }],
    ['北京市东城区王府井大街1号', { province: '110000', city: '110100', district: '110101', detail: '王府井大街1号' }],
    ['北京市北京市东城区', { province: '110000', city: '110100', district: '110101' }],
    ['内蒙古自治区呼和浩特市新城区', { province: '150000', city: '150100', district: '150102' }],
    ['河南省济源市 沁园路', { province: '410000', city: '419000', district: '419001', detail: '沁园路' }],
    ['火星基地', '!invalid_address'],
    ['广东省火星市', '!invalid_address'],
  ])('%s', (cell, want) => expect(value(coerceAddress(cell, DISTRICT))).toEqual(want));

  it('stops at the field level and refuses a detail the field has none of', () => {
    expect(value(coerceAddress('广东省深圳市', { level: 'city', detail: false }))).toEqual({ province: '440000', city: '440300' });
    expect(value(coerceAddress('广东省深圳市 南山', { level: 'city', detail: false }))).toBe('!invalid_address');
  });

  it('round-trips through its export text', () => {
    const rule: ExportRule = FIELD_IO.address.export;
    const text = rule.cell(
      { province: '440000', city: '440300', district: '440305', detail: '科技园', text: '广东省深圳市南山区 科技园' },
      DISTRICT,
      {} as never,
    );
    expect(text).toEqual({ kind: 'text', text: '广东省深圳市南山区 科技园' });
    expect(value(coerceAddress(text!.text, DISTRICT))).toEqual({
      province: '440000',
      city: '440300',
      district: '440305',
      detail: '科技园',
    });
  });
});

describe('location and rich text cells', () => {
  it('location: "lat,lng label"', () => {
    expect(value(coerceLocation('22.54,114.06 深圳湾', { labelMaxLength: 200 }))).toEqual({ lat: 22.54, lng: 114.06, label: '深圳湾' });
    expect(value(coerceLocation('-33.8, 151.2', { labelMaxLength: 200 }))).toEqual({ lat: -33.8, lng: 151.2 });
    expect(value(coerceLocation('95,10', { labelMaxLength: 200 }))).toBe('!invalid_location');
    expect(value(coerceLocation('somewhere', { labelMaxLength: 200 }))).toBe('!invalid_location');
  });

  it('rich text: a cell is text, never markup', () => {
    expect(value(coerceRichText('a <script>x</script>\nline 2', 1000))).toBe('<p>a &lt;script&gt;x&lt;/script&gt;</p><p>line 2</p>');
    expect(value(coerceRichText('long text', 5))).toBe('!too_long');
  });
});
