import { Alert, Descriptions, Flex, Radio, Select, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../apps/api/apps.api';
import type { ImportChoices, RowProblem, ScanResult } from '../import.api';

const DATE_FORMATS = ['auto', 'YMD', 'MDY', 'DMY'] as const;

/** Step 4: the first rows as they will be written with their problems, the counts, and how to write. */
export function PreviewStep({
  scan,
  fields,
  choices,
  onChange,
}: {
  scan: ScanResult;
  fields: Field[];
  choices: ImportChoices;
  onChange: (c: ImportChoices) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  const headers = scan.mapping.columns;
  const unique = fields.filter((f) => f.unique || f.type === 'serial');
  const problems = (errors: RowProblem[]) => errors.map((e) => e.message[locale]).join('; ');
  return (
    <Flex vertical gap={16}>
      <Descriptions
        size="small"
        column={{ xs: 2, sm: 4 }}
        items={[
          { key: 'total', label: t('imports.totalRows'), children: scan.totalRows },
          { key: 'valid', label: t('imports.validRows'), children: scan.validRows },
          { key: 'errors', label: t('imports.errorRows'), children: scan.errorRows },
          { key: 'updates', label: t('imports.updates'), children: scan.updates },
        ]}
      />
      {scan.dateHints.length > 0 && (
        <Alert type="warning" showIcon title={t('imports.dateHint', { orders: scan.dateHints.flatMap((h) => h.orders).join(', ') || '—' })} />
      )}
      <Flex gap={16} wrap>
        <Flex vertical gap={4}>
          <Typography.Text id="import-write-label">{t('imports.mode')}</Typography.Text>
          <Radio.Group
            aria-labelledby="import-write-label"
            value={choices.write ?? 'valid-rows'}
            onChange={(e) => onChange({ ...choices, write: e.target.value as ImportChoices['write'] })}
            options={[
              { value: 'valid-rows', label: t('imports.validOnly') },
              { value: 'all-or-nothing', label: t('imports.allOrNothing') },
            ]}
          />
        </Flex>
        <Flex vertical gap={4}>
          <label htmlFor="import-upsert">{t('imports.upsertBy')}</label>
          <Select
            id="import-upsert"
            style={{ width: 200 }}
            value={choices.upsertBy ?? ''}
            onChange={(v: string) => onChange({ ...choices, upsertBy: v || null })}
            options={[{ value: '', label: t('imports.createOnly') }, ...unique.map((f) => ({ value: f.key, label: f.label }))]}
          />
        </Flex>
        <Flex vertical gap={4}>
          <label htmlFor="import-dates">{t('imports.dateFormat')}</label>
          <Select
            id="import-dates"
            style={{ width: 200 }}
            value={choices.dateFormat ?? 'auto'}
            onChange={(v: ImportChoices['dateFormat']) => onChange({ ...choices, dateFormat: v })}
            options={DATE_FORMATS.map((d) => ({ value: d, label: t(`imports.dates.${d}`) }))}
          />
        </Flex>
      </Flex>
      <Table
        size="small"
        rowKey="rowNumber"
        pagination={false}
        scroll={{ x: 'max-content', y: 300 }}
        dataSource={scan.preview}
        columns={[
          { key: 'row', title: t('imports.row'), dataIndex: 'rowNumber', fixed: 'left' as const },
          ...headers.map((h) => ({
            key: `c${h.column}`,
            title: h.header || h.letter,
            render: (_: unknown, r: ScanResult['preview'][number]) => r.cells[h.column] ?? '',
          })),
          {
            key: 'problems',
            title: t('imports.problems'),
            render: (_: unknown, r: ScanResult['preview'][number]) =>
              r.errors.length ? <Typography.Text type="danger">{problems(r.errors)}</Typography.Text> : t('imports.ok'),
          },
        ]}
      />
    </Flex>
  );
}
