import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, List, Modal, Radio, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import { useProblemForm } from '../../../ui/useProblemForm';
import { useEntity } from '../../apps/hooks/apps.queries';
import { useCreateWorkflow, useWorkflows } from '../hooks/useWorkflowDesign';
import { starterGraph } from '../model/graph-edit';
import { layoutGraph } from '../model/layout';
import { StatusMark } from './StatusMark';

interface NewWorkflow {
  name: string;
  startOn: 'create' | 'manual';
}

/** Route /apps/:appId/entities/:entityId/workflows: the entity's workflows; a new one opens in the designer. */
export function WorkflowListPage() {
  const { t } = useTranslation();
  const { entityId = '' } = useParams();
  const entity = useEntity(entityId);
  const workflows = useWorkflows(entityId);
  const [creating, setCreating] = useState(false);
  if (entity.error ?? workflows.error) return <ErrorState error={entity.error ?? workflows.error} onRetry={() => void workflows.refetch()} />;
  if (!entity.data || !workflows.data) return <LoadingState />;
  const add = (
    <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setCreating(true)}>
      {t('workflows.list.new')}
    </Button>
  );
  return (
    <>
      <Flex align="center" justify="space-between" gap={12} wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('workflows.list.title', { entity: entity.data.name })}
        </Typography.Title>
        {add}
      </Flex>
      {workflows.data.length === 0 ? (
        <EmptyState title={t('workflows.list.empty')} description={t('workflows.list.emptyHint')} />
      ) : (
        <List
          aria-label={t('workflows.list.title', { entity: entity.data.name })}
          bordered
          dataSource={workflows.data}
          renderItem={(w) => (
            <List.Item>
              <List.Item.Meta
                title={<Link to={w.id}>{w.name}</Link>}
                description={
                  <Flex gap={12} wrap>
                    {w.publishedVersion !== null && <StatusMark status="published" text={t('workflows.status.publishedOf', { version: w.publishedVersion })} />}
                    {w.draftVersion !== null && <StatusMark status="draft" text={t('workflows.status.draftOf', { version: w.draftVersion })} />}
                    <span>{t(`workflows.list.startOn.${w.startOn}`)}</span>
                  </Flex>
                }
              />
            </List.Item>
          )}
        />
      )}
      {creating && <NewWorkflowDialog entityId={entityId} onClose={() => setCreating(false)} />}
    </>
  );
}

function NewWorkflowDialog({ entityId, onClose }: { entityId: string; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<NewWorkflow>();
  const create = useCreateWorkflow(entityId);
  const navigate = useNavigate();
  const { formError, showProblem } = useProblemForm(form, ['name', 'startOn'], { START_ON_TAKEN: { field: 'startOn' } });
  async function submit(values: NewWorkflow) {
    try {
      const detail = await create.mutateAsync({ entityId, name: values.name.trim(), startOn: values.startOn, graph: layoutGraph(starterGraph()) });
      navigate(detail.id);
    } catch (error) {
      showProblem(error);
    }
  }
  return (
    <Modal
      open
      title={t('workflows.list.new')}
      okText={t('workflows.list.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Form form={form} layout="vertical" initialValues={{ name: '', startOn: 'create' }} onFinish={(v) => void submit(v)}>
        <Form.Item name="name" label={t('workflows.list.name')} rules={[{ required: true, whitespace: true, message: t('workflows.list.nameRequired') }]}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item name="startOn" label={t('workflows.list.startOnLabel')}>
          <Radio.Group options={(['create', 'manual'] as const).map((v) => ({ value: v, label: t(`workflows.list.startOn.${v}`) }))} />
        </Form.Item>
        {formError && <Alert type="error" showIcon title={formError} />}
      </Form>
    </Modal>
  );
}
