import { Empty, Table, Tag, Timeline, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldCell } from '../../../../field-types/FieldCell';
import { useMembers } from '../../../org/api/org.queries';
import { ErrorState, LoadingState } from '../../../../ui/states';
import type { Entity } from '../../../apps/api/apps.api';
import type { HistoryEntry } from '../../record-page.api';
import { useRecordHistory } from '../../hooks/record-page.queries';

interface Change {
  key: string;
  label: string;
  from: unknown;
  to: unknown;
}

const SYSTEM = new Set(['ownerId']);
const empty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** 数据日志: who changed what and when, newest first, each change as the field's value before and after. */
export function RecordHistory({ entity, recordId }: { entity: Entity; recordId: string }) {
  const { t, i18n } = useTranslation();
  const history = useRecordHistory(entity.id, recordId);
  const members = useMembers();
  const names = useMemo(() => new Map((members.data ?? []).map((m) => [m.id, m.name])), [members.data]);
  if (history.isError) return <ErrorState error={history.error} onRetry={() => void history.refetch()} />;
  if (history.isPending) return <LoadingState />;
  if (!history.data.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('recordPage.history.empty')} />;
  const byKey = new Map(entity.fields.map((f) => [f.key, f]));
  const changesOf = (e: HistoryEntry): Change[] =>
    Object.entries(e.changes ?? {}).map(([key, ch]) => ({
      key,
      label: byKey.get(key)?.label ?? (SYSTEM.has(key) ? t('recordPage.history.owner') : key),
      from: (ch as { from?: unknown }).from,
      to: (ch as { to?: unknown }).to,
    }));
  const value = (key: string, v: unknown) => {
    const field = byKey.get(key);
    if (empty(v)) return <Typography.Text type="secondary">{t('recordPage.history.none')}</Typography.Text>;
    if (SYSTEM.has(key)) return names.get(String(v)) ?? String(v);
    if (!field || field.type === 'relation')
      return Array.isArray(v) ? v.map((x) => `#${String(x)}`).join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return <FieldCell field={field} value={v} />;
  };
  const items = history.data.map((e) => {
    const changes = changesOf(e);
    return {
      key: e.id,
      color: e.action === 'delete' || e.action === 'purge' ? 'red' : e.action === 'create' ? 'green' : 'blue',
      content: (
        <>
          <Typography.Text strong>{e.actorId ? (names.get(e.actorId) ?? t('recordPage.comments.someone')) : t('inbox.system')}</Typography.Text>{' '}
          <Tag>{t(`recordPage.history.actions.${e.action}`, { defaultValue: e.action })}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {new Date(e.at).toLocaleString(i18n.language)}
          </Typography.Text>
          {changes.length > 0 && (
            <Table<Change>
              size="small"
              rowKey="key"
              pagination={false}
              style={{ marginTop: 8 }}
              aria-label={t('recordPage.history.changesOf', { at: new Date(e.at).toLocaleString(i18n.language) })}
              dataSource={changes}
              columns={[
                { key: 'field', title: t('recordPage.history.field'), dataIndex: 'label' },
                {
                  key: 'from',
                  title: t('recordPage.history.from'),
                  render: (_, c) => (empty(c.from) ? value(c.key, c.from) : <del>{value(c.key, c.from)}</del>),
                },
                { key: 'to', title: t('recordPage.history.to'), render: (_, c) => value(c.key, c.to) },
              ]}
            />
          )}
        </>
      ),
    };
  });
  return <Timeline items={items} />;
}
