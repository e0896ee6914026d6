import { asNumber, getDecimalSeparator, getUiOptions, resolveDefaultWidget, type ErrorSchema, type FieldPathList, type FieldProps } from '@rjsf/utils';
import { useCallback, useState } from 'react';

const trailingCharMatcherWithPrefix = /\.([0-9]*0)*$/;
const trailingCharMatcher = /[0.]0*$/;

let cached: { languages: string; separator: string } | undefined;

/** rjsf's getDecimalSeparator for the browser's languages, computed once per languages list (it builds an Intl.NumberFormat). */
export function decimalSeparator(): string {
  const languages = typeof navigator !== 'undefined' ? navigator.languages.join(',') : '';
  if (cached?.languages !== languages) cached = { languages, separator: getDecimalSeparator() };
  return cached.separator;
}

/**
 * rjsf's NumberField (@rjsf/core 6.10, fields/NumberField.tsx), unchanged but for the decimal
 * separator, which rjsf recomputes with a new Intl.NumberFormat on every render of every number
 * field. docs/performance.md: that was about a tenth of a 200-field form's render.
 * Typed input keeps its trailing "." or zeros while the form data holds the number.
 */
export function NumberField(props: FieldProps) {
  const { registry, onChange, formData, value: initialValue } = props;
  const [lastValue, setLastValue] = useState(initialValue);
  const { StringField } = registry.fields;
  const separator = decimalSeparator();
  let value = formData;

  const handleChange = useCallback(
    (newValue: unknown, path: FieldPathList, errorSchema?: ErrorSchema, id?: string) => {
      setLastValue(newValue);
      const standardValue = typeof newValue === 'string' ? newValue.replace(separator, '.') : newValue;
      const normalizedValue = `${standardValue as string}`.startsWith('.') ? `0${standardValue as string}` : standardValue;
      const processed =
        typeof normalizedValue === 'string' && trailingCharMatcherWithPrefix.exec(normalizedValue)
          ? asNumber(normalizedValue.replace(trailingCharMatcher, ''))
          : asNumber(normalizedValue as string);
      onChange(processed, path, errorSchema, id);
    },
    [onChange, separator],
  );

  if (typeof lastValue === 'string' && typeof value === 'number') {
    const canonicalLastValue = lastValue.replace(separator, '.');
    const escapedValue = String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`^(${escapedValue})?\\.?0*$`);
    if (canonicalLastValue.match(re)) value = lastValue;
  }

  let displayValue: unknown = value;
  if (typeof value === 'number' && separator !== '.') {
    const { schema, uiSchema } = props;
    const { schemaUtils, widgets } = registry;
    const { defaultWidget } = resolveDefaultWidget(schema, uiSchema, schemaUtils, widgets);
    const { widget = defaultWidget, inputType } = getUiOptions(uiSchema);
    if (widget === 'text' && inputType !== 'number') displayValue = String(value).replace('.', separator);
  }

  return <StringField {...props} formData={displayValue} onChange={handleChange} />;
}
