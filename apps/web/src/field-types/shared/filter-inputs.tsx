import { DatePicker, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { FilterInputProps } from '../field-type-ui';

type FilterInput = ComponentType<FilterInputProps>;

export const TextFilterInput: FilterInput = ({ value, onChange, label }) => (
  <Input aria-label={label} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)} />
);

export const NumberFilterInput: FilterInput = ({ value, onChange, label }) => (
  <InputNumber
    controls={false}
    aria-label={label}
    value={typeof value === 'number' ? value : null}
    onChange={(v) => onChange(v ?? undefined)}
    style={{ width: '100%' }}
  />
);

export function dateFilterInput(withTime: boolean): FilterInput {
  return function DateFilterInput({ value, onChange, label }) {
    return (
      <DatePicker
        aria-label={label}
        showTime={withTime}
        value={typeof value === 'string' && value ? dayjs(value) : null}
        onChange={(d) => onChange(d ? (withTime ? d.toISOString() : d.format('YYYY-MM-DD')) : undefined)}
        style={{ width: '100%' }}
      />
    );
  };
}

export const SwitchFilterInput: FilterInput = ({ value, onChange, label }) => {
  const { t } = useTranslation();
  return (
    <Select
      aria-label={label}
      value={typeof value === 'boolean' ? String(value) : undefined}
      onChange={(v: string) => onChange(v === 'true')}
      options={[
        { value: 'true', label: t('cells.yes') },
        { value: 'false', label: t('cells.no') },
      ]}
      style={{ width: '100%' }}
    />
  );
};

/** One option (radio, select) or, for list types, any of several (checkbox, multi-select: `contains`). */
export function choiceFilterInput(many: boolean): FilterInput {
  return function ChoiceFilterInput({ field, value, onChange, label }) {
    const options = ((field.settings?.options as { value: string; label: string }[] | undefined) ?? []).map((o) => ({ value: o.value, label: o.label }));
    return (
      <Select
        aria-label={label}
        mode={many ? 'multiple' : undefined}
        value={value as string | string[] | undefined}
        onChange={(v) => onChange(v)}
        options={options}
        style={{ width: '100%' }}
      />
    );
  };
}
