import { Alert, Empty, Flex, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../apps/api/apps.api';
import type { ScanResult, UnmatchedColumn, ValueMapping } from '../import.api';
import { MemberPicker, RecordPicker } from './ValuePicker';

type Options = { value: string; label: string }[];

/** The choice a value-mapping select shows: `map:<option>`, `add`, `skip` or `empty`; for members and records `pick` (the picker beside it holds the one chosen). */
const choiceOf = (vm: ValueMapping | undefined, picks: boolean) =>
  vm ? (vm.action === 'map' ? (picks ? 'pick' : `map:${String(vm.to)}`) : vm.action) : undefined;

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
  const set = (target: string, value: string, choice: string, to?: string | number) => {
    const rest = valueMappings.filter((v) => !(v.target === target && v.value === value));
    if (choice === 'pick' && to === undefined) return onChange(rest); // a member or record is still to be chosen
    const vm: ValueMapping =
      choice === 'pick'
        ? { target, value, action: 'map', to }
        : choice.startsWith('map:')
          ? { target, value, action: 'map', to: choice.slice(4) }
          : { target, value, action: choice as ValueMapping['action'] };
    onChange([...rest, vm]);
  };
  return (
    <Flex vertical gap={16}>
      <Alert type="info" showIcon title={t('imports.valuesHint')} />
      {scan.unmatched.map((col) => (
        <UnmatchedTable
          key={col.target}
          col={col}
          field={fieldOf(fields, col.target)}
          options={optionsOf(fields, col.target)}
          valueMappings={valueMappings}
          onSet={set}
        />
      ))}
    </Flex>
  );
}

/** The field a target names (`key`, or `subform.child`). */
function fieldOf(fields: Field[], target: string): Field | undefined {
  const [key, child] = target.split('.');
  const field = fields.find((f) => f.key === key);
  return child ? ((field?.settings as { fields?: Field[] } | undefined)?.fields ?? []).find((c) => c.key === child) : field;
}

function optionsOf(fields: Field[], target: string): Options {
  const def = fieldOf(fields, target);
  return ((def?.settings as { options?: Options } | undefined)?.options ?? []).map((o) => ({ value: o.value, label: o.label }));
}

type OnSet = (target: string, value: string, choice: string, to?: string | number) => void;

function UnmatchedTable({
  col,
  field,
  options,
  valueMappings,
  onSet,
}: {
  col: UnmatchedColumn;
  field: Field | undefined;
  options: Options;
  valueMappings: ValueMapping[];
  onSet: OnSet;
}) {
  const { t } = useTranslation();
  const picks = (col.kind === 'member' || col.kind === 'relation') && !!field;
  const actions = [
    ...(picks ? [{ value: 'pick', label: t(col.kind === 'member' ? 'imports.mapToMember' : 'imports.mapToRecord') }] : []),
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
        scroll={{ x: 'max-content' }}
        dataSource={col.values}
        columns={[
          { key: 'value', title: t('imports.value'), dataIndex: 'value' },
          { key: 'count', title: t('imports.cells'), dataIndex: 'count' },
          { key: 'rows', title: t('imports.rows'), render: (_, v) => v.rows.slice(0, 5).join(', ') + (v.rows.length > 5 ? '…' : '') },
          {
            key: 'action',
            title: t('imports.action'),
            render: (_, v) => (
              <ValueAction
                col={col}
                field={picks ? field : undefined}
                value={v.value}
                mapping={valueMappings.find((m) => m.target === col.target && m.value === v.value)}
                actions={actions}
                onSet={onSet}
              />
            ),
          },
        ]}
      />
      {col.truncated && <Typography.Text type="secondary">{t('imports.moreValues', { count: col.otherCount })}</Typography.Text>}
    </section>
  );
}

/** What to do with one value: the action, and for members and records the picker of the one to use. */
function ValueAction(props: {
  col: UnmatchedColumn;
  field: Field | undefined;
  value: string;
  mapping: ValueMapping | undefined;
  actions: Options;
  onSet: OnSet;
}) {
  const { col, field, value, mapping, actions, onSet } = props;
  const { t } = useTranslation();
  const chosen = choiceOf(mapping, !!field);
  const [picking, setPicking] = useState(chosen === 'pick');
  const pick = (to: string | number) => onSet(col.target, value, 'pick', to);
  return (
    <Flex gap={8} vertical>
      <Select
        aria-label={t('imports.actionFor', { value })}
        style={{ width: '100%', minWidth: 150, maxWidth: 260 }}
        value={picking ? 'pick' : chosen}
        onChange={(choice: string) => {
          setPicking(choice === 'pick');
          onSet(col.target, value, choice, choice === 'pick' ? mapping?.to : undefined);
        }}
        options={actions}
      />
      {picking && field && col.kind === 'member' && <MemberPicker value={value} to={mapping?.to} onPick={pick} />}
      {picking && field && col.kind === 'relation' && <RecordPicker field={field} value={value} to={mapping?.to} onPick={pick} />}
    </Flex>
  );
}
