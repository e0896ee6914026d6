import { formatSerial } from '@crm/schema';
import { Input, Typography } from 'antd';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsProps } from '../field-type-ui';
import { OptionsEditor } from './options-editor';
import { BoolSetting, ChoiceSetting, Labeled, NumberSetting, TextSetting } from './settings-kit';

type Panel = ComponentType<SettingsProps>;

export const NoSettings: Panel = () => {
  const { t } = useTranslation();
  return <Typography.Paragraph type="secondary">{t('designer.noTypeSettings')}</Typography.Paragraph>;
};

/** A maximum length (text, multi-line text, rich text). */
export function maxLengthSettings(max: number): Panel {
  return function MaxLengthSettings({ field, onChange }) {
    const { t } = useTranslation();
    return <NumberSetting label={t('designer.maxLength')} value={field.settings?.maxLength} min={1} max={max} onChange={(v) => onChange({ maxLength: v })} />;
  };
}

export const NumberSettings: Panel = ({ field, onChange }) => {
  const { t } = useTranslation();
  const s = field.settings ?? {};
  return (
    <>
      <NumberSetting label={t('designer.precision')} value={s.precision ?? 0} min={0} max={10} onChange={(v) => onChange({ precision: v ?? 0 })} />
      <TextSetting label={t('designer.unit')} value={s.unit} maxLength={20} onChange={(v) => onChange({ unit: v || undefined })} />
      <NumberSetting label={t('designer.min')} value={s.min} onChange={(v) => onChange({ min: v })} />
      <NumberSetting label={t('designer.max')} value={s.max} onChange={(v) => onChange({ max: v })} />
    </>
  );
};

const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP'];

export const MoneySettings: Panel = ({ field, onChange }) => {
  const { t } = useTranslation();
  const s = field.settings ?? {};
  return (
    <>
      <ChoiceSetting
        label={t('designer.currency')}
        value={s.currency ?? 'CNY'}
        options={CURRENCIES.map((c) => ({ value: c, label: c }))}
        onChange={(v) => onChange({ currency: v })}
      />
      <NumberSetting label={t('designer.precision')} value={s.precision ?? 2} min={0} max={4} onChange={(v) => onChange({ precision: v ?? 2 })} />
      <NumberSetting label={t('designer.min')} value={s.min} onChange={(v) => onChange({ min: v })} />
      <NumberSetting label={t('designer.max')} value={s.max} onChange={(v) => onChange({ max: v })} />
    </>
  );
};

export const ChoiceSettings: Panel = (props) => <OptionsEditor {...props} />;

export const MultiChoiceSettings: Panel = (props) => {
  const { t } = useTranslation();
  const s = props.field.settings ?? {};
  return (
    <>
      <OptionsEditor {...props} />
      <NumberSetting label={t('designer.minItems')} value={s.minItems} min={0} max={500} onChange={(v) => props.onChange({ minItems: v })} />
      <NumberSetting label={t('designer.maxItems')} value={s.maxItems} min={1} max={500} onChange={(v) => props.onChange({ maxItems: v })} />
    </>
  );
};

export const MultipleSettings: Panel = ({ field, onChange }) => {
  const { t } = useTranslation();
  return <BoolSetting label={t('designer.multiple')} value={field.settings?.multiple} onChange={(v) => onChange({ multiple: v })} />;
};

export const AttachmentSettings: Panel = ({ field, onChange }) => {
  const { t } = useTranslation();
  return (
    <NumberSetting label={t('designer.maxFiles')} value={field.settings?.maxFiles ?? 10} min={1} max={50} onChange={(v) => onChange({ maxFiles: v ?? 10 })} />
  );
};

