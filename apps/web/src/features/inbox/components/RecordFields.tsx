import type { FieldDefinition } from '@crm/schema';
import { Descriptions, Input, InputNumber, Select, Switch, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { FieldCell } from '../../../field-types/FieldCell';
import type { FieldPermission } from '../api/inbox.api';

const TEXT = new Set(['text', 'email', 'phone', 'url']);
const NUMBER = new Set(['number', 'money', 'rating']);

/** Whether this browser can edit the type in a task (others stay read-only here and are edited on the record page). */
export function editableInTask(type: string): boolean {
  return TEXT.has(type) || NUMBER.has(type) || type === 'textarea' || type === 'switch' || type === 'select' || type === 'radio';
}

interface Props {
  fields: readonly FieldDefinition[];
  values: Record<string, unknown>;
  permissions: Record<string, FieldPermission>;
  /** The fields the node unlocks for this assignee; the rest is read only. */
  editable: readonly string[];
  draft: Record<string, unknown>;
  onDraft(key: string, value: unknown): void;
  errors?: Record<string, string>;
}

/** The record as the task's node shows it: hidden fields left out, the node's editable fields unlocked. */
export function RecordFields({ fields, values, permissions, editable, draft, onDraft, errors = {} }: Props) {
  const { t } = useTranslation();
  const shown = fields.filter((f) => (permissions[f.key] ?? 'visible') !== 'hidden');
  return (
    <Descriptions
      bordered
      size="small"
      column={1}
      items={shown.map((f) => {
        const open = editable.includes(f.key) && editableInTask(f.type);
        const required = permissions[f.key] === 'required';
        const value = f.key in draft ? draft[f.key] : values[f.key];
        return {
          key: f.key,
          label: (
            <label htmlFor={open ? `task-field-${f.key}` : undefined}>
              {f.label}
              {required && <Typography.Text type="danger"> *</Typography.Text>}
            </label>
          ),
          children: open ? (
            <>
              <FieldEditor field={f} value={value} onChange={(v) => onDraft(f.key, v)} />
              <Tag color="blue" style={{ marginInlineStart: 8 }} bordered={false}>
                {t('inbox.task.editable')}
              </Tag>
              {errors[f.key] && (
                <div>
                  <Typography.Text type="danger">{errors[f.key]}</Typography.Text>
                </div>
              )}
            </>
          ) : (
            <FieldCell field={f} value={value} />
          ),
        };
      })}
    />
  );
}

function FieldEditor({ field, value, onChange }: { field: FieldDefinition; value: unknown; onChange(v: unknown): void }) {
  const id = `task-field-${field.key}`;
  if (NUMBER.has(field.type))
    return (
      <InputNumber
        id={id}
        controls={false}
        value={typeof value === 'number' || typeof value === 'string' ? Number(value) : null}
        onChange={(v) => onChange(v)}
        style={{ minWidth: 160 }}
      />
    );
  if (field.type === 'switch') return <Switch id={id} checked={value === true} onChange={(v) => onChange(v)} />;
  if (field.type === 'select' || field.type === 'radio') {
    const options = ((field.settings?.options as { value: string; label: string }[] | undefined) ?? []).map((o) => ({ value: o.value, label: o.label }));
    return (
      <Select
        id={id}
        value={(value as string | null) ?? undefined}
        allowClear
        options={options}
        onChange={(v) => onChange(v ?? null)}
        style={{ minWidth: 160 }}
      />
    );
  }
  if (field.type === 'textarea') return <Input.TextArea id={id} autoSize value={(value as string | null) ?? ''} onChange={(e) => onChange(e.target.value)} />;
  return <Input id={id} value={(value as string | null) ?? ''} onChange={(e) => onChange(e.target.value)} style={{ maxWidth: 360 }} />;
}
