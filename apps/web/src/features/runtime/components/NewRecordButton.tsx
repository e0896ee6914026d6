import { PlusOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Button, Form, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemForm } from '../../../ui/useProblemForm';
import type { Entity } from '../../apps/api/apps.api';
import { useCreateRecord } from '../hooks/records.queries';
import { ValueInput } from './ValueInput';

/** The field types a new record's form asks for here (the ones ValueInput edits); the others keep their defaults. */
const ASKED = new Set(['text', 'textarea', 'email', 'phone', 'url', 'number', 'money', 'percent', 'select', 'radio', 'switch', 'rating']);

/** *New record*: a dialog with the entity's simple fields, created through the write pipeline (a workflow that starts on create starts). */
export function NewRecordButton({ entity }: { entity: Entity }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setOpen(true)}>
        {t('records.new')}
      </Button>
      {open && <NewRecordDialog entity={entity} onClose={() => setOpen(false)} />}
    </>
  );
}

function NewRecordDialog({ entity, onClose }: { entity: Entity; onClose(): void }) {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const create = useCreateRecord(entity);
  const fields = entity.fields.filter((f) => ASKED.has(f.type));
  const { formError, showProblem } = useProblemForm(
    form,
    fields.map((f) => f.key),
  );
  async function submit(values: Record<string, unknown>) {
    const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''));
    try {
      const record = await create.mutateAsync(body);
      message.success(t('records.created', { id: record.id }));
      onClose();
    } catch (error) {
      showProblem(error);
    }
  }
  return (
    <Modal
      open
      title={t('records.newTitle', { entity: entity.name })}
      okText={t('records.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        {fields.map((f) => (
          <Form.Item
            key={f.key}
            name={f.key}
            label={f.label}
            rules={f.required ? [{ required: true, message: t('records.required', { field: f.label }) }] : []}
          >
            <ValueInput field={f} value={undefined} onChange={() => undefined} label={f.label} />
          </Form.Item>
        ))}
        {formError && <Alert type="error" showIcon title={formError} />}
      </Form>
    </Modal>
  );
}
