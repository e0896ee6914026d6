import { Alert, Form, Input, Modal } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemForm } from '../../../ui/useProblemForm';
import { keyFromName, type App } from '../../apps/api/apps.api';
import { useCreateApp, useUpdateApp } from '../../apps/hooks/apps.queries';

interface Values {
  name: string;
  key: string;
  description?: string;
}

const FIELDS = ['name', 'key', 'description'] as const;

/** Create an app (name, key, description) or rename one (`app` given; the key never changes). */
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
      if (editing) await update.mutateAsync({ appId: app.id, name: values.name.trim(), description: values.description?.trim() ?? '' });
      else
        await create.mutateAsync({
          key: values.key.trim(),
          name: values.name.trim(),
          ...(values.description?.trim() ? { description: values.description.trim() } : {}),
        });
      onClose();
    } catch (error) {
      showProblem(error);
    }
  }

  return (
    <Modal
      open={open}
      title={editing ? t('apps.renameTitle') : t('apps.createTitle')}
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
        initialValues={{ name: app?.name ?? '', key: app?.key ?? '', description: app?.description ?? '' }}
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
        {formError && <Alert role="alert" type="error" showIcon title={formError} />}
      </Form>
    </Modal>
  );
}
