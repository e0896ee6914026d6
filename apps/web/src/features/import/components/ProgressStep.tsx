import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Progress, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorFileUrl, type ImportSession } from '../import.api';

/** Step 5: the job's progress (read from the server, so it survives a reload), then the outcome and the error file. */
export function ProgressStep({ session }: { session: ImportSession }) {
  const { t } = useTranslation();
  const p = session.progress;
  const percent = p.totalRows ? Math.min(100, Math.round((p.rowsRead / p.totalRows) * 100)) : 0;
  const finished = ['done', 'aborted', 'failed'].includes(session.status);
  const download = session.errorFile ? (
    <Button icon={<DownloadOutlined aria-hidden />} href={errorFileUrl(session.id)} download>
      {t('imports.downloadErrors', { count: p.errorRows })}
    </Button>
  ) : null;
  if (!finished)
    return (
      <Flex vertical gap={12}>
        <Progress percent={percent} status="active" aria-label={t('imports.progress')} />
        <span aria-live="polite">
          {t(`imports.phase.${session.phase ?? 'queued'}`, { defaultValue: session.status, rows: p.rowsRead, total: p.totalRows ?? '?' })}
        </span>
      </Flex>
    );
  if (session.status === 'failed') return <Result status="error" title={t('imports.failed')} subTitle={session.lastError ?? ''} />;
  if (session.status === 'aborted')
    return <Result status="warning" title={t('imports.aborted', { count: p.errorRows })} subTitle={t('imports.abortedHint')} extra={download} />;
  return (
    <Result
      status={p.errorRows ? 'warning' : 'success'}
      title={t('imports.done', { created: p.created, updated: p.updated })}
      subTitle={p.errorRows ? t('imports.doneWithErrors', { count: p.errorRows }) : undefined}
      extra={download}
    >
      {p.errorRows > 0 && <Alert type="info" showIcon title={t('imports.errorFileHint')} />}
    </Result>
  );
}
