import { Badge, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorState, LoadingState } from '../../../../ui/states';
import type { Entity } from '../../../apps/api/apps.api';
import { useRecord } from '../../hooks/records.queries';
import { useMemberForm, useRecordComments, useRecordWorkflow } from '../../hooks/record-page.queries';
import { RecordAttachments } from './RecordAttachments';
import { RecordComments } from './RecordComments';
import { RecordFieldsLayout } from './RecordFieldsLayout';
import { RecordHistory } from './RecordHistory';
import { RecordWorkflow } from './RecordWorkflow';
import { RelatedLists } from './RelatedLists';

/**
 * The record page: its fields in the form's layout, its files, its workflow, comments, change
 * history and related lists, each in a tab of its own (the URL keeps the record, not the tab).
 */
export function RecordPage({ appId, entity, recordId }: { appId: string; entity: Entity; recordId: string }) {
  const { t } = useTranslation();
  const record = useRecord({ entity, recordId });
  const form = useMemberForm(entity);
  const comments = useRecordComments(entity.id, recordId);
  const wf = useRecordWorkflow(entity.id, recordId);
  if (record.isError) return <ErrorState error={record.error} onRetry={() => void record.refetch()} />;
  if (form.isError) return <ErrorState error={form.error} onRetry={() => void form.refetch()} />;
  if (record.isPending || form.isPending) return <LoadingState />;
  const count = comments.data?.length ?? 0;
  return (
    <Tabs
      className="record-page"
      items={[
        { key: 'fields', label: t('recordPage.tabs.fields'), children: <RecordFieldsLayout entity={entity} record={record.data} form={form.data} /> },
        { key: 'files', label: t('recordPage.tabs.files'), children: <RecordAttachments entity={entity} record={record.data} /> },
        {
          key: 'workflow',
          label: (
            <Badge dot={!!wf.taskId} offset={[6, 0]}>
              {t('recordPage.tabs.workflow')}
            </Badge>
          ),
          children: <RecordWorkflow entityId={entity.id} recordId={recordId} />,
        },
        {
          key: 'comments',
          label: count ? t('recordPage.tabs.commentsCount', { count }) : t('recordPage.tabs.comments'),
          children: <RecordComments entityId={entity.id} recordId={recordId} />,
        },
        { key: 'history', label: t('recordPage.tabs.history'), children: <RecordHistory entity={entity} recordId={recordId} /> },
        { key: 'related', label: t('recordPage.tabs.related'), children: <RelatedLists appId={appId} entity={entity} recordId={recordId} /> },
      ]}
    />
  );
}
