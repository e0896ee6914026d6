import { ApartmentOutlined, LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Flex, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, type ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useNavigate, useParams } from 'react-router';
import { FieldCell } from '../../../field-types/FieldCell';
import { formatDateTime } from '../../../field-types/shared/format-value';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import { ImportExportActions } from '../../import';
import { useSignedInSession } from '../../auth/hooks/useSession';
import type { Entity } from '../../apps/api/apps.api';
import { useEntity } from '../../apps/hooks/apps.queries';
import { useRecordPages } from '../hooks/records.queries';
import type { RecordRow } from '../records.api';

const PAGE_SIZE = 20;

/** /apps/:appId/entities/:entityId: the entity's records a page at a time; a record opens in a drawer (its own URL). */
export function RecordsPage() {
  const { entityId = '' } = useParams();
  const entity = useEntity(entityId);
  if (entity.isPending) return <LoadingState />;
  if (entity.isError) return <ErrorState error={entity.error} onRetry={() => void entity.refetch()} />;
  // A new entity (or version) starts paging from the first page.
  return <RecordsOfEntity key={`${entity.data.id}:${entity.data.version}`} entity={entity.data} />;
}

function RecordsOfEntity({ entity }: { entity: Entity }) {
  const { t } = useTranslation();
  const { appId = '' } = useParams();
  const navigate = useNavigate();
  const session = useSignedInSession();
  const pages = useRecordPages({ entity, pageSize: PAGE_SIZE });
  const columns = useColumns(entity, `/apps/${appId}/entities/${entity.id}/records`);
  const records = pages.page.data?.items;
  // antd's Table has no caption prop; the name goes on the <table> element itself.
  const components = useMemo(() => ({ table: (props: ComponentProps<'table'>) => <table {...props} aria-label={entity.name} /> }), [entity.name]);

  return (
    <section aria-labelledby="records-title">
      <Flex align="center" justify="space-between" wrap gap={8}>
        <Typography.Title level={1} id="records-title" style={{ fontSize: 20, marginTop: 0 }}>
          {entity.name}
        </Typography.Title>
        <Flex gap={8} wrap>
          {session.user.isAdmin && (
            <Button icon={<ApartmentOutlined aria-hidden />} onClick={() => navigate(`/apps/${appId}/entities/${entity.id}/workflows`)}>
              {t('workflows.list.open')}
            </Button>
          )}
          <ImportExportActions entity={entity} />
        </Flex>
      </Flex>
      {pages.page.isError && <ErrorState error={pages.page.error} onRetry={() => void pages.page.refetch()} />}
      {records === undefined ? (
        !pages.page.isError && <LoadingState label={t('records.loading')} />
      ) : records.length === 0 && pages.pageNumber === 1 ? (
        <EmptyState title={t('records.emptyTitle')} description={t('records.emptyHint', { entity: entity.name })} />
      ) : (
        <>
          <Table<RecordRow>
            size="small"
            rowKey="id"
            columns={columns}
            dataSource={records}
            pagination={false}
            loading={pages.page.isFetching}
            scroll={{ x: 'max-content' }}
            components={components}
          />
          <Flex component="nav" aria-label={t('records.pagination')} align="center" justify="flex-end" gap={8} style={{ marginTop: 12 }}>
            <Button icon={<LeftOutlined aria-hidden />} onClick={pages.goPrevious} disabled={!pages.hasPrevious}>
              {t('records.previousPage')}
            </Button>
            <span aria-live="polite">{t('records.page', { page: pages.pageNumber })}</span>
            <Button onClick={pages.goNext} disabled={!pages.hasNext}>
              {t('records.nextPage')} <RightOutlined aria-hidden />
            </Button>
          </Flex>
        </>
      )}
      <Outlet context={entity} />
    </section>
  );
}

function useColumns(entity: Entity, recordsPath: string): ColumnsType<RecordRow> {
  const { t } = useTranslation();
  return useMemo(
    () => [
      {
        key: 'id',
        title: t('records.id'),
        dataIndex: 'id',
        fixed: 'left' as const,
        render: (id: RecordRow['id']) => (
          <Link to={`${recordsPath}/${id}`} aria-label={t('records.open', { id })}>
            #{id}
          </Link>
        ),
      },
      ...entity.fields.map((field) => ({
        key: field.key,
        title: field.label,
        dataIndex: field.key,
        ellipsis: field.type === 'textarea',
        render: (value: unknown) => <FieldCell field={field} value={value} />,
      })),
      {
        key: 'updatedAt',
        title: t('records.updatedAt'),
        dataIndex: 'updatedAt',
        render: (value: string) => <time dateTime={value}>{formatDateTime({ value })}</time>,
      },
    ],
    [entity.fields, recordsPath, t],
  );
}
