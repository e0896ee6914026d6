import { FIELD_TYPE_KEYS } from '@crm/schema';
import { describe, expect, it } from 'vitest';
import { FIELD_TYPE_GROUPS } from '../field-types/registry';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

type Tree = { [key: string]: string | Tree };

/** Every leaf key, with i18next's plural suffixes folded (zh has only `_other`, en `_one` and `_other`). */
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`.replace(/_(zero|one|two|few|many|other)$/, '')] : keys(value, `${prefix}${key}.`),
  );
}

function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value, `${prefix}${key}.`),
  );
}

describe('locale files', () => {
  it('hold the same keys in zh-CN and en', () => {
    const zh = new Set(keys(zhCN as Tree));
    const english = new Set(keys(en as Tree));
    expect(
      [...zh].filter((key) => !english.has(key)),
      'in zh-CN only',
    ).toEqual([]);
    expect(
      [...english].filter((key) => !zh.has(key)),
      'in en only',
    ).toEqual([]);
  });

  it('have no empty texts', () => {
    for (const [key, text] of [...leaves(zhCN as Tree), ...leaves(en as Tree)]) expect(text.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const english = new Map(leaves(en as Tree).map(([key, text]) => [key.replace(/_(one|other)$/, ''), text]));
    for (const [key, text] of leaves(zhCN as Tree)) {
      const other = english.get(key.replace(/_(one|other)$/, ''));
      expect(other, key).toBeDefined();
      expect(placeholders(text), key).toEqual(placeholders(other!));
    }
  });

  it('keep English out of zh-CN (except the name of the English language itself)', () => {
    const allowed = new Set(['language.en']);
    const english = leaves(zhCN as Tree)
      .filter(([key]) => !allowed.has(key))
      .filter(([, text]) => /[A-Za-z]{2,}/.test(text.replace(/\{\{\w+\}\}/g, '')));
    expect(english).toEqual([]);
  });

  it('name every field type and palette group in both languages', () => {
    for (const locale of [en, zhCN] as Tree[]) {
      const types = locale.fieldTypes as Tree;
      const groups = locale.fieldTypeGroups as Tree;
      for (const type of FIELD_TYPE_KEYS) expect(typeof types[type], type).toBe('string');
      for (const group of FIELD_TYPE_GROUPS) expect(typeof groups[group], group).toBe('string');
    }
  });
});
