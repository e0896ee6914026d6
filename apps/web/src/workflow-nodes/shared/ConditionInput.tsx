import type { FieldDefinition } from '@crm/schema';
import { Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConditionBuilder } from '../../rules';

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
 * The branch condition editor: the shared condition builder (apps/web/src/rules) over the
 * entity's fields. Branches are judged on the record alone, so only the date variables are
 * offered (there is no "current member" when the engine runs); read only, the json-logic text.
 */
export function ConditionInput(props: ConditionInputProps) {
  if (props.disabled) return <ConditionText {...props} />;
  return (
    <ConditionBuilder
      id={props.id}
      aria-label={props['aria-label']}
      fields={props.fields}
      value={props.value ?? null}
      onChange={props.onChange}
      problem={props.problem}
      variables={BRANCH_VARIABLES}
      systemFields={false}
    />
  );
}

const BRANCH_VARIABLES = ['$today', '$now'] as const;

function ConditionText({ fields, value, onChange, problem, id, disabled, ...rest }: ConditionInputProps) {
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
