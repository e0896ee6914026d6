import { AppstoreOutlined, AuditOutlined, DownOutlined, LogoutOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App as AntdApp, Button, Dropdown, Flex, Grid, Layout, Typography } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useMatch, useNavigate } from 'react-router';
import { queryKeys } from '../../api/query-keys';
import { LanguageSwitch } from '../../ui/LanguageSwitch';
import { LoadingState } from '../../ui/states';
import { logoutOrThrow } from '../auth/api/auth.api';
import { useSignedInSession } from '../auth/hooks/useSession';
import { useUpdateProfile } from '../auth/hooks/useUpdateProfile';
import { HeaderInbox } from '../inbox/header/HeaderInbox';
import { HeaderSearch } from '../search/HeaderSearch';
import { AppSidebar } from './AppSidebar';
import { BottomNav } from './BottomNav';

/** The signed-in frame: header (workspace, language, account) and, inside an app, its navigation. */
export function AppShell() {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const appMatch = useMatch('/apps/:appId/*');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const profile = useUpdateProfile();
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const appId = appMatch?.params.appId;

  async function signOut() {
    try {
      await logoutOrThrow();
    } finally {
      // Nothing of this member may stay in the cache for the next person on this tab.
      queryClient.clear();
      queryClient.setQueryData(queryKeys.session(), null);
      navigate('/sign-in', { replace: true });
    }
  }

  const menu = {
    items: [
      // On a phone the language switch moves from the header into this menu: the header keeps the workspace's name readable.
      ...(phone ? [{ key: 'language', label: <LanguageSwitch onChange={(language) => profile.mutate({ language })} /> }, { type: 'divider' as const }] : []),
      { key: 'profile', icon: <UserOutlined />, label: <Link to="/profile">{t('shell.profile')}</Link> },
      ...(session.user.isAdmin
        ? [
            { key: 'org', icon: <TeamOutlined />, label: <Link to="/admin/org">{t('shell.org')}</Link> },
            { key: 'audit', icon: <AuditOutlined />, label: <Link to="/admin/audit">{t('shell.audit')}</Link> },
          ]
        : []),
      { type: 'divider' as const },
      { key: 'sign-out', icon: <LogoutOutlined />, label: t('shell.signOut'), onClick: () => void signOut() },
    ],
  };

  return (
    // antd's App (message, modal, notification) lives here, not in the providers: the sign-in chunk stays without them.
    <AntdApp>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header style={{ borderBottom: '1px solid rgba(5,5,5,0.06)', display: 'flex', alignItems: 'center', gap: 12 }}>
          <Link to="/" title={t('shell.home')} style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0, color: 'inherit' }}>
            <AppstoreOutlined style={{ fontSize: 20, color: 'var(--crm-color-primary, #2357d9)' }} aria-hidden />
            <Typography.Text strong ellipsis style={{ fontSize: 16 }}>
              {session.workspace.name}
            </Typography.Text>
          </Link>
          <Flex align="center" gap={8} style={{ marginLeft: 'auto', flex: 'none' }}>
            {appId && !phone && <HeaderSearch appId={appId} />}
            <HeaderInbox bellOnly={phone} />
            {/* Signed in, the switch also saves the choice to the profile: it follows the member to other devices. */}
            {!phone && <LanguageSwitch onChange={(language) => profile.mutate({ language })} />}
            <Dropdown menu={menu} trigger={['click']}>
              <Button type="text" aria-label={t('shell.accountMenu', { name: session.user.name || session.user.email })}>
                <UserOutlined aria-hidden />
                <span className="shell-account-name">{session.user.name || session.user.email}</span>
                <DownOutlined aria-hidden />
              </Button>
            </Dropdown>
          </Flex>
        </Layout.Header>
        <Layout>
          {appId && <AppSidebar key={appId} appId={appId} />}
          <Layout.Content
            className={appId ? 'shell-content shell-content--with-sider' : 'shell-content'}
            style={{ padding: 16, minWidth: 0, paddingBottom: phone ? 72 : 16 }}
          >
            <Suspense fallback={<LoadingState />}>
              <Outlet />
            </Suspense>
          </Layout.Content>
        </Layout>
        {phone && <BottomNav appId={appId} />}
      </Layout>
    </AntdApp>
  );
}
