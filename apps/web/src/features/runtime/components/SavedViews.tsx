import { SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText } from '../../../ui/problem';
import type { Entity } from '../../apps/api/apps.api';
import { useSaveView, useViews } from '../hooks/records.queries';
import type { SavedView, ViewConfig, ViewKind } from '../views.api';

/** Picks a saved view (shared ones first) and saves the current one, as a new view or over the picked one. */
export function SavedViews({
  entity,
  current,
  kind,
  config,
  onPick,
}: {
  entity: Entity;
  current: SavedView | null;
  kind: ViewKind;
  config: ViewConfig;
  onPick: (v: SavedView | null) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const views = useViews(entity.id);
  const save = useSaveView(entity.id);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const submit = async () => {
    const { name, shared } = await form.validateFields();
    save.mutate(
      { name, kind, config, shared },
      {
        onSuccess: (v) => {
          setOpen(false);
          onPick(v);
          void message.success(t('view.saved', { name: v.name }));
        },
      },
    );
  };
  return (
    <Space.Compact>
      <Select
        aria-label={t('view.pickView')}
        placeholder={t('view.allRecords')}
        allowClear
        value={current?.id}
        onChange={(id?: string) => onPick(views.data?.find((v) => v.id === id) ?? null)}
        options={(views.data ?? []).map((v) => ({ value: v.id, label: v.shared ? t('view.sharedName', { name: v.name }) : v.name }))}
        style={{ width: 130 }}
      />
      {current && !current.shared && (
        <Button
          onClick={() =>
            save.mutate(
              { id: current.id, name: current.name, kind, config },
              { onSuccess: () => void message.success(t('view.saved', { name: current.name })) },
            )
          }
        >
          {t('view.update')}
        </Button>
      )}
      <Button icon={<SaveOutlined aria-hidden />} onClick={() => setOpen(true)}>
        {t('view.saveAs')}
      </Button>
      <Modal
        open={open}
        title={t('view.saveAs')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ name: '', shared: false }}>
          <Form.Item name="name" label={t('view.name')} rules={[{ required: true, whitespace: true, message: t('view.nameRequired') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="shared" valuePropName="checked">
            <Checkbox>{t('view.share')}</Checkbox>
          </Form.Item>
          {save.isError && <Alert type="error" role="alert" showIcon title={problemText(save.error, t)} />}
        </Form>
      </Modal>
    </Space.Compact>
  );
}
