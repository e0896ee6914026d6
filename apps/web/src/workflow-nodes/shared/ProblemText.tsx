import { Typography } from 'antd';

/** The designer's problems beside the control they are about (red, announced with the control). */
export function ProblemText({ messages, id }: { messages: readonly string[]; id?: string }) {
  if (messages.length === 0) return null;
  return (
    <Typography.Text type="danger" id={id} role="status" style={{ fontSize: 13 }}>
      {[...new Set(messages)].join(' · ')}
    </Typography.Text>
  );
}
