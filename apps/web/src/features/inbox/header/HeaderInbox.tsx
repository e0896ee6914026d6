import { BellOutlined, InboxOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Flex, List, Popover, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Notification } from '../api/inbox.api';
import { useInboxCounts, useMarkNotificationsRead, useNotifications } from '../hooks/inbox.queries';

/** The header's inbox link with my open task count, and the notifications bell with the unread count (`bellOnly`: the phone's bottom navigation has the inbox). */
export function HeaderInbox({ bellOnly = false }: { bellOnly?: boolean }) {
  const { t } = useTranslation();
  const counts = useInboxCounts();
  const todo = counts.data?.todo ?? 0;
  const unread = counts.data?.unread ?? 0;
  return (
    <Flex gap={4} align="center">
      {!bellOnly && (
        <Link to="/inbox" aria-label={t('inbox.header.inbox', { count: todo })} title={t('inbox.header.inbox', { count: todo })} className="header-inbox">
          <Badge count={todo} size="small" overflowCount={99}>
            <InboxOutlined style={{ fontSize: 18 }} aria-hidden />
          </Badge>
        </Link>
      )}
      <NotificationsBell unread={unread} />
    </Flex>
  );
}

function NotificationsBell({ unread }: { unread: number }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const list = useNotifications(open);
  const mark = useMarkNotificationsRead();
  const navigate = useNavigate();
  const go = (n: Notification) => {
    if (!n.readAt) mark.mutate({ ids: [n.id] });
    setOpen(false);
    const taskId = typeof n.data.taskId === 'string' ? n.data.taskId : undefined;
    const instanceId = typeof n.data.instanceId === 'string' ? n.data.instanceId : n.sourceId;
    const { appId, entityId, recordId } = n.data as { appId?: string; entityId?: string; recordId?: number };
    // A comment's @mention opens the record it is on.
    if (n.kind === 'mentioned' && appId && entityId && recordId) navigate(`/apps/${appId}/entities/${entityId}/records/${recordId}`);
    else if (n.kind === 'task' && taskId) navigate(`/inbox/tasks/${taskId}`);
    else if (instanceId) navigate(`/inbox/instances/${instanceId}`);
  };
  const content = (
    <div style={{ width: 'min(320px, calc(100vw - 48px))' }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('inbox.notifications.title')}</Typography.Text>
        <Button size="small" type="link" disabled={unread === 0} onClick={() => mark.mutate({ all: true })}>
          {t('inbox.notifications.readAll')}
        </Button>
      </Flex>
      {list.data && list.data.items.length === 0 ? (
        <Empty description={t('inbox.notifications.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <List
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          style={{ maxHeight: 360, overflow: 'auto' }}
          renderItem={(n) => (
            <List.Item>
              <Button type="link" onClick={() => go(n)} style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'start' }}>
                <span>
                  {!n.readAt && <Badge status="processing" />}{' '}
                  <Typography.Text strong={!n.readAt}>{t(`inbox.notifications.kinds.${n.kind}`, { defaultValue: n.kind })}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {new Date(n.createdAt).toLocaleString(i18n.language)}
                  </Typography.Text>
                </span>
              </Button>
            </List.Item>
          )}
        />
      )}
    </div>
  );
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      content={content}
      placement="bottomRight"
      // On a phone the bell sits near the left edge: slide the panel back into the screen.
      align={{ overflow: { adjustX: true, shiftX: true, adjustY: true } }}
    >
      <Button type="text" aria-label={t('inbox.notifications.button', { count: unread })}>
        <Badge count={unread} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} aria-hidden />
        </Badge>
      </Button>
    </Popover>
  );
}
