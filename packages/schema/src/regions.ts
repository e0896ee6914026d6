import { areaList } from '@vant/area-data';

/** Depth of an address: 省 / 市 / 区县. */
export const ADDRESS_LEVELS = ['province', 'city', 'district'] as const;
export type AddressLevel = (typeof ADDRESS_LEVELS)[number];

/** Region names that only group counties and are left out of an address's text. */
const PLACEHOLDER_NAMES = new Set(['省直辖县', '县', '自治区直辖县级行政区划', '市辖区']);

const LISTS: Record<AddressLevel, Readonly<Record<string, string>>> = {
  province: areaList.province_list,
  city: areaList.city_list,
  district: areaList.county_list,
};

/** The level of a known GB/T 2260 region code of the shipped data set (@vant/area-data), or undefined. */
export function regionLevelOf(code: string): AddressLevel | undefined {
  return ADDRESS_LEVELS.find((level) => Object.hasOwn(LISTS[level], code));
}

/** The zh-CN name of a region code, or undefined for a code the data set lacks. */
export function regionName(code: string): string | undefined {
  const level = regionLevelOf(code);
  return level ? LISTS[level][code] : undefined;
}

/** Codes of the province, city and district a code lies in (those at or above its level). */
export function regionPath(code: string): Partial<Record<AddressLevel, string>> {
  const level = regionLevelOf(code);
  if (!level) return {};
  const out: Partial<Record<AddressLevel, string>> = { province: `${code.slice(0, 2)}0000` };
  if (level !== 'province') out.city = `${code.slice(0, 4)}00`;
  if (level === 'district') out.district = code;
  return out;
}

export interface AddressValue {
  province: string;
  city?: string;
  district?: string;
  detail?: string;
}

/**
 * Why an address does not fit (unknown code, a city outside its province, missing or extra
 * levels), as [path, message]; undefined when it fits.
 */
export function addressProblem(value: AddressValue, level: AddressLevel): [string, string] | undefined {
  const depth = ADDRESS_LEVELS.indexOf(level);
  for (const [i, key] of ADDRESS_LEVELS.entries()) {
    const code = value[key];
    if (i > depth) {
      if (code !== undefined) return [`/${key}`, `is not part of this address (it stops at the ${level})`];
      continue;
    }
    if (code === undefined) return [`/${key}`, 'is required'];
    if (regionLevelOf(code) !== key) return [`/${key}`, `is not a known ${key} code`];
    const parent = i === 0 ? undefined : value[ADDRESS_LEVELS[i - 1]];
    if (parent !== undefined && regionPath(code)[ADDRESS_LEVELS[i - 1]] !== parent) {
      return [`/${key}`, `${code} (${regionName(code)}) does not lie in ${parent} (${regionName(parent)})`];
    }
  }
  return undefined;
}

/** How an address reads in zh-CN: 广东省深圳市南山区 科技园. */
export function addressText(value: AddressValue): string {
  const names: string[] = [];
  for (const key of ADDRESS_LEVELS) {
    const name = value[key] ? regionName(value[key]) : undefined;
    if (name && !PLACEHOLDER_NAMES.has(name) && names[names.length - 1] !== name) names.push(name);
  }
  return [names.join(''), value.detail ?? ''].filter((s) => s !== '').join(' ');
}

let childrenIndex: Map<string, [string, string][]> | undefined;

/** The regions directly inside `parent` (provinces when it is undefined), as [code, name]. */
export function regionChildren(parent?: string): readonly [string, string][] {
  if (!childrenIndex) {
    childrenIndex = new Map();
    const add = (key: string, entry: [string, string]) => childrenIndex!.set(key, [...(childrenIndex!.get(key) ?? []), entry]);
    for (const e of Object.entries(LISTS.province)) add('', e);
    for (const e of Object.entries(LISTS.city)) add(`${e[0].slice(0, 2)}0000`, e);
    for (const e of Object.entries(LISTS.district)) add(`${e[0].slice(0, 4)}00`, e);
  }
  return childrenIndex.get(parent ?? '') ?? [];
}
