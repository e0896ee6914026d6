import type { FieldDefinition } from '@crm/schema';
import { Table } from 'antd';
import { FieldCell } from '../../../../field-types/FieldCell';
import type { Entity, Field } from '../../../apps/api/apps.api';
import type { RecordRow } from '../../records.api';
import { RelationValue } from '../table/cells';

/** One value on the record page: a relation by its target's display field, a subform as its rows, the rest by the field type's cell. */
export function RecordValue({ field, record, related }: { field: Field; record: RecordRow; related: Map<string, Entity> }) {
  if (field.type === 'relation') return <RelationValue field={field} record={record} target={related.get(String(field.settings.targetEntityId))} />;
  if (field.type === 'subform') return <SubformRows field={field} rows={record[field.key]} />;
  return <FieldCell field={field} value={record[field.key]} />;
}

function SubformRows({ field, rows }: { field: Field; rows: unknown }) {
  const list = Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
  if (!list.length) return null;
  const children = ((field.settings.fields ?? []) as FieldDefinition[]).filter((c) => c.type !== 'subform');
  return (
    <Table
      size="small"
      rowKey={(r) => String(r.id)}
      pagination={false}
      dataSource={list}
      scroll={{ x: 'max-content' }}
      aria-label={field.label}
      columns={children.map((c) => ({ key: c.key, title: c.label, dataIndex: c.key, render: (v: unknown) => <FieldCell field={c} value={v} /> }))}
    />
  );
}
