import { DeleteOutlined, EditOutlined, MoreOutlined, PlusOutlined, RestOutlined } from '@ant-design/icons';
import { App as AntdApp, Button, Card, Dropdown, Flex, Space, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { problemText } from '../../../ui/problem';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import type { App } from '../../apps/api/apps.api';
import { useApps, useDeleteApp, useReorderApps } from '../../apps/hooks/apps.queries';
import { useSignedInSession } from '../../auth/hooks/useSession';
import { AppFormModal } from './AppFormModal';
import { AppIcon } from './AppIcon';
import { SortableAppGrid } from './SortableAppGrid';
import { TrashDrawer } from './TrashDrawer';

type Editing = { mode: 'create' } | { mode: 'rename'; app: App } | null;

/** 工作台: every app of the workspace as a tile; admins create, edit, reorder (drag) and delete them, and open the trash. */
export function WorkspaceHome() {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const apps = useApps();
  const [editing, setEditing] = useState<Editing>(null);
  const [trashOpen, setTrashOpen] = useState(false);
  const reorder = useReorderApps();
  const { message } = AntdApp.useApp();
  const isAdmin = session.user.isAdmin;

  function saveOrder(next: App[]) {
    reorder.mutate(next, { onError: (error) => void message.error(problemText(error, t)) });
  }

  return (
    <section aria-labelledby="home-title" style={{ maxWidth: 1200, margin: '0 auto' }}>
      <Flex align="center" justify="space-between" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={1} id="home-title" style={{ fontSize: 20, margin: 0 }}>
          {t('apps.title')}
        </Typography.Title>
        {isAdmin && (
          <Space wrap>
            <Button icon={<RestOutlined aria-hidden />} onClick={() => setTrashOpen(true)}>
              {t('trash.open')}
            </Button>
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing({ mode: 'create' })}>
              {t('apps.new')}
            </Button>
          </Space>
        )}
      </Flex>
      {apps.isPending && <LoadingState />}
      {apps.isError && <ErrorState error={apps.error} onRetry={() => void apps.refetch()} />}
      {apps.data?.length === 0 && (
        <EmptyState
          title={t('apps.emptyTitle')}
          description={isAdmin ? t('apps.emptyHintAdmin') : t('apps.emptyHintMember')}
          action={isAdmin && <Button onClick={() => setEditing({ mode: 'create' })}>{t('apps.new')}</Button>}
        />
      )}
      {apps.data && apps.data.length > 0 && (
        <SortableAppGrid
          apps={apps.data}
          sortable={isAdmin}
          onReorder={saveOrder}
          renderTile={(app, handle) => <AppTile app={app} isAdmin={isAdmin} handle={handle} onRename={() => setEditing({ mode: 'rename', app })} />}
        />
      )}
      {isAdmin && <TrashDrawer open={trashOpen} onClose={() => setTrashOpen(false)} />}
      <AppFormModal open={editing !== null} app={editing?.mode === 'rename' ? editing.app : undefined} onClose={() => setEditing(null)} />
    </section>
  );
}

function AppTile({ app, isAdmin, handle, onRename }: { app: App; isAdmin: boolean; handle: ReactNode; onRename(): void }) {
  const { t } = useTranslation();
  const { modal, message } = AntdApp.useApp();
  const remove = useDeleteApp();

  function confirmDelete() {
    modal.confirm({
      title: t('apps.deleteTitle', { name: app.name }),
      content: t('apps.deleteHint'),
      okText: t('apps.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await remove.mutateAsync(app.id);
          void message.success(t('apps.deleted', { name: app.name }));
        } catch (error) {
          void message.error(problemText(error, t));
        }
      },
    });
  }

  const actions = {
    items: [
      { key: 'rename', icon: <EditOutlined aria-hidden />, label: t('apps.edit'), onClick: onRename },
      { key: 'delete', icon: <DeleteOutlined aria-hidden />, label: t('apps.delete'), danger: true, onClick: confirmDelete },
    ],
  };

  return (
    <Card size="small" hoverable styles={{ body: { display: 'flex', alignItems: 'center', gap: 12 } }}>
      {handle}
      <AppIcon app={app} />
      <Link to={`/apps/${app.id}`} style={{ flex: 1, minWidth: 0, color: 'inherit' }}>
        <Typography.Text strong ellipsis style={{ display: 'block' }}>
          {app.name}
        </Typography.Text>
        <Typography.Text type="secondary" ellipsis style={{ display: 'block', fontSize: 12 }}>
          {app.description || app.key}
        </Typography.Text>
      </Link>
      {isAdmin && (
        <Dropdown menu={actions} trigger={['click']}>
          <Button type="text" icon={<MoreOutlined aria-hidden />} aria-label={t('apps.actionsFor', { name: app.name })} />
        </Dropdown>
      )}
    </Card>
  );
}
