import type { FieldPermission } from '@crm/workflow';
import { Radio, Table, Typography } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesignContext } from '../node-type-ui';
import { ProblemText } from './ProblemText';

const ALL: FieldPermission[] = ['hidden', 'visible', 'editable', 'required'];

interface Props {
  value: Record<string, FieldPermission>;
  onChange(next: Record<string, FieldPermission>): void;
  ctx: DesignContext;
  /** What the node may grant: copies (cc) only show or hide. */
  options?: FieldPermission[];
  caption: string;
}

/**
 * 字段权限: hidden / visible / editable / required for every field of the entity. Visible is the
 * default and is not stored (the package treats a missing field as visible).
 */
export function FieldPermissionTable({ value, onChange, ctx, options = ALL, caption }: Props) {
  const { t } = useTranslation();
  const captionId = useId();
  const set = (key: string, permission: FieldPermission) => {
    const next = { ...value };
    if (permission === 'visible') delete next[key];
    else next[key] = permission;
    onChange(next);
  };
  // Fields the settings name that the entity no longer has: shown so the admin can clear them.
  const gone = Object.keys(value).filter((k) => !ctx.fields.some((f) => f.key === k));
  const rows = [...ctx.fields.map((f) => ({ key: f.key, label: f.label })), ...gone.map((k) => ({ key: k, label: k }))];
  return (
    <div>
      <Typography.Text strong id={captionId}>
        {caption}
      </Typography.Text>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        aria-labelledby={captionId}
        dataSource={rows}
        locale={{ emptyText: t('workflows.fields.none') }}
        columns={[
          {
            title: t('workflows.fields.field'),
            dataIndex: 'label',
            render: (label: string, row) => (
              <>
                <div>{label}</div>
                <ProblemText messages={ctx.problemsAt(`/fields/${row.key}`)} />
              </>
            ),
          },
          {
            title: t('workflows.fields.permission'),
            render: (_, row) => (
              <Radio.Group
                size="small"
                aria-label={t('workflows.fields.permissionOf', { field: row.label })}
                optionType="button"
                disabled={ctx.readOnly}
                value={value[row.key] ?? 'visible'}
                onChange={(e) => set(row.key, e.target.value as FieldPermission)}
                options={options.map((p) => ({ value: p, label: t(`workflows.fields.${p}`) }))}
              />
            ),
          },
        ]}
      />
    </div>
  );
}
