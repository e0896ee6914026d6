import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { FieldDefinition } from '@crm/schema';
import { Button, Flex, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ProblemText } from '../shared/ProblemText';

/** A value as the admin types it: JSON when it reads as JSON (numbers, true, `{"var": "x"}`), else text. */
export function parseValueText(text: string): unknown {
  const trimmed = text.trim();
  if (/^(-?\d|\{|\[|true$|false$|null$|")/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}

export function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

interface Props {
  value: Record<string, unknown>;
  onChange(next: Record<string, unknown>): void;
  /** The fields offered as keys; free text keys when absent (another entity's fields). */
  fields?: readonly FieldDefinition[];
  disabled: boolean;
  problemsAt(key: string): string[];
  label: string;
}

/** Field → value rows of an automatic action. */
export function ValuesEditor({ value, onChange, fields, disabled, problemsAt, label }: Props) {
  const { t } = useTranslation();
  const entries = Object.entries(value);
  const rename = (from: string, to: string) => onChange(Object.fromEntries(entries.map(([k, v]) => (k === from ? [to, v] : [k, v]))));
  return (
    <fieldset className="wf-fieldset">
      <legend>{label}</legend>
      <Flex vertical gap={8}>
        {entries.map(([key, v], i) => (
          <Flex key={i} vertical gap={2}>
            <Flex gap={8}>
              {fields ? (
                <Select
                  aria-label={t('workflows.action.fieldOf', { n: i + 1 })}
                  value={key || undefined}
                  disabled={disabled}
                  style={{ flex: 1, minWidth: 0 }}
                  onChange={(k: string) => rename(key, k)}
                  options={fields.map((f) => ({ value: f.key, label: f.label, disabled: f.key !== key && f.key in value }))}
                />
              ) : (
                <Input
                  aria-label={t('workflows.action.fieldOf', { n: i + 1 })}
                  value={key}
                  disabled={disabled}
                  onChange={(e) => rename(key, e.target.value)}
                  style={{ flex: 1 }}
                />
              )}
              <Input
                aria-label={t('workflows.action.valueOf', { n: i + 1 })}
                defaultValue={valueText(v)}
                disabled={disabled}
                onBlur={(e) => onChange({ ...value, [key]: parseValueText(e.target.value) })}
                style={{ flex: 1 }}
              />
              {!disabled && (
                <Button
                  type="text"
                  danger
                  aria-label={t('workflows.action.removeValue', { n: i + 1 })}
                  icon={<DeleteOutlined aria-hidden />}
                  onClick={() => onChange(Object.fromEntries(entries.filter(([k]) => k !== key)))}
                />
              )}
            </Flex>
            <ProblemText messages={problemsAt(key)} />
          </Flex>
        ))}
        {!disabled && (
          <Button
            icon={<PlusOutlined aria-hidden />}
            style={{ alignSelf: 'flex-start' }}
            onClick={() => {
              const free = fields?.find((f) => !(f.key in value))?.key ?? (fields ? undefined : `field_${entries.length + 1}`);
              if (free !== undefined) onChange({ ...value, [free]: '' });
            }}
          >
            {t('workflows.action.addValue')}
          </Button>
        )}
      </Flex>
    </fieldset>
  );
}
