import type { LocalizedText } from '@crm/forms';
import i18n from 'i18next';

/** An admin's text in the UI language (falling back to the other one). */
export function textOf(text: LocalizedText | undefined): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  const lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  return text[lang] ?? text[lang === 'en' ? 'zh-CN' : 'en'] ?? '';
}