export const SerialSettings: Panel = ({ field, onChange }) => {
  const { t } = useTranslation();
  const s = { prefix: '', datePart: 'YYYYMMDD', digits: 4, reset: 'never', ...(field.settings ?? {}) } as {
    prefix: string;
    datePart: '' | 'YYYY' | 'YYYYMM' | 'YYYYMMDD';
    digits: number;
    reset: string;
  };
  const preview = formatSerial({ settings: s, counter: 1, date: new Date() });
  return (
    <>
      <TextSetting label={t('designer.serialPrefix')} value={s.prefix} maxLength={20} onChange={(v) => onChange({ prefix: v })} />
      <ChoiceSetting
        label={t('designer.serialDatePart')}
        value={s.datePart}
        options={['', 'YYYY', 'YYYYMM', 'YYYYMMDD'].map((v) => ({ value: v, label: v || t('designer.serialNoDate') }))}
        onChange={(v) => onChange({ datePart: v })}
      />
      <NumberSetting label={t('designer.serialDigits')} value={s.digits} min={1} max={12} onChange={(v) => onChange({ digits: v ?? 4 })} />
      <ChoiceSetting
        label={t('designer.serialReset')}
        value={s.reset}
        options={['never', 'yearly', 'monthly', 'daily'].map((v) => ({ value: v, label: t(`designer.reset.${v}`) }))}
        onChange={(v) => onChange({ reset: v })}
      />
      <Typography.Paragraph>
        {t('designer.serialPreview')}: <Typography.Text code>{preview}</Typography.Text>
      </Typography.Paragraph>
    </>
  );
};

const RESULT_TYPES = ['number', 'text', 'date', 'datetime', 'switch'];

export const FormulaSettings: Panel = ({ field, onChange, renderFormula }) => {
  const { t } = useTranslation();
  const s = field.settings ?? {};
  const label = t('designer.expression');
  const value = typeof s.expression === 'string' ? s.expression : '';
  return (
    <>
      {renderFormula ? (
        renderFormula({ value, label, onChange: (v) => onChange({ expression: v }) })
      ) : (
        <Labeled label={label} help={t('designer.formulaHelp')}>
          {(id) => <Input.TextArea id={id} rows={3} value={value} onChange={(e) => onChange({ expression: e.target.value })} />}
        </Labeled>
      )}
      <ChoiceSetting
        label={t('designer.resultType')}
        value={s.resultType ?? 'number'}
        options={RESULT_TYPES.map((r) => ({ value: r, label: t(`designer.resultTypes.${r}`) }))}
        onChange={(v) => onChange({ resultType: v })}
      />
      {(s.resultType ?? 'number') === 'number' && (
        <NumberSetting label={t('designer.precision')} value={s.precision ?? 2} min={0} max={10} onChange={(v) => onChange({ precision: v ?? 2 })} />
      )}
    </>
  );
};

export const AddressSettings: Panel = ({ field, onChange }) => {
  const { t } = useTranslation();
  const s = field.settings ?? {};
  return (
    <>
      <ChoiceSetting
        label={t('designer.addressLevel')}
        value={s.level ?? 'district'}
        options={['province', 'city', 'district'].map((v) => ({ value: v, label: t(`designer.levels.${v}`) }))}
        onChange={(v) => onChange({ level: v })}
      />
      <BoolSetting label={t('designer.addressDetail')} value={s.detail ?? true} onChange={(v) => onChange({ detail: v })} />
    </>
  );
};

export const LocationSettings: Panel = ({ field, onChange }) => {
  const { t } = useTranslation();
  return (
    <NumberSetting
      label={t('designer.maxLength')}
      value={field.settings?.labelMaxLength ?? 200}
      min={1}
      max={500}
      onChange={(v) => onChange({ labelMaxLength: v ?? 200 })}
    />
  );
};

export const RatingSettings: Panel = ({ field, onChange }) => {
  const { t } = useTranslation();
  return (
    <ChoiceSetting
      label={t('designer.ratingMax')}
      value={field.settings?.max ?? 5}
      options={[5, 10].map((v) => ({ value: v, label: String(v) }))}
      onChange={(v) => onChange({ max: v })}
    />
  );
};
