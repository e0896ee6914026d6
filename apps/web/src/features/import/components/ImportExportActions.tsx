import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Dropdown, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { problemText } from '../../../ui/problem';
import type { Entity } from '../../apps/api/apps.api';
import { type ExportView, exportUrl, startExportOrThrow } from '../import.api';
import { ExportJobModal } from './ExportJobModal';
import { ImportWizard } from './ImportWizard';

export type { ExportView } from '../import.api';

type Format = 'csv' | 'xlsx';

/**
 * The records page's entry point to import and export: an Import button that opens the wizard
 * (its session id kept in `?import=`, so a reload returns to it) and an Export menu of the
 * current view (its filter, sort and visible columns): a download now (.xlsx, CSV, streamed), or
 * for big views a file prepared in the background with its progress and a download link.
 */
export function ImportExportActions({
  entity,
  view = {},
  canImport = true,
  canExport = true,
}: {
  entity: Entity;
  view?: ExportView;
  /** The member may import / export records of the entity (the records page asks my-access); only those buttons show. */
  canImport?: boolean;
  canExport?: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [jobId, setJobId] = useState<string | null>(null);
  const importId = params.get('import');
  const open = params.has('import');
  const setImport = (id: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (id === null) next.delete('import');
        else next.set('import', id);
        return next;
      },
      { replace: true },
    );
  const start = useMutation({
    mutationFn: (format: Format) => startExportOrThrow({ entityId: entity.id, format, ...view }),
    onSuccess: (job) => setJobId(job.id),
    onError: (err) => void message.error(problemText(err, t)),
  });
  const pick = (key: string) => {
    if (key.startsWith('job-')) start.mutate(key.slice(4) as Format);
    else window.location.assign(exportUrl({ entityId: entity.id, format: key as Format, ...view }));
  };
  return (
    <Space>
      {canImport && (
        <Button icon={<UploadOutlined aria-hidden />} onClick={() => setImport('')}>
          {t('imports.import')}
        </Button>
      )}
      {canExport && (
        <Dropdown
          menu={{
            items: [
              { key: 'xlsx', label: t('imports.exportXlsx', { format: '.xlsx' }) },
              { key: 'csv', label: t('imports.exportCsv', { format: 'CSV' }) },
              { type: 'divider' },
              { key: 'job-xlsx', label: t('imports.exportJob.start', { format: '.xlsx' }) },
              { key: 'job-csv', label: t('imports.exportJob.start', { format: 'CSV' }) },
            ],
            onClick: ({ key }) => pick(key),
          }}
        >
          <Button icon={<DownloadOutlined aria-hidden />} loading={start.isPending}>
            {t('imports.export')}
          </Button>
        </Dropdown>
      )}
      {jobId && <ExportJobModal id={jobId} onClose={() => setJobId(null)} />}
      {open && <ImportWizard entity={entity} importId={importId || null} onImportId={(id) => setImport(id)} onClose={() => setImport(null)} />}
    </Space>
  );
}
