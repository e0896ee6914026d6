import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../i18n/i18n';
import { isLanguage, LANGUAGES, type Language } from '../i18n/languages';

/**
 * The header's language switch: two radio buttons, each language named in itself (简体中文 /
 * English), as products with both languages show them. Segmented, not Select: the sign-in page
 * carries it, and Select would add ~20 KB gzip there.
 */
export function LanguageSwitch({ onChange }: { onChange?: (language: Language) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Segmented
      aria-label={t('language.switch')}
      size="small"
      value={i18n.language}
      options={LANGUAGES.map((language) => ({ value: language, label: t(`language.${language}`) }))}
      onChange={(value) => {
        if (!isLanguage(value)) return;
        void changeLanguage(value);
        onChange?.(value);
      }}
    />
  );
}
