import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Dropdown, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Entity } from '../../apps/api/apps.api';
import { exportUrl } from '../import.api';
import { ImportWizard } from './ImportWizard';

/** What the records page's view is showing, so an export writes the same records and columns. */
export interface ExportView {
  filter?: unknown;
  sort?: string;
  columns?: string[];
}

/**
 * The records page's entry point to import and export: an Import button that opens the wizard
 * (its session id kept in `?import=`, so a reload returns to it) and an Export menu (.xlsx, CSV)
 * of the current view.
 */
export function ImportExportActions({ entity, view = {} }: { entity: Entity; view?: ExportView }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
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
  const download = (format: 'csv' | 'xlsx') => {
    window.location.assign(exportUrl({ entityId: entity.id, format, ...view }));
  };
  return (
    <Space>
      <Button icon={<UploadOutlined aria-hidden />} onClick={() => setImport('')}>
        {t('imports.import')}
      </Button>
      <Dropdown
        menu={{
          items: [
            { key: 'xlsx', label: t('imports.exportXlsx', { format: '.xlsx' }) },
            { key: 'csv', label: t('imports.exportCsv', { format: 'CSV' }) },
          ],
          onClick: ({ key }) => download(key as 'csv' | 'xlsx'),
        }}
      >
        <Button icon={<DownloadOutlined aria-hidden />}>{t('imports.export')}</Button>
      </Dropdown>
      {open && <ImportWizard entity={entity} importId={importId || null} onImportId={(id) => setImport(id)} onClose={() => setImport(null)} />}
    </Space>
  );
}
