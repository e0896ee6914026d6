import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, Modal } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, callOrThrow } from '../../../api/client';
import { queryKeys } from '../../../api/query-keys';
import { useProblemForm } from '../../../ui/useProblemForm';
import { type Entity, type Id, keyFromName } from '../../apps/api/apps.api';

interface Values {
  name: string;
  key: string;
}

const FIELDS = ['name', 'key'] as const;

/** A new entity (name and key, no fields yet); then straight into its form designer. */
export function NewEntityModal({ appId, open, onClose }: { appId: Id; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const codeFields = useMemo(
    () => ({ DUPLICATE_KEY: { field: 'key', message: t('apps.duplicateKey') }, INVALID_KEY: { field: 'key' }, RESERVED_KEY: { field: 'key' } }),
    [t],
  );
  const { formError, showProblem, clearProblem } = useProblemForm(form, FIELDS, codeFields);
  const create = useMutation({
    mutationFn: (v: Values) =>
      callOrThrow(
        api.POST('/api/apps/{appId}/entities', { params: { path: { appId } }, body: { key: v.key.trim(), name: v.name.trim(), fields: [] } }),
      ) as Promise<unknown> as Promise<Entity>,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.entities(appId) }),
  });
  async function submit(values: Values) {
    clearProblem();
    try {
      const entity = await create.mutateAsync(values);
      onClose();
      void navigate(`/apps/${appId}/entities/${entity.id}/design`);
    } catch (error) {
      showProblem(error);
    }
  }
  return (
    <Modal
      open={open}
      title={t('designer.newEntity')}
      okText={t('apps.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        initialValues={{ name: '', key: '' }}
        onValuesChange={(changed: Partial<Values>) => {
          clearProblem();
          if (changed.name !== undefined && !form.isFieldTouched('key')) form.setFieldValue('key', keyFromName(changed.name, 'entity'));
        }}
      >
        <Form.Item name="name" label={t('apps.name')} rules={[{ required: true, whitespace: true, message: t('apps.nameRequired') }, { max: 200 }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item
          name="key"
          label={t('apps.key')}
          extra={t('apps.keyHint')}
          rules={[
            { required: true, message: t('apps.keyRequired') },
            { pattern: /^[a-z][a-z0-9_]{0,47}$/, message: t('apps.keyPattern') },
          ]}
        >
          <Input />
        </Form.Item>
        {formError && <Alert type="error" showIcon title={formError} />}
      </Form>
    </Modal>
  );
}
