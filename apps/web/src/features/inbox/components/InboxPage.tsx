import { Badge, Button, DatePicker, Flex, List, Select, Tabs, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useDirectory } from '../../../api/directory.queries';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import type { InboxBox, InboxFilters, InboxItem } from '../api/inbox.api';
import { useInbox, useInboxCounts } from '../hooks/inbox.queries';

const BOXES: InboxBox[] = ['todo', 'done', 'started', 'cc'];

/** Route /inbox: my tasks to do, done by me, started by me, cc'd to me; filters; each opens its task or instance. */
export function InboxPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const box = (BOXES.find((b) => b === search.get('box')) ?? 'todo') as InboxBox;
  const filters: InboxFilters = {
    workflowId: search.get('workflow') ?? undefined,
    entityId: search.get('entity') ?? undefined,
    submitterId: search.get('submitter') ?? undefined,
    from: search.get('from') ?? undefined,
    to: search.get('to') ?? undefined,
  };
  const set = (key: string, value: string | undefined) =>
    setSearch((s) => {
      const next = new URLSearchParams(s);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  const counts = useInboxCounts();
  const count = (b: InboxBox) => (b === 'todo' ? counts.data?.todo : b === 'cc' ? counts.data?.cc : b === 'started' ? counts.data?.started : undefined);
  return (
    <>
      <Typography.Title level={3}>{t('inbox.title')}</Typography.Title>
      <Tabs
        activeKey={box}
        onChange={(k) => set('box', k === 'todo' ? undefined : k)}
        items={BOXES.map((b) => ({
          key: b,
          label: (
            <Flex gap={6} align="center">
              {t(`inbox.boxes.${b}`)}
              {count(b) ? <Badge count={count(b)} overflowCount={999} color={b === 'todo' ? undefined : '#595959'} /> : null}
            </Flex>
          ),
        }))}
      />
      <InboxList box={box} filters={filters} onFilter={set} />
    </>
  );
}

function InboxList({ box, filters, onFilter }: { box: InboxBox; filters: InboxFilters; onFilter(key: string, value: string | undefined): void }) {
  const { t, i18n } = useTranslation();
  const list = useInbox(box, filters);
  const directory = useDirectory();
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  // Workflows seen in this box so far (the staff API lists no workflows of its own).
  const [seen, setSeen] = useState(new Map<string, string>());
  if (items.some((i) => !seen.has(i.workflowId))) setSeen(new Map([...seen, ...items.map((i) => [i.workflowId, i.workflowName] as [string, string])]));
  const names = new Map(directory.members.map((m) => [m.id, m.name]));
  return (
    <>
      <Flex gap={8} wrap style={{ marginBottom: 12 }} role="search" aria-label={t('inbox.filters.label')}>
        <Select
          aria-label={t('inbox.filters.workflow')}
          placeholder={t('inbox.filters.workflow')}
          allowClear
          value={filters.workflowId}
          onChange={(v?: string) => onFilter('workflow', v)}
          options={[...seen].map(([id, name]) => ({ value: id, label: name }))}
          style={{ minWidth: 180 }}
        />
        <Select
          aria-label={t('inbox.filters.submitter')}
          placeholder={t('inbox.filters.submitter')}
          allowClear
          showSearch
          optionFilterProp="label"
          value={filters.submitterId}
          onChange={(v?: string) => onFilter('submitter', v)}
          options={directory.members.map((m) => ({ value: m.id, label: m.name }))}
          style={{ minWidth: 180 }}
        />
        <DatePicker.RangePicker
          aria-label={t('inbox.filters.dates')}
          placeholder={[t('inbox.filters.from'), t('inbox.filters.to')]}
          onChange={(range) => {
            onFilter('from', range?.[0]?.startOf('day').toISOString());
            onFilter('to', range?.[1]?.endOf('day').toISOString());
          }}
        />
      </Flex>
      {list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isLoading ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title={t(`inbox.empty.${box}`)} />
      ) : (
        // A named section (a region): the list of the box, found by its name.
        <section aria-label={t(`inbox.boxes.${box}`)}>
          <List
            dataSource={items}
            renderItem={(item) => <InboxRow item={item} submitter={names.get(item.submitterId) ?? item.submitterId} language={i18n.language} />}
            loadMore={
              list.hasNextPage && (
                <Flex justify="center" style={{ marginTop: 12 }}>
                  <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                    {t('inbox.more')}
                  </Button>
                </Flex>
              )
            }
          />
        </section>
      )}
    </>
  );
}

function InboxRow({ item, submitter, language }: { item: InboxItem; submitter: string; language: string }) {
  const { t } = useTranslation();
  const to = item.task && item.task.status === 'pending' ? `/inbox/tasks/${item.task.id}` : `/inbox/instances/${item.instanceId}`;
  const title = t('inbox.row.title', { workflow: item.workflowName, record: item.recordId });
  return (
    <List.Item>
      <List.Item.Meta
        title={<Link to={to}>{title}</Link>}
        description={
          <Flex gap={12} wrap>
            <span>{t('inbox.row.submitter', { name: submitter })}</span>
            {item.task && <span>{t(`inbox.status.${item.task.status}`, { defaultValue: item.task.status })}</span>}
            <span>{t(`inbox.instanceStatus.${item.instanceStatus}`, { defaultValue: item.instanceStatus })}</span>
            <span>{new Date(item.at).toLocaleString(language)}</span>
          </Flex>
        }
      />
    </List.Item>
  );
}
