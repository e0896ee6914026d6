import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../../../ui/states';
import { useEntity } from '../../../apps/hooks/apps.queries';
import type { Entity } from '../../../apps/api/apps.api';
import { useRecord } from '../../hooks/records.queries';
import { useMemberForm } from '../../hooks/record-page.queries';
import { displayOf } from '../../view-state';
import { RecordFieldsLayout } from './RecordFieldsLayout';

/** /apps/:appId/entities/:entityId/records/:recordId/print: the record's fields on a clean page, without the app's chrome. */
export function RecordPrintPage() {
  const { entityId = '' } = useParams();
  const entity = useEntity(entityId);
  if (entity.isError) return <ErrorState error={entity.error} onRetry={() => void entity.refetch()} />;
  if (!entity.data) return <LoadingState />;
  return <PrintBody entity={entity.data} />;
}

function PrintBody({ entity }: { entity: Entity }) {
  const { t, i18n } = useTranslation();
  const { appId = '', recordId = '' } = useParams();
  const navigate = useNavigate();
  const record = useRecord({ entity, recordId });
  const form = useMemberForm(entity);
  const title = record.data ? displayOf(entity, record.data) : null;
  useEffect(() => {
    if (title) document.title = `${entity.name} · ${title}`;
  }, [entity.name, title]);
  if (record.isError) return <ErrorState error={record.error} onRetry={() => void record.refetch()} />;
  if (form.isError) return <ErrorState error={form.error} onRetry={() => void form.refetch()} />;
  if (!record.data || form.isPending) return <LoadingState />;
  return (
    <main className="record-print">
      <Flex className="no-print" justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 16 }}>
        <Button
          type="link"
          style={{ paddingInline: 0 }}
          icon={<ArrowLeftOutlined aria-hidden />}
          onClick={() => void navigate(`/apps/${appId}/entities/${entity.id}/records/${recordId}`)}
        >
          {t('recordPage.backToRecord')}
        </Button>
        <Button type="primary" icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()}>
          {t('recordPage.printNow')}
        </Button>
      </Flex>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('records.recordTitle', { entity: entity.name, id: recordId })} · {title}
      </Typography.Title>
      <RecordFieldsLayout entity={entity} record={record.data} form={form.data} print />
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
        {t('recordPage.printedAt', { at: new Date().toLocaleString(i18n.language) })}
      </Typography.Paragraph>
    </main>
  );
}
