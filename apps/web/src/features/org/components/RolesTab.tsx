import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App as AntdApp, Button, Flex, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, callOrThrow } from '../../../api/typed-client';
import { problemText } from '../../../ui/problem';
import { ErrorState } from '../../../ui/states';
import { useProblemForm } from '../../../ui/useProblemForm';
import { type Role, useMembers, useOrgMutation, useRoles } from '../api/org.queries';

/** 角色: named sets of members that permission groups grant to. */
export function RolesTab() {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const roles = useRoles();
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const remove = useOrgMutation((id: string) => callOrThrow(api.DELETE('/api/roles/{id}', { params: { path: { id } } })));
  if (roles.isError) return <ErrorState error={roles.error} onRetry={() => void roles.refetch()} />;
  return (
    <>
      <Flex justify="flex-end" style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('org.roles.add')}
        </Button>
      </Flex>
      <Table<Role>
        rowKey="id"
        size="small"
        loading={roles.isPending}
        dataSource={roles.data ?? []}
        pagination={false}
        locale={{ emptyText: <Typography.Text type="secondary">{t('org.roles.none')}</Typography.Text> }}
        columns={[
          { key: 'name', title: t('org.roles.name'), dataIndex: 'name' },
          { key: 'count', title: t('org.roles.memberCount'), dataIndex: 'memberCount' },
          {
            key: 'actions',
            title: t('org.members.actions'),
            render: (_, role) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(role)} aria-label={t('org.roles.editOf', { name: role.name })}>
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('org.roles.deleteConfirm', { name: role.name })}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => remove.mutateAsync(role.id).catch((e: unknown) => void message.error(problemText(e, t)))}
                >
                  <Button type="link" size="small" danger aria-label={t('org.roles.deleteOf', { name: role.name })}>
                    {t('org.roles.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && <RoleModal role={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function RoleModal({ role, onClose }: { role: Role | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; userIds: string[] }>();
  const { formError, showProblem, clearProblem } = useProblemForm(form, ['name', 'userIds'], { DUPLICATE_NAME: { field: 'name' } });
  const members = useMembers();
  const detail = useQuery({
    queryKey: ['org', 'roles', role?.id ?? 'new'],
    enabled: role !== null,
    queryFn: () => callOrThrow(api.GET('/api/roles/{id}', { params: { path: { id: role!.id } } })),
  });
  const save = useOrgMutation(async ({ name, userIds }: { name: string; userIds: string[] }) => {
    if (!role) return callOrThrow(api.POST('/api/roles', { body: { name, userIds } }));
    await callOrThrow(api.PATCH('/api/roles/{id}', { params: { path: { id: role.id } }, body: { name } }));
    return callOrThrow(api.PUT('/api/roles/{id}/members', { params: { path: { id: role.id } }, body: { userIds } }));
  });
  const ready = role === null || detail.data !== undefined;
  return (
    <Modal
      open
      title={role ? t('org.roles.editTitle', { name: role.name }) : t('org.roles.add')}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      {ready && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ name: role?.name ?? '', userIds: detail.data?.memberIds ?? [] }}
          onValuesChange={clearProblem}
          onFinish={(values) => save.mutate({ name: values.name, userIds: values.userIds ?? [] }, { onSuccess: onClose, onError: showProblem })}
        >
          <Form.Item name="name" label={t('org.roles.name')} rules={[{ required: true, message: t('org.roles.nameRequired') }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="userIds" label={t('org.roles.members')}>
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              loading={members.isPending}
              options={(members.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
            />
          </Form.Item>
          {formError && <Alert type="error" showIcon title={formError} />}
        </Form>
      )}
    </Modal>
  );
}
