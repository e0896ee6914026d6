import { CheckOutlined, CloseOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../../api/client';
import { problemText } from '../../../../ui/problem';
import type { Entity, Field } from '../../../apps/api/apps.api';
import { useUpdateRecord } from '../../hooks/records.queries';
import type { RecordRow } from '../../records.api';
import { ValueInput } from '../ValueInput';
import { useRowActive } from './ActiveRow';

/**
 * The server's words for a refused write, shown on the cell: the issue at this field's path
 * first, then the record's other issues (a form rule may name another field), else the problem's text.
 */
export function cellProblem(error: unknown, key: string, t: Parameters<typeof problemText>[1]): string {
  if (error instanceof ApiError && error.errors.length) {
    const own = error.errors.filter((e) => e.path === `/${key}` || e.path.startsWith(`/${key}/`));
    return [...own, ...error.errors.filter((e) => !own.includes(e))].map((e) => e.message).join(' ');
  }
  return problemText(error, t);
}

/**
 * A table cell the member edits in place: the edit button (drawn only while the row is hovered or
 * holds focus, see `ActiveRow`, so that scrolling mounts no buttons) swaps the value for its input; Enter or
 * the check saves through the normal write path (with the version read), Escape cancels. A refused
 * write keeps the input open with the server's message under it.
 */
export function EditableCell({ entity, field, record, children }: { entity: Entity; field: Field; record: RecordRow; children: ReactNode }) {
  const [draft, setDraft] = useState<{ value: unknown } | null>(null);
  const active = useRowActive();
  // A row not in use draws the bare value: no button, no translation hook (its listeners cost at every mount).
  if (!active && !draft) return <span>{children}</span>;
  return (
    <CellInUse entity={entity} field={field} record={record} draft={draft} onDraft={setDraft}>
      {children}
    </CellInUse>
  );
}

function CellInUse({
  entity,
  field,
  record,
  draft,
  onDraft,
  children,
}: {
  entity: Entity;
  field: Field;
  record: RecordRow;
  draft: { value: unknown } | null;
  onDraft: (d: { value: unknown } | null) => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const label = t('table.editField', { field: field.label, id: record.id });
  // The write hook lives in the editor only: the 30-odd rows in sight hold no mutation each.
  if (draft) return <CellEditor entity={entity} field={field} record={record} label={label} draft={draft} onDraft={onDraft} />;
  return (
    <Flex align="center" justify="space-between" gap={4} className="editable-cell">
      <span>{children}</span>
      <Button size="small" type="text" icon={<EditOutlined aria-hidden />} aria-label={label} onClick={() => onDraft({ value: record[field.key] ?? null })} />
    </Flex>
  );
}

function CellEditor({
  entity,
  field,
  record,
  label,
  draft,
  onDraft,
}: {
  entity: Entity;
  field: Field;
  record: RecordRow;
  label: string;
  draft: { value: unknown };
  onDraft: (d: { value: unknown } | null) => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateRecord(entity);
  const save = () => update.mutate({ record, values: { [field.key]: draft.value === '' ? null : draft.value } }, { onSuccess: () => onDraft(null) });
  const cancel = () => {
    update.reset();
    onDraft(null);
  };
  const error = update.isError ? cellProblem(update.error, field.key, t) : null;
  return (
    <div
      onKeyDown={(e) => {
        if (e.key === 'Escape') cancel();
      }}
    >
      <Flex align="center" gap={4}>
        <div style={{ flex: 1, minWidth: 100 }}>
          <ValueInput
            field={field}
            value={draft.value}
            onChange={(value) => onDraft({ value })}
            label={label}
            onEnter={save}
            autoFocus
            status={error ? 'error' : undefined}
          />
        </div>
        <Button size="small" type="primary" icon={<CheckOutlined aria-hidden />} aria-label={t('common.save')} loading={update.isPending} onClick={save} />
        <Button size="small" icon={<CloseOutlined aria-hidden />} aria-label={t('common.cancel')} onClick={cancel} />
      </Flex>
      {error && (
        <Typography.Text type="danger" role="alert" style={{ fontSize: 12 }}>
          {error}
        </Typography.Text>
      )}
    </div>
  );
}
