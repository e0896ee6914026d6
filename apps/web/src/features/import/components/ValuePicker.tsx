import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../apps/api/apps.api';
import { useEntity } from '../../apps/hooks/apps.queries';
import { useMembers } from '../../org/api/org.queries';
import { listRecordsOrThrow } from '../../runtime/records.api';
import { displayOf } from '../../runtime/view-state';

interface PickerProps {
  value: string;
  to: string | number | undefined;
  onPick: (to: string | number) => void;
}

const pickerStyle = { width: '100%', minWidth: 150, maxWidth: 260 };

/** An active member of the workspace (the member directory, searched by name or email). */
export function MemberPicker({ value, to, onPick }: PickerProps) {
  const { t } = useTranslation();
  const members = useMembers();
  const options = (members.data ?? []).filter((m) => m.status === 'active').map((m) => ({ value: m.id, label: m.email ? `${m.name} <${m.email}>` : m.name }));
  return (
    <Select
      aria-label={t('imports.memberFor', { value })}
      placeholder={t('imports.pickMember')}
      style={pickerStyle}
      loading={members.isPending}
      showSearch={{ optionFilterProp: 'label' }}
      value={typeof to === 'string' ? to : undefined}
      onChange={(id: string) => onPick(id)}
      options={options}
      notFoundContent={members.isError ? members.error.message : undefined}
    />
  );
}

/** A record of the relation's target entity, searched on the server by its display field. */
export function RecordPicker({ field, value, to, onPick }: PickerProps & { field: Field }) {
  const { t } = useTranslation();
  const targetId = String(field.settings.targetEntityId ?? '');
  const target = useEntity(targetId);
  const [term, setTerm] = useState('');
  const search = useDeferredValue(term.trim());
  const displayKey = target.data?.displayField ?? target.data?.fields.find((f) => f.type === 'text')?.key;
  const found = useQuery({
    queryKey: ['imports', 'record-picker', targetId, displayKey ?? '', search],
    enabled: !!target.data,
    queryFn: ({ signal }) =>
      listRecordsOrThrow({
        entityId: targetId,
        limit: 20,
        cursor: null,
        params: { ...(search && displayKey ? { filter: { contains: [{ var: displayKey }, search] } } : {}), ...(displayKey ? { sort: displayKey } : {}) },
        signal,
      }),
  });
  const options = (found.data?.items ?? []).map((r) => ({ value: Number(r.id), label: `${displayOf(target.data, r) ?? ''} (#${String(r.id)})` }));
  return (
    <Select
      aria-label={t('imports.recordFor', { value })}
      placeholder={t('imports.pickRecord')}
      style={pickerStyle}
      loading={found.isFetching}
      showSearch={{ filterOption: false, onSearch: setTerm }}
      value={typeof to === 'number' ? to : undefined}
      onChange={(id: number) => onPick(id)}
      options={to !== undefined && !options.some((o) => o.value === to) ? [{ value: Number(to), label: `#${String(to)}` }, ...options] : options}
      notFoundContent={found.isError ? found.error.message : undefined}
    />
  );
}
