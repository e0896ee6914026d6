import { Input, InputNumber, Rate, Select, Switch } from 'antd';
import type { Field } from '../../apps/api/apps.api';

interface ValueInputProps {
  field: Field;
  value: unknown;
  onChange: (value: unknown) => void;
  label: string;
  onEnter?: () => void;
  autoFocus?: boolean;
  status?: 'error';
}

const optionsOf = (field: Field) => ((field.settings.options ?? []) as { value: string; label: string }[]).map((o) => ({ value: o.value, label: o.label }));

/** An antd input for one value of a field of the types the table edits in place and bulk edit sets. */
export function ValueInput({ field, value, onChange, label, onEnter, autoFocus, status }: ValueInputProps) {
  switch (field.type) {
    case 'number':
    case 'money':
      return (
        <InputNumber
          aria-label={label}
          value={value === null || value === undefined || value === '' ? null : Number(value)}
          onChange={(v) => onChange(v)}
          onPressEnter={onEnter}
          autoFocus={autoFocus}
          status={status}
          style={{ width: '100%' }}
        />
      );
    case 'select':
    case 'radio':
      return (
        <Select
          aria-label={label}
          value={(value as string | null) ?? undefined}
          onChange={(v) => onChange(v ?? null)}
          options={optionsOf(field)}
          allowClear
          autoFocus={autoFocus}
          status={status}
          style={{ width: '100%', minWidth: 120 }}
        />
      );
    case 'switch':
      return <Switch aria-label={label} checked={value === true} onChange={(v) => onChange(v)} autoFocus={autoFocus} />;
    case 'rating':
      return <Rate aria-label={label} value={Number(value ?? 0)} onChange={(v) => onChange(v || null)} />;
    case 'textarea':
      return (
        <Input.TextArea
          aria-label={label}
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.target.value)}
          autoFocus={autoFocus}
          status={status}
          autoSize
        />
      );
    default:
      return (
        <Input
          aria-label={label}
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.target.value)}
          onPressEnter={onEnter}
          autoFocus={autoFocus}
          status={status}
        />
      );
  }
}
