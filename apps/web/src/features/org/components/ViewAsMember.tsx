import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../../api/query-keys';
import { api, callOrThrow } from '../../../api/typed-client';
import { ErrorState, LoadingState } from '../../../ui/states';
import type { Entity } from '../../apps/api/apps.api';
import { useMembers } from '../api/org.queries';

/** "View as member": the server says what that member would see of this entity and may change. */
export function ViewAsMember({ entity }: { entity: Entity }) {
  const { t } = useTranslation();
  const members = useMembers();
  const [memberId, setMemberId] = useState<string | null>(null);
  const preview = useQuery({
    queryKey: queryKeys.accessPreview(entity.id, memberId ?? ''),
    enabled: memberId !== null,
    staleTime: 0,
    queryFn: ({ signal }) =>
      callOrThrow(
        api.GET('/api/entities/{entityId}/access-preview', { params: { path: { entityId: String(entity.id) }, query: { memberId: memberId! } }, signal }),
      ),
  });
  const p = preview.data;
  const title = entity.displayField ?? entity.fields[0]?.key;
  return (
    <Card title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('perm.viewAs.title')}</h2>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <label htmlFor="view-as-member">{t('perm.viewAs.pick')}</label>
        <Select
          id="view-as-member"
          aria-label={t('perm.viewAs.pick')}
          showSearch={{ optionFilterProp: 'label' }}
          style={{ width: '100%', maxWidth: 320 }}
          value={memberId ?? undefined}
          onChange={setMemberId}
          options={(members.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
        />
        {preview.isFetching && <LoadingState />}
        {preview.isError && <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />}
        {p && !preview.isFetching && (
          <>
            {p.administers && <Alert type="info" showIcon title={t('perm.viewAs.administers', { name: p.member.name })} />}
            {!p.visible && <Alert type="warning" showIcon title={t('perm.viewAs.invisible', { name: p.member.name })} />}
            {p.member.status === 'disabled' && <Alert type="warning" showIcon title={t('perm.viewAs.disabled')} />}
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'groups', label: t('perm.viewAs.groups'), children: p.groups.length ? p.groups.map((g) => <Tag key={g.id}>{g.name}</Tag>) : '—' },
                {
                  key: 'actions',
                  label: t('perm.viewAs.actions'),
                  children: (
                    <Space size={4} wrap>
                      {p.actions
                        .filter((a) => a.allowed)
                        .map((a) => (
                          <Tag key={a.action}>
                            {t(`perm.actionNames.${a.action}`)} · {scopeText(a.scope, t)}
                          </Tag>
                        ))}
                      {!p.actions.some((a) => a.allowed) && t('perm.viewAs.nothing')}
                    </Space>
                  ),
                },
                {
                  key: 'hidden',
                  label: t('perm.viewAs.hidden'),
                  children:
                    p.fields
                      .filter((f) => !f.readable)
                      .map((f) => f.label)
                      .join('、') || '—',
                },
                {
                  key: 'readonly',
                  label: t('perm.viewAs.readOnly'),
                  children:
                    p.fields
                      .filter((f) => f.readable && !f.editableOnEdit)
                      .map((f) => f.label)
                      .join('、') || '—',
                },
              ]}
            />
            {p.records && (
              <>
                <Typography.Text>{t('perm.viewAs.count', { count: p.records.count })}</Typography.Text>
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  aria-label={t('perm.viewAs.records')}
                  dataSource={p.records.items as { id: number; [k: string]: unknown }[]}
                  columns={[
                    { key: 'id', title: '#', dataIndex: 'id' },
                    ...(title
                      ? [
                          {
                            key: 'title',
                            title: entity.fields.find((f) => f.key === title)?.label ?? title,
                            render: (_: unknown, r: Record<string, unknown>) => String(r[title] ?? ''),
                          },
                        ]
                      : []),
                  ]}
                />
              </>
            )}
          </>
        )}
      </Space>
    </Card>
  );
}

function scopeText(scope: { kind: string; terms?: { kind: string }[] }, t: (k: string) => string): string {
  if (scope.kind !== 'terms') return t(`perm.scopes.${scope.kind}`);
  return (scope.terms ?? []).map((term) => t(`perm.scopes.${term.kind}`)).join(' / ');
}
