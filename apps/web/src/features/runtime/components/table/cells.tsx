import { Button, Popover, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { FieldCell } from '../../../../field-types/FieldCell';
import type { Entity, Field } from '../../../apps/api/apps.api';
import type { RecordRow } from '../../records.api';
import { displayOf } from '../../view-state';
import type { FieldDefinition } from '@crm/schema';

/** A relation by its target's display field (the list expands every relation), never a bare id. */
export function RelationValue({ field, record, target }: { field: Field; record: RecordRow; target: Entity | undefined }) {
  const expanded = record.expand?.[field.key];
  const list = Array.isArray(expanded) ? expanded : expanded ? [expanded] : [];
  if (!list.length) return null;
  return (
    <>
      {list.map((rec) => (
        <Tag key={rec.id} bordered={false}>
          {displayOf(target, rec)}
        </Tag>
      ))}
    </>
  );
}

/** A subform's row count that opens its rows in a small table. */
export function SubformValue({ field, rows }: { field: Field; rows: unknown }) {
  const { t } = useTranslation();
  const list = Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
  if (!list.length) return null;
  const children = ((field.settings.fields ?? []) as FieldDefinition[]).filter((c) => c.type !== 'subform');
  const content = (
    <Table
      size="small"
      rowKey={(r) => String(r.id)}
      pagination={false}
      dataSource={list}
      columns={children.map((c) => ({ key: c.key, title: c.label, dataIndex: c.key, render: (v: unknown) => <FieldCell field={c} value={v} /> }))}
      style={{ maxWidth: 640 }}
    />
  );
  return (
    <Popover content={content} title={field.label} trigger="click">
      {/* The name starts with the visible text (axe label-content-name-mismatch) and says which subform. */}
      <Button size="small" type="link" aria-label={t('table.openSubform', { field: field.label, rows: t('cells.rows', { count: list.length }) })}>
        {t('cells.rows', { count: list.length })}
      </Button>
    </Popover>
  );
}
