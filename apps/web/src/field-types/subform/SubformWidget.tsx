import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { FieldDefinition } from '@crm/schema';
import type { WidgetProps } from '@rjsf/utils';
import { Button, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../shared/format-value';
import { useFieldDefinition } from '../shared/widget-context';
import { ChildInput } from './ChildInput';
import { columnTotals, computeRows, type Row, rowPlanOf, totalledChildren, withoutComputed } from './subform-rows';

/**
 * A subform as an editable table: one input per child field in each row, add and remove rows,
 * row formulas computed as the user types (the shared rules package) and a totals row for the
 * number and money columns. The value holds only what the user typed: the server computes the
 * formula columns again.
 */
export function SubformWidget({ id, name, value, onChange, disabled, readonly, label, schema }: WidgetProps) {
  const { t } = useTranslation();
  const field = useFieldDefinition(name);
  const children = useMemo(() => (field?.settings?.fields as FieldDefinition[] | undefined) ?? [], [field]);
  const plan = useMemo(() => rowPlanOf(field), [field]);
  const typed = useMemo(() => (Array.isArray(value) ? (value as Row[]) : []), [value]);
  const rows = useMemo(() => (field ? computeRows({ field, plan, rows: typed }) : typed), [field, plan, typed]);
  const totals = useMemo(() => columnTotals({ children, rows }), [children, rows]);
  const hasTotals = totalledChildren(children).length > 0;
  const maxRows = typeof schema.maxItems === 'number' ? schema.maxItems : 200;
  const busy = disabled || readonly;
  const emit = (next: Row[]) => onChange(withoutComputed({ children, rows: next }));
  const setCell = (i: number, key: string, v: unknown) => emit(typed.map((r, n) => (n === i ? { ...r, [key]: v } : r)));

  const columns = [
    ...children.map((c) => ({
      key: c.key,
      title: c.label,
      minWidth: 120,
      render: (_: unknown, _row: Row, i: number) => (
        <ChildInput
          field={c}
          value={rows[i]?.[c.key]}
          disabled={busy}
          label={t('widgets.cellLabel', { column: c.label, row: i + 1 })}
          onChange={(v) => setCell(i, c.key, v)}
          subformKey={name}
          row={rows[i]}
          id={`${id}_${i}_${c.key}`}
        />
      ),
    })),
    {
      key: '_remove',
      title: t('widgets.rowActions'),
      width: 56,
      render: (_: unknown, _row: Row, i: number) => (
        <Button
          type="text"
          danger
          icon={<DeleteOutlined aria-hidden />}
          aria-label={t('widgets.removeRow', { row: i + 1 })}
          disabled={busy}
          onClick={() => emit(typed.filter((_r, n) => n !== i))}
        />
      ),
    },
  ];

  return (
    <div id={id} role="group" aria-label={label}>
      <Table<Row>
        size="small"
        bordered
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowKey="__row"
        dataSource={rows.map((r, i) => ({ ...r, __row: i }))}
        columns={columns}
        // antd draws a plain empty text in its placeholder grey, too faint to read (axe color-contrast).
        locale={{ emptyText: <Typography.Text type="secondary">{t('widgets.noRows')}</Typography.Text> }}
        summary={() =>
          hasTotals && rows.length > 0 ? (
            <Table.Summary.Row>
              {children.map((c, i) => (
                <Table.Summary.Cell key={c.key} index={i}>
                  {c.key in totals ? (
                    <Typography.Text strong aria-label={t('widgets.totalOf', { column: c.label })}>
                      {formatNumber({ value: totals[c.key] })}
                    </Typography.Text>
                  ) : i === 0 ? (
                    <Typography.Text strong>{t('widgets.total')}</Typography.Text>
                  ) : null}
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={children.length} />
            </Table.Summary.Row>
          ) : null
        }
      />
      <Button
        icon={<PlusOutlined aria-hidden />}
        style={{ marginTop: 8 }}
        disabled={busy || typed.length >= maxRows}
        onClick={() => emit([...typed, {}])}
        aria-label={t('widgets.addRowTo', { field: label })}
      >
        {t('widgets.addRow')}
      </Button>
    </div>
  );
}
