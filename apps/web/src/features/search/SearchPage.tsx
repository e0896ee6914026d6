import { Button, Card, Flex, Input, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { recordPath } from './HeaderSearch';
import { type SearchGroup, useMoreHits, useSearch } from './search.api';

/** /apps/:appId/search?q=: every entity's hits, each group paged on its own (the phone's search, and Enter in the header). */
export function SearchPage() {
  const { t } = useTranslation();
  const { appId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const search = useSearch(appId, q, 10);
  return (
    <section aria-labelledby="search-title">
      <Typography.Title level={1} id="search-title" style={{ fontSize: 20, marginTop: 0 }}>
        {t('search.title')}
      </Typography.Title>
      <Input.Search
        aria-label={t('search.label')}
        placeholder={t('search.placeholder')}
        defaultValue={q}
        allowClear
        enterButton
        onSearch={(v) => setParams(v.trim() ? { q: v.trim() } : {})}
        style={{ maxWidth: 480, marginBottom: 16 }}
      />
      {!q.trim() ? null : search.isError ? (
        <ErrorState error={search.error} onRetry={() => void search.refetch()} />
      ) : !search.data ? (
        <LoadingState />
      ) : search.data.length === 0 ? (
        <EmptyState title={t('search.none')} />
      ) : (
        <Flex vertical gap={12}>
          {search.data.map((g) => (
            <HitGroup key={g.entityId} appId={appId} q={q.trim()} group={g} />
          ))}
        </Flex>
      )}
    </section>
  );
}

function HitGroup({ appId, q, group }: { appId: string; q: string; group: SearchGroup }) {
  const { t } = useTranslation();
  const more = useMoreHits(appId, q, group);
  const items = [...group.items, ...(more.data?.pages.flatMap((p) => p.items) ?? [])];
  const hasMore = more.data ? more.hasNextPage : !!group.nextCursor;
  return (
    <Card
      size="small"
      title={
        <Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>
          {group.entityName}
        </Typography.Title>
      }
    >
      <List
        size="small"
        dataSource={items}
        renderItem={(h) => (
          <List.Item>
            <Link to={recordPath(appId, group.entityId, h.id)}>{h.title}</Link>
          </List.Item>
        )}
      />
      {hasMore && (
        <Button size="small" loading={more.isFetching} onClick={() => void (more.data ? more.fetchNextPage() : more.refetch())}>
          {t('search.more', { entity: group.entityName })}
        </Button>
      )}
    </Card>
  );
}
