import {
  type AddressLevel,
  type AddressSettings,
  type AddressValue,
  ADDRESS_LEVELS,
  htmlToText,
  type LocationSettings,
  textToHtml,
  type RatingSettings,
  regionChildren,
} from '@crm/schema';
import type { Cell } from '../types';
import { textOf } from './scalars';
import { type Coerced, fail, ok } from './result';

const STARS = /^[★☆⭐]+$/u;

/** A rating: a whole number 1…max, or as many ★ as stars ("★★★★" is 4). */
export function coerceRating(cell: Cell, settings: RatingSettings): Coerced {
  const text = textOf(cell);
  if (text === '') return ok(null);
  const n = STARS.test(text) ? [...text].filter((c) => c !== '☆').length : /^\d+$/.test(text) ? Number(text) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= settings.max ? ok(n) : fail('invalid_rating', { max: String(settings.max) });
}

/** Region names people shorten: 广东省 → 广东, 深圳市 → 深圳, 广西壮族自治区 → 广西. */
function shortName(name: string): string {
  return name.replace(/(特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区|自治州|地区|省|市|区|县|盟)$/u, '');
}

/** The child region whose full (then short) name starts `rest`, longest name first. */
function matchChild(rest: string, parent: string | undefined): [string, number] | undefined {
  const children = regionChildren(parent);
  for (const pick of [(n: string) => n, shortName]) {
    const hit = children
      .map(([code, name]) => [code, pick(name)] as const)
      .filter(([, name]) => name.length > 0 && rest.startsWith(name))
      .sort((a, b) => b[1].length - a[1].length)[0];
    if (hit) return [hit[0], hit[1].length];
  }
  return undefined;
}

/**
 * An address written as people do (广东省深圳市南山区 科技园, with or without spaces or the
 * 省/市 suffixes): regions matched by name down to the field's level, the rest is the detail.
 * A city named like its province (北京市北京市) may be written once.
 */
export function coerceAddress(cell: Cell, settings: AddressSettings): Coerced {
  const text = textOf(cell);
  if (text === '') return ok(null);
  let rest = text.replace(/\s+/g, ' ');
  const value: Partial<AddressValue> = {};
  let parent: string | undefined;
  const levels = ADDRESS_LEVELS.slice(0, ADDRESS_LEVELS.indexOf(settings.level) + 1) as AddressLevel[];
  for (const level of levels) {
    if (value[level]) continue;
    rest = rest.replace(/^[\s/,，-]+/u, '');
    let hit = matchChild(rest, parent);
    if (!hit && level === 'city') {
      // A municipality's only city (北京市 in 北京市) may be left out, and so may a placeholder city
      // (省直辖县: 河南省济源市 names the district): find the district among the province's cities.
      const cities = regionChildren(parent);
      if (cities.length === 1) hit = [cities[0][0], 0];
      else
        for (const [city] of cities) {
          const district = matchChild(rest, city);
          if (!district) continue;
          hit = [city, 0];
          if (levels.includes('district')) value.district = district[0];
          rest = rest.slice(district[1]);
          break;
        }
    }
    if (!hit) return fail('invalid_address', { level });
    value[level] = hit[0];
    parent = hit[0];
    rest = rest.slice(hit[1]);
  }
  const detail = rest.trim();
  if (detail && !settings.detail) return fail('invalid_address', { level: 'detail' });
  if ([...detail].length > 200) return fail('too_long', { max: '200' });
  const ordered = Object.fromEntries(ADDRESS_LEVELS.filter((l) => value[l]).map((l) => [l, value[l]]));
  return ok({ ...ordered, ...(detail ? { detail } : {}) });
}

const POINT = /^(-?\d{1,2}(?:\.\d+)?)\s*[,，]\s*(-?\d{1,3}(?:\.\d+)?)(?:\s+(.+))?$/su;

/** A location written "latitude,longitude label" (22.54,114.06 深圳湾), as exports write it. */
export function coerceLocation(cell: Cell, settings: LocationSettings): Coerced {
  const text = textOf(cell);
  if (text === '') return ok(null);
  const m = POINT.exec(text);
  const lat = m ? Number(m[1]) : NaN;
  const lng = m ? Number(m[2]) : NaN;
  if (!m || Math.abs(lat) > 90 || Math.abs(lng) > 180) return fail('invalid_location');
  const label = m[3]?.trim();
  if (label && [...label].length > settings.labelMaxLength) return fail('too_long', { max: String(settings.labelMaxLength) });
  return ok({ lat, lng, ...(label ? { label } : {}) });
}

/** Rich text from a cell: the cell is plain text (never markup), one paragraph per line. */
export function coerceRichText(cell: Cell, maxLength: number): Coerced {
  const text = textOf(cell);
  if (text === '') return ok(null);
  const html = textToHtml(text);
  return html.length > maxLength ? fail('too_long', { max: String(maxLength) }) : ok(html);
}

/** The text of rich text for an export cell: paragraphs and line breaks as new lines. */
export function richTextExport(html: string): string {
  return htmlToText(html);
}
