import { LOCALES, type Locale, type LocalizedText } from './types';

/** The locale of an Accept-Language header: zh-CN for any Chinese, else English. */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Admin text in the wanted language, else the other one; undefined when there is none. */
export function pickText(text: LocalizedText | undefined, locale: Locale): string | undefined {
  if (text === undefined) return undefined;
  if (typeof text === 'string') return text;
  return text[locale] ?? text.en ?? text['zh-CN'];
}

type Template = (p: Record<string, string>) => string;

/** Messages of the issues form rules raise, per language. */
const MESSAGES: Record<string, Record<Locale, Template>> = {
  required: { en: (p) => `${p.label} is required`, 'zh-CN': (p) => `${p.label}不能为空` },
  rule_error: {
    en: (p) => `The check "${p.rule}" could not be evaluated: ${p.reason}`,
    'zh-CN': (p) => `校验规则“${p.rule}”无法计算：${p.reason}`,
  },
  invalid_default: {
    en: (p) => `The default value of ${p.label} could not be computed: ${p.reason}`,
    'zh-CN': (p) => `${p.label}的默认值无法计算：${p.reason}`,
  },
  rule_failed: { en: () => 'The form is not valid', 'zh-CN': () => '表单校验未通过' },
};

/** A localized message for an issue code of the forms package. */
export function formMessage({ code, locale, params }: { code: keyof typeof MESSAGES | string; locale: Locale; params: Record<string, string> }): string {
  const entry = MESSAGES[code];
  return entry ? entry[locale](params) : code;
}
