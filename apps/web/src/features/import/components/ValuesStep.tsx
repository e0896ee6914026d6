import { Alert, Empty, Flex, Select, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../apps/api/apps.api';
import type { ScanResult, UnmatchedColumn, ValueMapping } from '../import.api';

type Options = { value: string; label: string }[];

/** The choice a value-mapping select shows: `map:<option>`, `add`, `skip` or `empty`. */
const choiceOf = (vm: ValueMapping | undefined) => (vm ? (vm.action === 'map' ? `map:${String(vm.to)}` : vm.action) : undefined);

/** Step 3: every value of the file that matched nothing, and what to do with it; nothing is dropped silently. */
export function ValuesStep({
  scan,
  fields,
  valueMappings,
  onChange,
}: {
  scan: ScanResult;
  fields: Field[];
  valueMappings: ValueMapping[];
  onChange: (v: ValueMapping[]) => void;
}) {
  const { t } = useTranslation();
  if (scan.unmatched.length === 0) return <Empty description={t('imports.allMatched')} />;
  const set = (target: string, value: string, choice: string) => {
    const rest = valueMappings.filter((v) => !(v.target === target && v.value === value));
    const vm: ValueMapping = choice.startsWith('map:')
      ? { target, value, action: 'map', to: choice.slice(4) }
      : { target, value, action: choice as ValueMapping['action'] };
    onChange([...rest, vm]);
  };
  return (
    <Flex vertical gap={16}>
      <Alert type="info" showIcon title={t('imports.valuesHint')} />
      {scan.unmatched.map((col) => (
        <UnmatchedTable key={col.target} col={col} options={optionsOf(fields, col.target)} valueMappings={valueMappings} onSet={set} />
      ))}
    </Flex>
  );
}

function optionsOf(fields: Field[], target: string): Options {
  const [key, child] = target.split('.');
  const field = fields.find((f) => f.key === key);
  const def = child ? ((field?.settings as { fields?: Field[] } | undefined)?.fields ?? []).find((c) => c.key === child) : field;
  return ((def?.settings as { options?: Options } | undefined)?.options ?? []).map((o) => ({ value: o.value, label: o.label }));
}

function UnmatchedTable({
  col,
  options,
  valueMappings,
  onSet,
}: {
  col: UnmatchedColumn;
  options: Options;
  valueMappings: ValueMapping[];
  onSet: (target: string, value: string, choice: string) => void;
}) {
  const { t } = useTranslation();
  const actions = [
    ...options.map((o) => ({ value: `map:${o.value}`, label: t('imports.mapTo', { option: o.label }) })),
    ...(col.kind === 'choice' ? [{ value: 'add', label: t('imports.addOption') }] : []),
    { value: 'skip', label: t('imports.skipRows') },
    { value: 'empty', label: t('imports.leaveEmpty') },
  ];
  return (
    <section aria-label={t('imports.unmatchedIn', { column: col.header })}>
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        {t('imports.unmatchedIn', { column: col.header })}
      </Typography.Title>
      <Table
        size="small"
        rowKey="value"
        pagination={false}
        dataSource={col.values}
        columns={[
          { key: 'value', title: t('imports.value'), dataIndex: 'value' },
          { key: 'count', title: t('imports.cells'), dataIndex: 'count' },
          { key: 'rows', title: t('imports.rows'), render: (_, v) => v.rows.slice(0, 5).join(', ') + (v.rows.length > 5 ? '…' : '') },
          {
            key: 'action',
            title: t('imports.action'),
            render: (_, v) => (
              <Select
                aria-label={t('imports.actionFor', { value: v.value })}
                style={{ width: '100%', minWidth: 150, maxWidth: 260 }}
                value={choiceOf(valueMappings.find((m) => m.target === col.target && m.value === v.value))}
                onChange={(choice: string) => onSet(col.target, v.value, choice)}
                options={actions}
              />
            ),
          },
        ]}
      />
      {col.truncated && <Typography.Text type="secondary">{t('imports.moreValues', { count: col.otherCount })}</Typography.Text>}
    </section>
  );
}
