import { Form, Input, InputNumber, Select, Switch } from 'antd';
import { type ReactNode, useId } from 'react';

/** A labelled control of a settings panel: the label names the control for screen readers. */
export function Labeled({ label, children, help }: { label: string; help?: ReactNode; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <Form.Item label={label} htmlFor={id} help={help} style={{ marginBottom: 12 }}>
      {children(id)}
    </Form.Item>
  );
}

export function TextSetting({ label, value, onChange, maxLength }: { label: string; value: unknown; onChange: (v: string) => void; maxLength?: number }) {
  return (
    <Labeled label={label}>
      {(id) => <Input id={id} value={typeof value === 'string' ? value : ''} maxLength={maxLength} onChange={(e) => onChange(e.target.value)} />}
    </Labeled>
  );
}

export function NumberSetting({
  label,
  value,
  onChange,
  min,
  max,
}: {
  label: string;
  value: unknown;
  onChange: (v: number | undefined) => void;
  min?: number;
  max?: number;
}) {
  return (
    <Labeled label={label}>
      {(id) => (
        <InputNumber
          controls={false}
          id={id}
          style={{ width: '100%' }}
          value={typeof value === 'number' ? value : null}
          min={min}
          max={max}
          onChange={(v) => onChange(v === null ? undefined : Number(v))}
        />
      )}
    </Labeled>
  );
}

export function BoolSetting({ label, value, onChange }: { label: string; value: unknown; onChange: (v: boolean) => void }) {
  return <Labeled label={label}>{(id) => <Switch id={id} checked={value === true} onChange={onChange} />}</Labeled>;
}

export function ChoiceSetting<T extends string | number>({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: unknown;
  onChange: (v: T) => void;
  options: { value: T; label: string }[];
}) {
  return (
    <Labeled label={label}>
      {(id) => <Select<T> id={id} aria-label={label} value={value as T} onChange={onChange} options={options} style={{ width: '100%' }} />}
    </Labeled>
  );
}
