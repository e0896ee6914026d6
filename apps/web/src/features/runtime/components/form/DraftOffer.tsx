import { Alert, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RecordDraft } from './record-draft';

/** A draft found on opening a form, offered back: restore it or discard it (`description`: what discarding starts from). */
export function DraftOffer({
  draft,
  description,
  onRestore,
  onDiscard,
}: {
  draft: RecordDraft;
  description: (time: string) => string;
  onRestore: () => void;
  onDiscard: () => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Alert
      type="info"
      showIcon
      role="status"
      title={t('recordForm.draftFound')}
      description={description(new Date(draft.savedAt).toLocaleString(i18n.language))}
      action={
        <Space orientation="vertical">
          <Button type="primary" size="small" onClick={onRestore}>
            {t('recordForm.draftRestore')}
          </Button>
          <Button size="small" onClick={onDiscard}>
            {t('recordForm.draftDiscard')}
          </Button>
        </Space>
      }
    />
  );
}
