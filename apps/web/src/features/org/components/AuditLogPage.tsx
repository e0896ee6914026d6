import type { Schema } from '@crm/api-client';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Flex, Input, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../../api/query-keys';
import { api, callOrThrow } from '../../../api/typed-client';
import { ErrorState } from '../../../ui/states';
import { useApps, useEntities } from '../../apps/hooks/apps.queries';
import { useMembers } from '../api/org.queries';

type Entry = Schema<'AuditEntry'>;
type Page = { items: Entry[]; nextCursor: string | null };
interface Filters {
  actorId?: string;
  action?: string;
  appId?: string;
  entityId?: string;
  from?: string;
  to?: string;
}

/** 审计日志 (workspace admins): who did what when, filtered by actor, action, entity and dates; each entry's field changes. */
export function AuditLogPage() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const members = useMembers();
  const names = useMemo(() => new Map((members.data ?? []).map((m) => [m.id, m.name])), [members.data]);
  const { appId, ...query } = filters;
  const log = useInfiniteQuery({
    queryKey: queryKeys.audit(query),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Page) => last.nextCursor ?? undefined,
    queryFn: ({ pageParam, signal }): Promise<Page> =>
      callOrThrow(api.GET('/api/audit', { params: { query: { ...query, limit: 50, cursor: pageParam } }, signal })),
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 1200 }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('audit.title')}
      </Typography.Title>
      <AuditFilters filters={filters} onChange={setFilters} appId={appId} />
      <Card>
        {log.isError ? (
          <ErrorState error={log.error} onRetry={() => void log.refetch()} />
        ) : (
          <Table<Entry>
            rowKey="id"
            size="small"
            loading={log.isPending}
            dataSource={items}
            pagination={false}
            scroll={{ x: 800 }}
            locale={{ emptyText: <Typography.Text type="secondary">{t('audit.none')}</Typography.Text> }}
            expandable={{ expandedRowRender: (e) => <Changes changes={e.changes} />, rowExpandable: (e) => e.changes !== null && e.changes !== undefined }}
            columns={[
              { key: 'at', title: t('audit.at'), render: (_, e) => new Date(e.at).toLocaleString(i18n.language) },
              {
                key: 'actor',
                title: t('audit.actor'),
                render: (_, e) => (e.actorId ? (names.get(e.actorId) ?? e.actorId) : t(`audit.actorKinds.${e.actorKind}`, { defaultValue: e.actorKind })),
              },
              { key: 'action', title: t('audit.action'), render: (_, e) => <code>{e.action}</code> },
              { key: 'target', title: t('audit.target'), render: (_, e) => [e.targetType, e.recordId ?? e.targetId].filter(Boolean).join(' ') },
              { key: 'ip', title: t('audit.ip'), dataIndex: 'ip' },
            ]}
          />
        )}
        {log.hasNextPage && (
          <Flex justify="center" style={{ marginTop: 12 }}>
            <Button loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
              {t('audit.more')}
            </Button>
          </Flex>
        )}
      </Card>
    </Space>
  );
}

function AuditFilters({ filters, onChange, appId }: { filters: Filters; onChange: (f: Filters) => void; appId?: string }) {
  const { t } = useTranslation();
  const members = useMembers();
  const apps = useApps();
  const entities = useEntities(appId ?? '');
  const [action, setAction] = useState(filters.action ?? '');
  const range = (dates: [Dayjs | null, Dayjs | null] | null) =>
    onChange({ ...filters, from: dates?.[0]?.startOf('day').toISOString(), to: dates?.[1]?.endOf('day').toISOString() });
  return (
    <Card size="small">
      <Flex gap={12} wrap align="end">
        <Space orientation="vertical" size={2}>
          <label htmlFor="audit-actor">{t('audit.actor')}</label>
          <Select
            id="audit-actor"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 200 }}
            value={filters.actorId}
            onChange={(actorId) => onChange({ ...filters, actorId })}
            options={(members.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
          />
        </Space>
        <Space orientation="vertical" size={2}>
          <label htmlFor="audit-action">{t('audit.action')}</label>
          <Input.Search
            id="audit-action"
            allowClear
            style={{ width: 220 }}
            placeholder={t('audit.actionHint')}
            value={action}
            onChange={(e) => setAction(e.target.value)}
            onSearch={(v) => onChange({ ...filters, action: v.trim() || undefined })}
          />
        </Space>
        <Space orientation="vertical" size={2}>
          <label htmlFor="audit-app">{t('audit.app')}</label>
          <Select
            id="audit-app"
            allowClear
            style={{ width: 180 }}
            value={appId}
            onChange={(id) => onChange({ ...filters, appId: id, entityId: undefined })}
            options={(apps.data ?? []).map((a) => ({ value: String(a.id), label: a.name }))}
          />
        </Space>
        <Space orientation="vertical" size={2}>
          <label htmlFor="audit-entity">{t('audit.entity')}</label>
          <Select
            id="audit-entity"
            allowClear
            disabled={!appId}
            style={{ width: 180 }}
            value={filters.entityId}
            onChange={(entityId) => onChange({ ...filters, entityId })}
            options={(appId ? (entities.data ?? []) : []).map((e) => ({ value: String(e.id), label: e.name }))}
          />
        </Space>
        <Space orientation="vertical" size={2}>
          <span id="audit-dates">{t('audit.dates')}</span>
          <DatePicker.RangePicker aria-labelledby="audit-dates" allowEmpty={[true, true]} onChange={(d) => range(d as [Dayjs | null, Dayjs | null] | null)} />
        </Space>
      </Flex>
    </Card>
  );
}

const isDiff = (x: unknown): x is { from?: unknown; to?: unknown } => typeof x === 'object' && x !== null && ('from' in x || 'to' in x);
const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** Field-level `{from, to}` as a table; anything else the action recorded as JSON. */
function Changes({ changes }: { changes: unknown }) {
  const { t } = useTranslation();
  if (typeof changes === 'object' && changes !== null && !Array.isArray(changes)) {
    const rows = Object.entries(changes as Record<string, unknown>).filter(([, v]) => isDiff(v));
    if (rows.length > 0 && rows.length === Object.keys(changes).length) {
      return (
        <Table
          size="small"
          rowKey="0"
          pagination={false}
          dataSource={rows}
          aria-label={t('audit.changes')}
          columns={[
            { key: 'field', title: t('audit.field'), render: (_, [k]) => k },
            { key: 'from', title: t('audit.from'), render: (_, [, v]) => <Typography.Text delete>{show((v as { from?: unknown }).from)}</Typography.Text> },
            { key: 'to', title: t('audit.to'), render: (_, [, v]) => <Typography.Text>{show((v as { to?: unknown }).to)}</Typography.Text> },
          ]}
        />
      );
    }
  }
  return <pre style={{ margin: 0, whiteSpace: 'pre-wrap', fontSize: 12 }}>{JSON.stringify(changes, null, 2)}</pre>;
}
