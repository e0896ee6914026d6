import { Button, Card, Empty, Flex, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FieldCell } from '../../../../field-types/FieldCell';
import { ErrorState, LoadingState } from '../../../../ui/states';
import type { Entity, Field } from '../../../apps/api/apps.api';
import { useEntities } from '../../../apps/hooks/apps.queries';
import type { RecordRow } from '../../records.api';
import { useRelatedList } from '../../hooks/record-page.queries';
import { displayOf } from '../../view-state';

/** The relation fields of the app's entities that point at `entity`: each is one related list. */
export function useRelatedSources(appId: string, entity: Entity): { source: Entity; field: Field }[] {
  const entities = useEntities(appId);
  return (entities.data ?? []).flatMap((source) =>
    source.fields.filter((f) => f.type === 'relation' && String(f.settings.targetEntityId) === String(entity.id)).map((field) => ({ source, field })),
  );
}

/** 关联查询: records of other entities whose relation points at this record, ten a page, each under that entity's permissions. */
export function RelatedLists({ appId, entity, recordId }: { appId: string; entity: Entity; recordId: string }) {
  const { t } = useTranslation();
  const sources = useRelatedSources(appId, entity);
  if (!sources.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('recordPage.related.none')} />;
  return (
    <Flex vertical gap={12}>
      {sources.map(({ source, field }) => (
        <RelatedList key={`${source.id}.${field.key}`} appId={appId} entity={entity} recordId={recordId} source={source} field={field} />
      ))}
    </Flex>
  );
}

function RelatedList({ appId, entity, recordId, source, field }: { appId: string; entity: Entity; recordId: string; source: Entity; field: Field }) {
  const { t } = useTranslation();
  const list = useRelatedList({ entityId: entity.id, recordId, source: source.id, field: field.key });
  const title = t('recordPage.related.title', { entity: source.name, field: field.label });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const columns = source.fields.filter((f) => !['subform', 'relation', 'richtext', 'signature'].includes(f.type) && f.key !== field.key).slice(0, 4);
  return (
    <Card size="small" title={title}>
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <LoadingState />
      ) : (
        <>
          <Table<RecordRow>
            size="small"
            rowKey="id"
            pagination={false}
            aria-label={title}
            scroll={{ x: 'max-content' }}
            dataSource={rows}
            locale={{ emptyText: t('recordPage.related.empty') }}
            columns={[
              {
                key: 'title',
                title: t('records.id'),
                render: (_, r) => <Link to={`/apps/${appId}/entities/${source.id}/records/${r.id}`}>{displayOf(source, r)}</Link>,
              },
              ...columns.map((c) => ({ key: c.key, title: c.label, render: (_: unknown, r: RecordRow) => <FieldCell field={c} value={r[c.key]} /> })),
            ]}
          />
          {list.hasNextPage && (
            <Button style={{ marginTop: 8 }} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t('recordPage.related.more')}
            </Button>
          )}
        </>
      )}
    </Card>
  );
}
