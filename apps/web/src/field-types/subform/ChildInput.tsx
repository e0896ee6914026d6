import type { FieldDefinition } from '@crm/schema';
import type { RJSFSchema, WidgetProps } from '@rjsf/utils';
import { DatePicker, Input, InputNumber, Select, Switch, Typography } from 'antd';
import dayjs from 'dayjs';
import { MemberWidget } from '../member/MemberWidget';
import { RelationWidget } from '../relation/RelationWidget';
import { formatNumber } from '../shared/format-value';

interface ChildInputProps {
  field: FieldDefinition;
  value: unknown;
  disabled?: boolean;
  label: string;
  onChange: (value: unknown) => void;
  /** The subform field's key and the row's values: a relation asks for `<subform>.<child>` options with `$row` filled. */
  subformKey?: string;
  row?: Record<string, unknown>;
  id?: string;
}

/** The props of a form widget for a cell: the same member and relation pickers as top-level fields. */
function cellWidgetProps(args: {
  id: string;
  name: string;
  field: FieldDefinition;
  value: unknown;
  disabled?: boolean;
  label: string;
  onChange: (v: unknown) => void;
  row?: Record<string, unknown>;
}): WidgetProps {
  const schema: RJSFSchema = args.field.settings?.multiple ? { type: 'array', items: {} } : { type: args.field.type === 'relation' ? 'integer' : 'string' };
  return {
    id: args.id,
    name: args.name,
    value: args.value,
    label: args.label,
    schema,
    disabled: args.disabled,
    readonly: false,
    required: false,
    autofocus: false,
    placeholder: '',
    rawErrors: [],
    options: { row: args.row },
    onChange: args.onChange,
    onBlur: () => undefined,
    onFocus: () => undefined,
  } as unknown as WidgetProps;
}

type Option = { value: string; label: string };
const optionsOf = (f: FieldDefinition): Option[] =>
  ((f.settings?.options as (Option | string)[] | undefined) ?? []).map((o) => (typeof o === 'string' ? { value: o, label: o } : o));

/** One cell input of a subform row, by the child's type (formulas show their computed value). */
export function ChildInput({ field, value, disabled, label, onChange, subformKey, row, id }: ChildInputProps) {
  const cellId = id ?? `${subformKey ?? 'row'}_${field.key}`;
  switch (field.type) {
    case 'member':
      return <MemberWidget {...cellWidgetProps({ id: cellId, name: field.key, field, value, disabled, label, onChange })} />;
    case 'relation':
      return (
        <RelationWidget
          {...cellWidgetProps({ id: cellId, name: subformKey ? `${subformKey}.${field.key}` : field.key, field, value, disabled, label, onChange, row })}
        />
      );
    case 'number':
    case 'money':
    case 'rating':
      return (
        <InputNumber
          aria-label={label}
          value={value === '' || value === null || value === undefined ? null : Number(value)}
          precision={typeof field.settings?.precision === 'number' ? field.settings.precision : undefined}
          disabled={disabled}
          onChange={(v) => onChange(v ?? undefined)}
          style={{ width: '100%' }}
        />
      );
    case 'formula':
      return (
        <Typography.Text aria-label={label}>
          {value === null || value === undefined ? '—' : typeof value === 'number' ? formatNumber({ value }) : String(value)}
        </Typography.Text>
      );
    case 'select':
    case 'radio':
    case 'multiselect':
    case 'checkbox':
      return (
        <Select
          aria-label={label}
          mode={field.type === 'multiselect' || field.type === 'checkbox' ? 'multiple' : undefined}
          allowClear
          value={value ?? undefined}
          options={optionsOf(field)}
          disabled={disabled}
          onChange={(v) => onChange(v ?? undefined)}
          style={{ width: '100%', minWidth: 120 }}
        />
      );
    case 'switch':
      return <Switch aria-label={label} checked={value === true} disabled={disabled} onChange={onChange} />;
    case 'date':
      return (
        <DatePicker
          aria-label={label}
          value={typeof value === 'string' && value ? dayjs(value) : null}
          disabled={disabled}
          onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : undefined)}
        />
      );
    default:
      return (
        <Input
          aria-label={label}
          value={typeof value === 'string' || typeof value === 'number' ? String(value) : ''}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        />
      );
  }
}
