import { HomeOutlined, InboxOutlined, SearchOutlined, UserOutlined } from '@ant-design/icons';
import { Badge, Flex, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useInboxCounts } from '../inbox/hooks/inbox.queries';

/** The phone's bottom navigation: home (the app's, inside one), the inbox with its count, the app's search, me. */
export function BottomNav({ appId }: { appId: string | undefined }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { pathname } = useLocation();
  const todo = useInboxCounts().data?.todo ?? 0;
  const home = appId ? `/apps/${appId}` : '/';
  const items: { key: string; to: string; icon: ReactNode; label: string; active: boolean }[] = [
    { key: 'home', to: home, icon: <HomeOutlined aria-hidden />, label: t('mobileNav.home'), active: pathname === home },
    {
      key: 'inbox',
      to: '/inbox',
      icon: (
        <Badge count={todo} size="small" overflowCount={99}>
          <InboxOutlined aria-hidden style={{ fontSize: 20, color: 'inherit' }} />
        </Badge>
      ),
      label: t('mobileNav.inbox', { count: todo }),
      active: pathname.startsWith('/inbox'),
    },
    ...(appId
      ? [
          {
            key: 'search',
            to: `/apps/${appId}/search`,
            icon: <SearchOutlined aria-hidden />,
            label: t('mobileNav.search'),
            active: pathname.endsWith('/search'),
          },
        ]
      : []),
    { key: 'me', to: '/profile', icon: <UserOutlined aria-hidden />, label: t('mobileNav.me'), active: pathname === '/profile' },
  ];
  return (
    <nav
      aria-label={t('mobileNav.label')}
      style={{
        position: 'fixed',
        insetInline: 0,
        bottom: 0,
        zIndex: 100,
        background: token.colorBgContainer,
        borderTop: `1px solid ${token.colorBorderSecondary}`,
        paddingBottom: 'env(safe-area-inset-bottom)',
      }}
    >
      <Flex justify="space-around">
        {items.map((i) => (
          <Link
            key={i.key}
            to={i.to}
            aria-current={i.active ? 'page' : undefined}
            aria-label={i.label}
            style={{ flex: 1, padding: '6px 0', color: i.active ? token.colorPrimary : token.colorTextSecondary, textAlign: 'center' }}
          >
            <Flex vertical align="center" gap={2}>
              <span style={{ fontSize: 20, lineHeight: 1 }}>{i.icon}</span>
              <Typography.Text style={{ fontSize: 12, color: 'inherit' }}>{i.key === 'inbox' ? t('mobileNav.inboxShort') : i.label}</Typography.Text>
            </Flex>
          </Link>
        ))}
      </Flex>
    </nav>
  );
}
