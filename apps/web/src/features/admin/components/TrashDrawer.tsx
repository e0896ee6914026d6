import { UndoOutlined } from '@ant-design/icons';
import { App as AntdApp, Button, Drawer, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { problemText } from '../../../ui/problem';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import { useRestoreApp, useTrash } from '../../apps/hooks/apps.queries';
import { AppIcon } from './AppIcon';

/** 回收站: deleted apps (latest first), each restorable with the entities deleted with it. */
export function TrashDrawer({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntdApp.useApp();
  const trash = useTrash(open);
  const restore = useRestoreApp();
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  async function restoreApp(id: string, name: string) {
    try {
      await restore.mutateAsync(id);
      void message.success(t('trash.restored', { name }));
    } catch (error) {
      void message.error(problemText(error, t));
    }
  }

  return (
    <Drawer open={open} onClose={onClose} title={t('trash.title')} size={420} closable={{ 'aria-label': t('common.close') }}>
      {trash.isPending && <LoadingState />}
      {trash.isError && <ErrorState error={trash.error} onRetry={() => void trash.refetch()} />}
      {trash.data?.length === 0 && <EmptyState title={t('trash.emptyTitle')} description={t('trash.emptyHint')} />}
      {trash.data && trash.data.length > 0 && (
        <List
          aria-label={t('trash.title')}
          dataSource={trash.data}
          renderItem={(app) => (
            <List.Item
              actions={[
                <Button
                  key="restore"
                  icon={<UndoOutlined aria-hidden />}
                  loading={restore.isPending && restore.variables === app.id}
                  onClick={() => void restoreApp(app.id, app.name)}
                  aria-label={t('trash.restoreApp', { name: app.name })}
                >
                  {t('trash.restore')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                avatar={<AppIcon app={app} size={32} />}
                title={app.name}
                description={
                  <Typography.Text type="secondary">
                    {app.deletedAt ? t('trash.deletedAt', { when: when.format(new Date(app.deletedAt)) }) : app.key}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Drawer>
  );
}
