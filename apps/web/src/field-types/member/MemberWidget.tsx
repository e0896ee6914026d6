import type { WidgetProps } from '@rjsf/utils';
import { Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMemberSearch, useMembersById } from '../../features/org/api/org.queries';
import { directoryValue, idsOf, memberOptions } from '../shared/directory';

/**
 * Picks workspace members by name or email, searched on the server as the user types
 * (GET /api/members?q=, the first 20 active members by name); the members already picked are read
 * by id for their names (every member may read the directory of the workspace). One or several
 * per the field's `multiple` setting. The value stays the member ids.
 */
export function MemberWidget({ id, value, onChange, onBlur, disabled, readonly, schema, label, placeholder }: WidgetProps) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const members = useMemberSearch(q);
  const picked = useMembersById(idsOf(value));
  const many = schema.type === 'array';
  // The matches and the members already picked (so their names show); at most 20 plus a few: no memo needed.
  const found = members.data ?? [];
  const known = new Set(found.map((m) => m.id));
  const extra = picked.map((p) => p.data).filter((m): m is NonNullable<typeof m> => !!m && !known.has(m.id));
  const options = memberOptions({ members: [...found, ...extra], value });
  return (
    <>
      <Select
        id={id}
        aria-label={label}
        mode={many ? 'multiple' : undefined}
        showSearch={{ filterOption: false, onSearch: setQ }}
        allowClear
        loading={members.isPending}
        placeholder={placeholder || t('widgets.searchMembers')}
        disabled={disabled || readonly}
        value={directoryValue({ value, many })}
        options={options}
        onChange={(v: string | string[] | undefined) => onChange(many ? (v as string[]) : (v ?? undefined))}
        onBlur={() => {
          setQ('');
          onBlur(id, value);
        }}
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
