import { Alert, Flex, Form, Input, Modal, Select } from 'antd';
import { APP_COLOURS } from '../../../app/theme';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemForm } from '../../../ui/useProblemForm';
import { keyFromName, type App } from '../../apps/api/apps.api';
import { useCreateApp, useUpdateApp } from '../../apps/hooks/apps.queries';
import { AppIcon } from './AppIcon';
import { APP_ICONS } from './app-icons';

interface Values {
  name: string;
  key: string;
  description?: string;
  icon?: string | null;
  color?: string | null;
}

const FIELDS = ['name', 'key', 'description', 'icon', 'color'] as const;
const ICON_NAMES = Object.keys(APP_ICONS);

/** Create an app (name, key, description, icon, colour) or edit one (`app` given; the key never changes). */
export function AppFormModal({ app, open, onClose }: { app?: App; open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const codeFields = useMemo(
    () => ({ DUPLICATE_KEY: { field: 'key', message: t('apps.duplicateKey') }, INVALID_KEY: { field: 'key' }, RESERVED_KEY: { field: 'key' } }),
    [t],
  );
  const { formError, showProblem, clearProblem } = useProblemForm(form, FIELDS, codeFields);
  const create = useCreateApp();
  const update = useUpdateApp();
  const editing = app !== undefined;

  async function submit(values: Values) {
    clearProblem();
    try {
      const looks = { icon: values.icon ?? null, color: values.color ?? null };
      if (editing) await update.mutateAsync({ appId: app.id, name: values.name.trim(), description: values.description?.trim() ?? '', ...looks });
      else
        await create.mutateAsync({
          key: values.key.trim(),
          name: values.name.trim(),
          ...(values.description?.trim() ? { description: values.description.trim() } : {}),
          ...looks,
        });
      onClose();
    } catch (error) {
      showProblem(error);
    }
  }

  return (
    <Modal
      open={open}
      title={editing ? t('apps.editTitle') : t('apps.createTitle')}
      okText={editing ? t('common.save') : t('apps.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        // The modal unmounts its content when hidden, so each opening starts from these values.
        initialValues={{ name: app?.name ?? '', key: app?.key ?? '', description: app?.description ?? '', icon: app?.icon ?? null, color: app?.color ?? null }}
        onValuesChange={(changed: Partial<Values>) => {
          clearProblem();
          if (!editing && changed.name !== undefined && !form.isFieldTouched('key')) form.setFieldValue('key', keyFromName(changed.name));
        }}
      >
        <Form.Item name="name" label={t('apps.name')} rules={[{ required: true, whitespace: true, message: t('apps.nameRequired') }, { max: 200 }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item
          name="key"
          label={t('apps.key')}
          extra={editing ? t('apps.keyFixed') : t('apps.keyHint')}
          rules={
            editing
              ? []
              : [
                  { required: true, message: t('apps.keyRequired') },
                  { pattern: /^[a-z][a-z0-9_]{0,47}$/, message: t('apps.keyPattern') },
                ]
          }
        >
          <Input disabled={editing} />
        </Form.Item>
        <Form.Item name="description" label={t('apps.description')} rules={[{ max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item name="icon" label={t('apps.icon')} htmlFor="app-icon" style={{ flex: 1, minWidth: 180 }}>
            <Select
              id="app-icon"
              allowClear={{ label: t('common.clear') }}
              placeholder={t('apps.iconDefault')}
              options={ICON_NAMES.map((icon) => ({
                value: icon,
                label: (
                  <Flex align="center" gap={8}>
                    <AppIcon app={{ id: icon, icon, color: form.getFieldValue('color') ?? APP_COLOURS[0] }} size={18} />
                    {t(`apps.icons.${icon}`)}
                  </Flex>
                ),
              }))}
            />
          </Form.Item>
          <Form.Item name="color" label={t('apps.color')} htmlFor="app-color" style={{ flex: 1, minWidth: 180 }}>
            <Select
              id="app-color"
              allowClear={{ label: t('common.clear') }}
              placeholder={t('apps.colorDefault')}
              options={APP_COLOURS.map((color, i) => ({
                value: color,
                label: (
                  <Flex align="center" gap={8}>
                    <span aria-hidden style={{ width: 14, height: 14, borderRadius: 4, background: color, display: 'inline-block' }} />
                    {t(`apps.colors.${i}`)}
                  </Flex>
                ),
              }))}
            />
          </Form.Item>
        </Flex>
        {formError && <Alert role="alert" type="error" showIcon title={formError} />}
      </Form>
    </Modal>
  );
}
