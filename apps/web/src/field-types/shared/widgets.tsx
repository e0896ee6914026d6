import type { WidgetProps } from '@rjsf/utils';
import { Rate, Typography } from 'antd';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';

type Widget = ComponentType<WidgetProps>;
type ThemeWidget =
  | 'TextWidget'
  | 'EmailWidget'
  | 'URLWidget'
  | 'TextareaWidget'
  | 'UpDownWidget'
  | 'DateWidget'
  | 'DateTimeWidget'
  | 'CheckboxWidget'
  | 'RadioWidget'
  | 'SelectWidget'
  | 'CheckboxesWidget';

/** The Ant Design theme's own widget (from the rjsf registry), for the types it already serves well. */
export function themeWidget(name: ThemeWidget): Widget {
  return function ThemeWidgetOf(props) {
    const W = props.registry.widgets[name] as Widget;
    return <W {...props} />;
  };
}

/** Stars 1…max (the schema's maximum: 5 or 10). */
export const RatingWidget: Widget = ({ id, value, onChange, disabled, readonly, schema, label }) => (
  <Rate
    id={id}
    aria-label={label}
    count={typeof schema.maximum === 'number' ? schema.maximum : 5}
    value={typeof value === 'number' ? value : 0}
    disabled={disabled || readonly}
    onChange={(v) => onChange(v === 0 ? undefined : v)}
  />
);

/** Values the server computes (serial numbers, formulas, rollups): shown, never entered. */
export const ComputedWidget: Widget = ({ id, value, label }) => {
  const { t } = useTranslation();
  // A status named by the field: the value the form computes as the member types is read out.
  return (
    <Typography.Text id={id} type="secondary" role="status" aria-label={label}>
      {value === undefined || value === null || value === '' ? t('designer.computedByServer') : String(value)}
    </Typography.Text>
  );
};

/** A structured value (subform rows, address, location) the form renders with its own fields; this shows a summary. */
export const StructuredWidget: Widget = ({ id, value }) => {
  const { t } = useTranslation();
  const text = Array.isArray(value)
    ? t('designer.rows', { count: value.length })
    : value && typeof value === 'object'
      ? Object.values(value).filter(Boolean).join(' ')
      : '';
  return <Typography.Text id={id}>{text || '—'}</Typography.Text>;
};
