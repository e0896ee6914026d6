import { DeleteOutlined, UndoOutlined } from '@ant-design/icons';
import { App as AntdApp, Button, Drawer, Flex, Form, Input, List, Modal, Typography } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { App } from '../../apps/api/apps.api';
import { problemText } from '../../../ui/problem';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import { usePurgeApp, useRestoreApp, useTrash } from '../../apps/hooks/apps.queries';
import { AppIcon } from './AppIcon';

/** 彻底删除: names the app and asks for its key before deleting it forever. */
function PurgeDialog({ app, onClose }: { app: App | null; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const purge = usePurgeApp();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string>();
  const id = useId();
  const close = () => {
    setTyped('');
    setError(undefined);
    onClose();
  };
  async function confirm() {
    if (!app) return;
    try {
      await purge.mutateAsync({ appId: app.id, key: typed.trim() });
      void message.success(t('trash.purged', { name: app.name }));
      close();
    } catch (err) {
      setError(problemText(err, t));
    }
  }
  return (
    <Modal
      open={!!app}
      title={app ? t('trash.purgeTitle', { name: app.name }) : undefined}
      okText={t('trash.purge')}
      okButtonProps={{ danger: true, disabled: !app || typed.trim() !== app.key, loading: purge.isPending }}
      cancelText={t('common.cancel')}
      onOk={() => void confirm()}
      onCancel={close}
      destroyOnHidden
    >
      {app && (
        <>
          <Typography.Paragraph>{t('trash.purgeText', { key: app.key })}</Typography.Paragraph>
          <Form layout="vertical" component="div">
            <Form.Item label={t('trash.purgeKey')} htmlFor={id} validateStatus={error ? 'error' : undefined} help={error}>
              <Input
                id={id}
                value={typed}
                autoComplete="off"
                onChange={(e) => setTyped(e.target.value)}
                onPressEnter={() => typed.trim() === app.key && void confirm()}
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}

/** 回收站: deleted apps (latest first), each restorable with the entities deleted with it, or deleted forever. */
export function TrashDrawer({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntdApp.useApp();
  const trash = useTrash(open);
  const restore = useRestoreApp();
  const [purging, setPurging] = useState<App | null>(null);
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
            <List.Item>
              <List.Item.Meta
                avatar={<AppIcon app={app} size={32} />}
                title={app.name}
                description={
                  // The actions sit under the name: beside it, two buttons left the name no room in the 420 px drawer.
                  <Flex vertical gap={8}>
                    <Typography.Text type="secondary">
                      {app.deletedAt ? t('trash.deletedAt', { when: when.format(new Date(app.deletedAt)) }) : app.key}
                    </Typography.Text>
                    <Flex gap={8} wrap>
                      <Button
                        size="small"
                        icon={<UndoOutlined aria-hidden />}
                        loading={restore.isPending && restore.variables === app.id}
                        onClick={() => void restoreApp(app.id, app.name)}
                        aria-label={t('trash.restoreApp', { name: app.name })}
                      >
                        {t('trash.restore')}
                      </Button>
                      <Button
                        size="small"
                        danger
                        icon={<DeleteOutlined aria-hidden />}
                        onClick={() => setPurging(app)}
                        aria-label={t('trash.purgeApp', { name: app.name })}
                      >
                        {t('trash.purge')}
                      </Button>
                    </Flex>
                  </Flex>
                }
              />
            </List.Item>
          )}
        />
      )}
      <PurgeDialog app={purging} onClose={() => setPurging(null)} />
    </Drawer>
  );
}
