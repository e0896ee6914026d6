import { ApartmentOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Button, Card, Empty, Flex, Form, Input, Modal, Popconfirm, Select, Space, Tree, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, callOrThrow } from '../../../api/typed-client';
import { problemText } from '../../../ui/problem';
import { ErrorState, LoadingState } from '../../../ui/states';
import { useProblemForm } from '../../../ui/useProblemForm';
import { type Department, type DepartmentNode, departmentTree, useDepartments, useMembers, useOrgMutation } from '../api/org.queries';

interface DepartmentValues {
  name: string;
  parentId: string | null;
  headUserId: string | null;
}

type TreeNode = { key: string; title: string; children: TreeNode[] };
const toTree = (nodes: DepartmentNode[]): TreeNode[] =>
  nodes.map((n) => ({ key: n.department.id, title: `${n.department.name} (${n.department.memberCount})`, children: toTree(n.children) }));
const toSelect = (nodes: DepartmentNode[], except?: string): { value: string; title: string; children: unknown[] }[] =>
  nodes.filter((n) => n.department.id !== except).map((n) => ({ value: n.department.id, title: n.department.name, children: toSelect(n.children, except) }));

/** 部门: the tree (drag a department onto another to move it under it, or between two to make it their sibling), heads. */
export function DepartmentsTab() {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const departments = useDepartments();
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const byId = useMemo(() => new Map((departments.data ?? []).map((d) => [d.id, d])), [departments.data]);
  const tree = useMemo(() => departmentTree(departments.data ?? []), [departments.data]);
  const move = useOrgMutation(({ id, parentId }: { id: string; parentId: string | null }) =>
    callOrThrow(api.PATCH('/api/departments/{id}', { params: { path: { id } }, body: { parentId } })),
  );
  const remove = useOrgMutation((id: string) => callOrThrow(api.DELETE('/api/departments/{id}', { params: { path: { id } } })));

  if (departments.isPending) return <LoadingState />;
  if (departments.isError) return <ErrorState error={departments.error} onRetry={() => void departments.refetch()} />;
  const current = selected ? byId.get(selected) : undefined;
  return (
    <Flex gap={16} wrap align="start">
      <Card
        title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('org.departments.tree')}</h2>}
        extra={
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('org.departments.add')}
          </Button>
        }
        style={{ flex: '1 1 320px', minWidth: 0 }}
      >
        <Typography.Paragraph type="secondary">{t('org.departments.dragHint')}</Typography.Paragraph>
        {tree.length === 0 ? (
          <Empty description={t('org.departments.none')} />
        ) : (
          <Tree
            aria-label={t('org.departments.tree')}
            draggable={{ icon: false }}
            blockNode
            defaultExpandAll
            showIcon
            icon={<ApartmentOutlined />}
            treeData={toTree(tree)}
            selectedKeys={selected ? [selected] : []}
            onSelect={(keys) => setSelected((keys[0] as string | undefined) ?? null)}
            onDrop={(info) => {
              const target = byId.get(String(info.node.key));
              const id = String(info.dragNode.key);
              const parentId = info.dropToGap ? (target?.parentId ?? null) : String(info.node.key);
              if (byId.get(id)?.parentId === parentId) return;
              move.mutate({ id, parentId }, { onError: (e) => void message.error(problemText(e, t)) });
            }}
          />
        )}
      </Card>
      <Card title={<h2 style={{ fontSize: 15, margin: 0 }}>{current?.name ?? t('org.departments.details')}</h2>} style={{ flex: '1 1 320px', minWidth: 0 }}>
        {current ? (
          <Space orientation="vertical">
            <Typography.Text>{t('org.departments.memberCount', { count: current.memberCount })}</Typography.Text>
            <Typography.Text>
              {t('org.departments.parent')}: {current.parentId ? byId.get(current.parentId)?.name : t('org.departments.topLevel')}
            </Typography.Text>
            <HeadName userId={current.headUserId} />
            <Space>
              <Button onClick={() => setEditing(current)}>{t('common.edit')}</Button>
              <Popconfirm
                title={t('org.departments.deleteConfirm', { name: current.name })}
                okButtonProps={{ danger: true }}
                onConfirm={() =>
                  remove.mutateAsync(current.id).then(
                    () => setSelected(null),
                    (e) => void message.error(problemText(e, t)),
                  )
                }
              >
                <Button danger>{t('org.departments.delete')}</Button>
              </Popconfirm>
            </Space>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('org.departments.pick')}</Typography.Text>
        )}
      </Card>
      {editing && <DepartmentModal department={editing === 'new' ? null : editing} tree={tree} parentId={selected} onClose={() => setEditing(null)} />}
    </Flex>
  );
}

function HeadName({ userId }: { userId: string | null }) {
  const { t } = useTranslation();
  const members = useMembers();
  const name = userId ? (members.data?.find((m) => m.id === userId)?.name ?? '…') : t('org.departments.noHead');
  return (
    <Typography.Text>
      {t('org.departments.head')}: {name}
    </Typography.Text>
  );
}

function DepartmentModal({
  department,
  tree,
  parentId,
  onClose,
}: {
  department: Department | null;
  tree: DepartmentNode[];
  parentId: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<DepartmentValues>();
  const { formError, showProblem, clearProblem } = useProblemForm(form, ['name', 'parentId', 'headUserId'], {
    DUPLICATE_NAME: { field: 'name' },
    DEPARTMENT_CYCLE: { field: 'parentId' },
  });
  const members = useMembers();
  const save = useOrgMutation((values: DepartmentValues) =>
    department
      ? callOrThrow(api.PATCH('/api/departments/{id}', { params: { path: { id: department.id } }, body: values }))
      : callOrThrow(api.POST('/api/departments', { body: values })),
  );
  return (
    <Modal
      open
      title={department ? t('org.departments.editTitle', { name: department.name }) : t('org.departments.add')}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form<DepartmentValues>
        form={form}
        layout="vertical"
        initialValues={
          department ? { name: department.name, parentId: department.parentId, headUserId: department.headUserId } : { name: '', parentId, headUserId: null }
        }
        onValuesChange={clearProblem}
        onFinish={(values) =>
          save.mutate({ ...values, parentId: values.parentId ?? null, headUserId: values.headUserId ?? null }, { onSuccess: onClose, onError: showProblem })
        }
      >
        <Form.Item name="name" label={t('org.departments.name')} rules={[{ required: true, message: t('org.departments.nameRequired') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="parentId" label={t('org.departments.parent')} extra={t('org.departments.parentHint')}>
          <TreeSelect allowClear treeDefaultExpandAll treeData={toSelect(tree, department?.id) as never} placeholder={t('org.departments.topLevel')} />
        </Form.Item>
        <Form.Item name="headUserId" label={t('org.departments.head')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={members.isPending}
            options={(members.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
          />
        </Form.Item>
        {formError && <Alert type="error" showIcon title={formError} />}
      </Form>
    </Modal>
  );
}
