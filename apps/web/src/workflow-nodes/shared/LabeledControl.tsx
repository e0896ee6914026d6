import { Form } from 'antd';
import { useId, type ReactElement, type ReactNode } from 'react';
import { ProblemText } from './ProblemText';

/**
 * A label over one control, tied by id (so it names the control for assistive technology), with
 * the problems about it underneath. `children` receives the id to put on the control.
 */
export function LabeledControl({
  label,
  help,
  problems = [],
  children,
}: {
  label: ReactNode;
  help?: ReactNode;
  problems?: readonly string[];
  children: (id: string) => ReactElement;
}) {
  const id = useId();
  return (
    <Form.Item
      label={label}
      htmlFor={id}
      help={problems.length ? <ProblemText messages={problems} /> : help}
      validateStatus={problems.length ? 'error' : undefined}
      style={{ marginBottom: 12 }}
    >
      {children(id)}
    </Form.Item>
  );
}
