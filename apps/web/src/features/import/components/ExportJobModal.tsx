import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Flex, Modal, Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../../api/query-keys';
import { exportFileUrl, getExportOrThrow } from '../import.api';

/**
 * An export prepared in the background: the rows written so far (polled), then a download link
 * to the file (`GET /api/exports/{id}/file`). Closing it leaves the job running.
 */
export function ExportJobModal({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const job = useQuery({
    queryKey: queryKeys.exportJob(id),
    queryFn: ({ signal }) => getExportOrThrow(id, signal),
    refetchInterval: (q) => (q.state.data && ['done', 'failed'].includes(q.state.data.status) ? false : 700),
  });
  const data = job.data;
  const done = data?.status === 'done';
  return (
    <Modal open title={t('imports.exportJob.title')} onCancel={onClose} footer={<Button onClick={onClose}>{t('imports.close')}</Button>}>
      <Flex vertical gap={12}>
        {job.isError && <Alert type="error" showIcon title={job.error.message} />}
        {data?.status === 'failed' && <Alert type="error" showIcon title={t('imports.exportJob.failed')} description={data.lastError ?? ''} />}
        {data && data.status !== 'failed' && (
          <>
            <Progress percent={done ? 100 : 99} status={done ? 'success' : 'active'} showInfo={false} aria-label={t('imports.exportJob.progress')} />
            <Typography.Text aria-live="polite">
              {done ? t('imports.exportJob.done', { rows: data.rows }) : t('imports.exportJob.running', { rows: data.rows })}
            </Typography.Text>
          </>
        )}
        {done && (
          <Button type="primary" icon={<DownloadOutlined aria-hidden />} href={exportFileUrl(id)} download={data.fileName}>
            {t('imports.exportJob.download', { name: data.fileName })}
          </Button>
        )}
      </Flex>
    </Modal>
  );
}
