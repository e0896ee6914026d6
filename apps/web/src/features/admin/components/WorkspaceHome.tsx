import { DeleteOutlined, EditOutlined, MoreOutlined, PlusOutlined } from '@ant-design/icons';
import { App as AntdApp, Button, Card, Col, Dropdown, Flex, Row, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { problemText } from '../../../ui/problem';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import type { App } from '../../apps/api/apps.api';
import { useApps, useDeleteApp } from '../../apps/hooks/apps.queries';
import { useSignedInSession } from '../../auth/hooks/useSession';
import { AppFormModal } from './AppFormModal';
import { AppIcon } from './AppIcon';

type Editing = { mode: 'create' } | { mode: 'rename'; app: App } | null;

/** 工作台: every app of the workspace as a tile; admins create, rename and delete them here. */
export function WorkspaceHome() {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const apps = useApps();
  const [editing, setEditing] = useState<Editing>(null);
  const isAdmin = session.user.isAdmin;

  return (
    <section aria-labelledby="home-title" style={{ maxWidth: 1200, margin: '0 auto' }}>
      <Flex align="center" justify="space-between" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={1} id="home-title" style={{ fontSize: 20, margin: 0 }}>
          {t('apps.title')}
        </Typography.Title>
        {isAdmin && (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing({ mode: 'create' })}>
            {t('apps.new')}
          </Button>
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
        <Row gutter={[16, 16]} role="list" aria-label={t('apps.title')}>
          {apps.data.map((app) => (
            <Col key={app.id} xs={24} sm={12} md={8} xl={6} role="listitem">
              <AppTile app={app} isAdmin={isAdmin} onRename={() => setEditing({ mode: 'rename', app })} />
            </Col>
          ))}
        </Row>
      )}
      <AppFormModal open={editing !== null} app={editing?.mode === 'rename' ? editing.app : undefined} onClose={() => setEditing(null)} />
    </section>
  );
}

function AppTile({ app, isAdmin, onRename }: { app: App; isAdmin: boolean; onRename(): void }) {
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
      { key: 'rename', icon: <EditOutlined aria-hidden />, label: t('apps.rename'), onClick: onRename },
      { key: 'delete', icon: <DeleteOutlined aria-hidden />, label: t('apps.delete'), danger: true, onClick: confirmDelete },
    ],
  };

  return (
    <Card size="small" hoverable styles={{ body: { display: 'flex', alignItems: 'center', gap: 12 } }}>
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
