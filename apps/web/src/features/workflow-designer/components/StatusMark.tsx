import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import type { VersionStatus } from '../api/workflows.api';

const STATUS = { draft: 'processing', published: 'success', retired: 'default' } as const;

/** A version's state as a coloured dot and plain text (coloured tags fall below 4.5:1 contrast). */
export function StatusMark({ status, text }: { status: VersionStatus; text?: string }) {
  const { t } = useTranslation();
  return <Badge status={STATUS[status]} text={text ?? t(`workflows.status.${status}`)} />;
}
