import { FunctionOutlined, SafetyOutlined, TableOutlined } from '@ant-design/icons';
import { Layout, Menu, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useMatch } from 'react-router';
import { ErrorState, LoadingState } from '../../ui/states';
import { useSignedInSession } from '../auth/hooks/useSession';
import { useApp, useEntities } from '../apps/hooks/apps.queries';

/** An app's navigation menu: its entities (in the order the admin set), and for admins the editor link. */
export function AppSidebar({ appId }: { appId: string }) {
  const { t } = useTranslation();
  const app = useApp(appId);
  const entities = useEntities(appId);
  const entityMatch = useMatch('/apps/:appId/entities/:entityId/*');
  const permissionsMatch = useMatch('/apps/:appId/permissions/*');
  const rulesMatch = useMatch('/apps/:appId/rules/*');
  const selected = permissionsMatch ? 'permissions' : rulesMatch ? 'rules' : (entityMatch?.params.entityId ?? '');
  const session = useSignedInSession();

  const items = (entities.data ?? []).map((entity) => ({
    key: String(entity.id),
    icon: <TableOutlined aria-hidden />,
    label: <Link to={`/apps/${appId}/entities/${entity.id}`}>{entity.name}</Link>,
  }));

  return (
    <Layout.Sider
      width={220}
      breakpoint="md"
      collapsedWidth={0}
      theme="light"
      style={{ borderRight: '1px solid rgba(5,5,5,0.06)' }}
      zeroWidthTriggerStyle={{ top: 8 }}
    >
      <nav aria-label={t('shell.appNavigation')}>
        <Typography.Title level={2} ellipsis style={{ fontSize: 15, margin: 0, padding: '16px 16px 8px' }}>
          <Link to={`/apps/${appId}`} style={{ color: 'inherit' }}>
            {app.data?.name ?? ' '}
          </Link>
        </Typography.Title>
        {entities.isPending && <LoadingState />}
        {entities.isError && <ErrorState error={entities.error} onRetry={() => void entities.refetch()} />}
        {entities.data && entities.data.length === 0 && (
          <Typography.Paragraph type="secondary" style={{ padding: '0 16px' }}>
            {t('shell.noEntities')}
          </Typography.Paragraph>
        )}
        <Menu mode="inline" selectedKeys={[selected]} items={items} style={{ borderInlineEnd: 0 }} />
        {session.user.isAdmin && (
          <Menu
            mode="inline"
            selectedKeys={[selected]}
            style={{ borderInlineEnd: 0 }}
            items={[
              { key: 'permissions', icon: <SafetyOutlined aria-hidden />, label: <Link to={`/apps/${appId}/permissions`}>{t('shell.permissions')}</Link> },
              { key: 'rules', icon: <FunctionOutlined aria-hidden />, label: <Link to={`/apps/${appId}/rules`}>{t('shell.rulesTester')}</Link> },
            ]}
          />
        )}
      </nav>
    </Layout.Sider>
  );
}
