import type { FieldDefinition } from '@crm/schema';
import { Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface ConditionInputProps {
  fields: readonly FieldDefinition[];
  value: unknown;
  onChange(value: unknown): void;
  problem?: { path: string; message: string } | null;
  'aria-label'?: string;
  id?: string;
  disabled?: boolean;
}

/**
 * The branch condition editor: json-logic as text until the shared condition builder
 * (apps/web/src/rules) is on main; it takes the same props, so the swap is this one component.
 */
export function ConditionInput({ fields, value, onChange, problem, id, disabled, ...rest }: ConditionInputProps) {
  const { t } = useTranslation();
  const shown = value === null || value === undefined ? '' : JSON.stringify(value);
  const [text, setText] = useState(shown);
  const [bad, setBad] = useState(false);
  useEffect(() => setText(shown), [shown]);
  const commit = () => {
    if (text.trim() === '') {
      setBad(false);
      onChange(null);
      return;
    }
    try {
      onChange(JSON.parse(text));
      setBad(false);
    } catch {
      setBad(true);
    }
  };
  const example = fields.find((f) => f.type === 'number' || f.type === 'money')?.key ?? fields[0]?.key ?? 'amount';
  return (
    <>
      <Input.TextArea
        id={id}
        aria-label={rest['aria-label']}
        autoSize={{ minRows: 2, maxRows: 6 }}
        value={text}
        disabled={disabled}
        status={bad || problem ? 'error' : undefined}
        placeholder={`{">": [{"var": "${example}"}, 10000]}`}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        style={{ fontFamily: 'monospace' }}
      />
      {bad && <Typography.Text type="danger">{t('workflows.branch.badJson')}</Typography.Text>}
      {problem && <Typography.Text type="danger">{problem.message}</Typography.Text>}
    </>
  );
}
