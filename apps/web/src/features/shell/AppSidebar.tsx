import { FunctionOutlined, MenuOutlined, SafetyOutlined, TableOutlined } from '@ant-design/icons';
import { Layout, Menu, type MenuProps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useMatch } from 'react-router';
import { ErrorState, LoadingState } from '../../ui/states';
import type { Navigation } from '../apps/api/apps.api';
import { useApp, useNavigation } from '../apps/hooks/apps.queries';

/** The menu items of an app's navigation: named groups as menu groups, the rest at the top level; empty groups left out. */
function menuItems(appId: string, navigation: Navigation): NonNullable<MenuProps['items']> {
  const entry = (item: Navigation['groups'][number]['items'][number]) => ({
    key: item.id,
    icon: <TableOutlined aria-hidden />,
    label: <Link to={`/apps/${appId}/entities/${item.id}`}>{item.name}</Link>,
  });
  return navigation.groups
    .filter((g) => g.items.length > 0)
    .flatMap<NonNullable<MenuProps['items']>[number]>((g) =>
      g.name === null ? g.items.map(entry) : [{ type: 'group' as const, key: `group-${g.id}`, label: g.name, children: g.items.map(entry) }],
    );
}

/** An app's navigation menu: its entities in the groups and order the admin set, and for its admins (workspace or app) the editor links. */
export function AppSidebar({ appId }: { appId: string }) {
  const { t } = useTranslation();
  const app = useApp(appId);
  const navigation = useNavigation(appId);
  const entityMatch = useMatch('/apps/:appId/entities/:entityId/*');
  const permissionsMatch = useMatch('/apps/:appId/permissions/*');
  const rulesMatch = useMatch('/apps/:appId/rules/*');
  const navigationMatch = useMatch('/apps/:appId/navigation');
  const selected = permissionsMatch ? 'permissions' : rulesMatch ? 'rules' : navigationMatch ? 'navigation' : (entityMatch?.params.entityId ?? '');
  const items = navigation.data ? menuItems(appId, navigation.data) : [];

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
        {navigation.isPending && <LoadingState />}
        {navigation.isError && <ErrorState error={navigation.error} onRetry={() => void navigation.refetch()} />}
        {navigation.data && items.length === 0 && (
          <Typography.Paragraph type="secondary" style={{ padding: '0 16px' }}>
            {t('shell.noEntities')}
          </Typography.Paragraph>
        )}
        <Menu mode="inline" selectedKeys={[selected]} items={items} style={{ borderInlineEnd: 0 }} />
        {app.data?.canDesign && (
          <Menu
            mode="inline"
            selectedKeys={[selected]}
            style={{ borderInlineEnd: 0 }}
            items={[
              { key: 'navigation', icon: <MenuOutlined aria-hidden />, label: <Link to={`/apps/${appId}/navigation`}>{t('navigation.edit')}</Link> },
              { key: 'permissions', icon: <SafetyOutlined aria-hidden />, label: <Link to={`/apps/${appId}/permissions`}>{t('shell.permissions')}</Link> },
              { key: 'rules', icon: <FunctionOutlined aria-hidden />, label: <Link to={`/apps/${appId}/rules`}>{t('shell.rulesTester')}</Link> },
            ]}
          />
        )}
      </nav>
    </Layout.Sider>
  );
}
