import { Alert, Select, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ColumnMapping, ImportSession } from '../import.api';

/** Step 2: each column of the file → a field (proposed by label in both languages, changeable). */
export function ColumnsStep({ session, mapping, onChange }: { session: ImportSession; mapping: ColumnMapping[]; onChange: (m: ColumnMapping[]) => void }) {
  const { t } = useTranslation();
  const report = session.mapping!;
  const importable = report.targets.filter((x) => x.importable !== 'no');
  const chosen = new Set(mapping.flatMap((m) => (m.target ? [m.target] : [])));
  const missing = report.targets.filter((x) => report.missingRequired.some((m) => m.path === x.path) && !chosen.has(x.path));
  const setTarget = (column: number, target: string | null) => onChange(mapping.map((m) => (m.column === column ? { ...m, target } : m)));
  return (
    <>
      {missing.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('imports.missingRequired', { fields: missing.map((m) => m.label).join(', ') })} />
      )}
      <Table
        size="small"
        rowKey="column"
        pagination={false}
        dataSource={report.columns}
        scroll={{ y: 360 }}
        columns={[
          { key: 'letter', title: t('imports.column'), render: (_, c) => `${c.letter} · ${c.header || t('imports.blankHeader')}` },
          {
            key: 'target',
            title: t('imports.field'),
            render: (_, c) => (
              <Select
                aria-label={t('imports.fieldFor', { column: c.header || c.letter })}
                style={{ width: 240 }}
                allowClear
                placeholder={t('imports.notImported')}
                value={mapping.find((m) => m.column === c.column)?.target ?? undefined}
                onChange={(v: string | undefined) => setTarget(c.column, v ?? null)}
                options={importable.map((x) => ({
                  value: x.path,
                  label: x.label,
                  disabled: chosen.has(x.path) && mapping.find((m) => m.column === c.column)?.target !== x.path,
                }))}
              />
            ),
          },
          { key: 'how', title: t('imports.matched'), render: (_, c) => (c.how ? <Tag>{t(`imports.how.${c.how}`, { defaultValue: c.how })}</Tag> : null) },
        ]}
      />
    </>
  );
}
