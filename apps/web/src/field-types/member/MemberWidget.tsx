import type { WidgetProps } from '@rjsf/utils';
import { Select, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useMembers } from '../../features/org/api/org.queries';
import { directoryValue, memberOptions } from '../shared/directory';

/**
 * Picks workspace members by name or email (GET /api/members: every member may read the
 * directory of the workspace, so the names of values already set show to everyone); one or
 * several per the field's `multiple` setting. The value stays the member ids.
 */
export function MemberWidget({ id, value, onChange, onBlur, disabled, readonly, schema, label, placeholder }: WidgetProps) {
  const { t } = useTranslation();
  const members = useMembers();
  const many = schema.type === 'array';
  const options = useMemo(() => memberOptions({ members: members.data ?? [], value }), [members.data, value]);
  return (
    <>
      <Select
        id={id}
        aria-label={label}
        mode={many ? 'multiple' : undefined}
        showSearch={{ optionFilterProp: 'search' }}
        allowClear
        loading={members.isPending}
        placeholder={placeholder || t('widgets.searchMembers')}
        disabled={disabled || readonly}
        value={directoryValue({ value, many })}
        options={options}
        onChange={(v: string | string[] | undefined) => onChange(many ? (v as string[]) : (v ?? undefined))}
        onBlur={() => onBlur(id, value)}
        notFoundContent={members.isError ? t('widgets.directoryUnavailable') : t('widgets.noMatch')}
        optionRender={(o) => (
          <span>
            {o.data.label} {o.data.email ? <Typography.Text type="secondary">{o.data.email}</Typography.Text> : null}
          </span>
        )}
        style={{ width: '100%' }}
      />
    </>
  );
}
