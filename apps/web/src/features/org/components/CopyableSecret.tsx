import { Alert, Input, Space, Typography } from 'antd';
import { useId } from 'react';

/** A link or token shown once: selectable, copyable, with a warning that it will not be shown again. */
export function CopyableSecret({ value, hint, label }: { value: string; hint: string; label: string }) {
  const id = useId();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type="warning" showIcon title={hint} />
      <label htmlFor={id}>{label}</label>
      <Input id={id} readOnly value={value} onFocus={(e) => e.target.select()} data-testid="secret-value" />
      <Typography.Text copyable={{ text: value }}>{value.length > 60 ? `${value.slice(0, 60)}…` : value}</Typography.Text>
    </Space>
  );
}
