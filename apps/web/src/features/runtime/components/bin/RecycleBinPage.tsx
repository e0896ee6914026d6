import { DeleteOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Grid, Popconfirm, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../../api/client';
import { useDirectory } from '../../../../api/directory.queries';
import { problemText } from '../../../../ui/problem';
import { EmptyState, ErrorState, LoadingState } from '../../../../ui/states';
import type { Entity } from '../../../apps/api/apps.api';
import { useEntity } from '../../../apps/hooks/apps.queries';
import type { BinBulkAnswer, BinnedRecord } from '../../bin.api';
import { useBinBulk, useRecycleBin } from '../../hooks/bin.queries';
import { displayOf } from '../../view-state';

/** /apps/:appId/entities/:entityId/recycle-bin: the records the member may restore or purge, who deleted them and when. */
export function RecycleBinPage() {
  const { entityId = '' } = useParams();
  const entity = useEntity(entityId);
  if (entity.isPending) return <LoadingState />;
  if (entity.isError) return <ErrorState error={entity.error} onRetry={() => void entity.refetch()} />;
  return <Bin key={`${entity.data.id}:${entity.data.version}`} entity={entity.data} />;
}

function Bin({ entity }: { entity: Entity }) {
  const { t } = useTranslation();
  const { appId = '' } = useParams();
  const { query, rows } = useRecycleBin(entity);
  const [selected, setSelected] = useState<number[]>([]);
  const [result, setResult] = useState<{ action: 'restore' | 'purge'; answer: BinBulkAnswer } | null>(null);
  const bulk = useBinBulk(entity);
  const run = (action: 'restore' | 'purge', ids: number[]) =>
    bulk.mutate(
      { action, ids },
      {
        onSuccess: (answer) => {
          setResult({ action, answer });
          setSelected((s) => s.filter((id) => !answer.ids.includes(id)));
        },
      },
    );
  const forbidden = query.error instanceof ApiError && query.error.status === 403;

  return (
    <section aria-labelledby="bin-title">
      <Flex align="center" justify="space-between" wrap gap={8}>
        <Typography.Title level={1} id="bin-title" style={{ fontSize: 20, marginTop: 0 }}>
          {t('bin.title', { entity: entity.name })}
        </Typography.Title>
        <Link to={`/apps/${appId}/entities/${entity.id}`}>{t('bin.back', { entity: entity.name })}</Link>
      </Flex>
      <Typography.Paragraph type="secondary">{t('bin.intro', { days: entity.recycleRetentionDays ?? 30 })}</Typography.Paragraph>
      {forbidden ? (
        <Alert type="info" showIcon title={t('bin.forbidden')} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <LoadingState />
      ) : rows.length === 0 ? (
        <EmptyState title={t('bin.empty')} />
      ) : (
        <>
          <BinResult result={result} error={bulk.error} onClose={() => setResult(null)} />
          <Space wrap style={{ marginBottom: 8 }} role="toolbar" aria-label={t('bin.actions')}>
            <Typography.Text strong>{t('table.selected', { count: selected.length })}</Typography.Text>
            <Button icon={<RollbackOutlined aria-hidden />} disabled={!selected.length} loading={bulk.isPending} onClick={() => run('restore', selected)}>
              {t('bin.restoreSelected')}
            </Button>
            <Popconfirm
              title={t('bin.purgeConfirm', { count: selected.length })}
              okText={t('bin.purge')}
              okButtonProps={{ danger: true }}
              onConfirm={() => run('purge', selected)}
            >
              <Button danger icon={<DeleteOutlined aria-hidden />} disabled={!selected.length} loading={bulk.isPending}>
                {t('bin.purgeSelected')}
              </Button>
            </Popconfirm>
          </Space>
          <div style={{ overflowX: 'auto' }}>
            <BinTable entity={entity} rows={rows} selected={selected} onSelect={setSelected} onAction={run} />
          </div>
          {query.hasNextPage && (
            <Button block onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} style={{ marginTop: 8 }}>
              {t('table.loadMore')}
            </Button>
          )}
        </>
      )}
    </section>
  );
}

function BinResult({ result, error, onClose }: { result: { action: 'restore' | 'purge'; answer: BinBulkAnswer } | null; error: unknown; onClose: () => void }) {
  const { t } = useTranslation();
  if (error) return <Alert type="error" showIcon role="alert" title={problemText(error, t)} style={{ marginBottom: 8 }} />;
  if (!result) return null;
  const { ids, failed } = result.answer;
  return (
    <Alert
      type={failed.length ? 'warning' : 'success'}
      showIcon
      role="status"
      title={t(result.action === 'restore' ? 'bin.restored' : 'bin.purged', { count: ids.length })}
      description={failed.length ? failed.map((f) => t('bin.refusedOne', { id: f.id, detail: f.detail })).join(' ') : undefined}
      closable={{ 'aria-label': t('common.close') }}
      onClose={onClose}
      style={{ marginBottom: 8 }}
    />
  );
}

interface TableProps {
  entity: Entity;
  rows: BinnedRecord[];
  selected: number[];
  onSelect: (ids: number[]) => void;
  onAction: (action: 'restore' | 'purge', ids: number[]) => void;
}

function BinTable({ entity, rows, selected, onSelect, onAction }: TableProps) {
  const { t } = useTranslation();
  const directory = useDirectory();
  // On a phone the two actions stack, so the table fits the screen.
  const phone = Grid.useBreakpoint().md === false;
  const names = useMemo(() => new Map(directory.members.map((m) => [m.id, m.name])), [directory.members]);
  return (
    <Table<BinnedRecord>
      rowKey="id"
      size="middle"
      dataSource={rows}
      pagination={false}
      rowSelection={{
        selectedRowKeys: selected,
        onChange: (keys) => onSelect(keys.map(Number)),
        getCheckboxProps: (r) => ({ 'aria-label': t('bin.select', { title: displayOf(entity, r) }) }),
        getTitleCheckboxProps: () => ({ 'aria-label': t('table.selectAll') }),
        columnTitle: undefined,
      }}
      columns={[
        { key: 'title', title: t('bin.record'), render: (_, r) => displayOf(entity, r) },
        { key: 'deletedAt', title: t('bin.deletedAt'), render: (_, r) => (r.deletedAt ? dayjs(r.deletedAt).format('YYYY-MM-DD HH:mm') : '') },
        { key: 'deletedBy', title: t('bin.deletedBy'), render: (_, r) => (r.deletedBy ? (names.get(r.deletedBy) ?? t('bin.unknownMember')) : '') },
        {
          key: 'actions',
          title: t('bin.actionsColumn'),
          render: (_, r) => {
            const title = displayOf(entity, r);
            return (
              <Flex gap={8} vertical={phone} align="start">
                <Button size="small" aria-label={t('bin.restoreOne', { title })} onClick={() => onAction('restore', [r.id])}>
                  {t('bin.restore')}
                </Button>
                <Popconfirm
                  title={t('bin.purgeConfirm', { count: 1 })}
                  okText={t('bin.purge')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => onAction('purge', [r.id])}
                >
                  <Button size="small" danger aria-label={t('bin.purgeOne', { title })}>
                    {t('bin.purge')}
                  </Button>
                </Popconfirm>
              </Flex>
            );
          },
        },
      ]}
    />
  );
}
