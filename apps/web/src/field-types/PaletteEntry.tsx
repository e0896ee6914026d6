import type { FieldTypeKey } from '@crm/schema';
import { useTranslation } from 'react-i18next';
import { fieldTypeUis } from './registry';

/** A field type as the palette shows it: icon and label in the UI language. */
export function PaletteEntry({ type }: { type: FieldTypeKey }) {
  const { t } = useTranslation();
  const Icon = fieldTypeUis[type].icon;
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
      <Icon aria-hidden />
      <span>{t(`fieldTypes.${type}`)}</span>
    </span>
  );
}
