import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../i18n/i18n';
import { isLanguage, LANGUAGES, type Language } from '../i18n/languages';

/** The header's language switch; `onChange` lets the shell also save the choice to the profile. */
export function LanguageSwitch({ onChange }: { onChange?: (language: Language) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Select
      aria-label={t('language.switch')}
      size="small"
      variant="borderless"
      value={i18n.language}
      style={{ minWidth: 100 }}
      options={LANGUAGES.map((language) => ({ value: language, label: t(`language.${language}`) }))}
      onChange={(value: string) => {
        if (!isLanguage(value)) return;
        void changeLanguage(value);
        onChange?.(value);
      }}
    />
  );
}
