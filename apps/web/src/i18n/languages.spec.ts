import { describe, expect, it } from 'vitest';
import { isLanguage, toLanguage } from './languages';

describe('toLanguage', () => {
  it('maps browser and profile tags to a UI language', () => {
    expect(toLanguage('zh')).toBe('zh-CN');
    expect(toLanguage('zh-Hans-CN')).toBe('zh-CN');
    expect(toLanguage('zh-TW')).toBe('zh-CN');
    expect(toLanguage('en-GB')).toBe('en');
    expect(toLanguage('EN')).toBe('en');
  });

  it('has no answer for other languages or nothing', () => {
    expect(toLanguage('de-DE')).toBeNull();
    expect(toLanguage('')).toBeNull();
    expect(toLanguage(null)).toBeNull();
  });
});

describe('isLanguage', () => {
  it('accepts exactly the two UI languages', () => {
    expect(isLanguage('zh-CN')).toBe(true);
    expect(isLanguage('en')).toBe(true);
    expect(isLanguage('zh')).toBe(false);
    expect(isLanguage(undefined)).toBe(false);
  });
});
