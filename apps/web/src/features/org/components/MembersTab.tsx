import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App as AntdApp, Badge, Button, Checkbox, Flex, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, callOrThrow } from '../../../api/typed-client';
import { ErrorState } from '../../../ui/states';
import { useProblemForm } from '../../../ui/useProblemForm';
import { useSignedInSession } from '../../auth/hooks/useSession';
import { type Member, useDepartments, useMembers, useOrgMutation, useRoles } from '../api/org.queries';
import { CopyableSecret } from './CopyableSecret';
import { TokensDrawer } from './TokensDrawer';

interface MemberValues {
  name: string;
  email?: string;
  username?: string;
  password?: string;
  isAdmin?: boolean;
  departmentIds?: string[];
  roleIds?: string[];
}

const MEMBER_FIELDS = ['name', 'email', 'username', 'password', 'isAdmin', 'departmentIds', 'roleIds'] as const;

/** 成员: invite, change departments and roles, disable, reset a password, API tokens. */
export function MembersTab() {
  const { t } = useTranslation();
  const members = useMembers();
  const [editing, setEditing] = useState<Member | 'new' | null>(null);
  const [tokensOf, setTokensOf] = useState<Member | null>(null);
  const [secret, setSecret] = useState<{ title: string; url: string } | null>(null);
  const session = useSignedInSession();

  if (members.isError) return <ErrorState error={members.error} onRetry={() => void members.refetch()} />;
  return (
    <>
      <Flex justify="flex-end" style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('org.members.invite')}
        </Button>
      </Flex>
      <Table<Member>
        rowKey="id"
        size="small"
        loading={members.isPending}
        dataSource={members.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 800 }}
        columns={[
          { key: 'name', title: t('org.members.name'), render: (_, m) => <MemberName member={m} /> },
          { key: 'login', title: t('org.members.login'), render: (_, m) => m.email ?? m.username },
          { key: 'departments', title: t('org.members.departments'), render: (_, m) => m.departments.map((d) => <Tag key={d.id}>{d.name}</Tag>) },
          { key: 'roles', title: t('org.members.roles'), render: (_, m) => m.roles.map((r) => <Tag key={r.id}>{r.name}</Tag>) },
          { key: 'status', title: t('org.members.status'), render: (_, m) => <StatusTag status={m.status} /> },
          {
            key: 'actions',
            title: t('org.members.actions'),
            render: (_, m) => (
              <MemberActions member={m} isMe={m.id === session.user.id} onEdit={() => setEditing(m)} onTokens={() => setTokensOf(m)} onSecret={setSecret} />
            ),
          },
        ]}
      />
      {editing && <MemberModal member={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onInvited={setSecret} />}
      {tokensOf && <TokensDrawer member={tokensOf} isMe={tokensOf.id === session.user.id} onClose={() => setTokensOf(null)} />}
      <Modal
        open={secret !== null}
        title={secret?.title}
        onCancel={() => setSecret(null)}
        footer={<Button onClick={() => setSecret(null)}>{t('common.close')}</Button>}
      >
        {secret && <CopyableSecret value={secret.url} hint={t('org.members.linkOnce')} label={secret.title} />}
      </Modal>
    </>
  );
}

function MemberName({ member }: { member: Member }) {
  const { t } = useTranslation();
  return (
    <Space size={4}>
      <span>{member.name}</span>
      {member.isAdmin && <Tag>{t('org.members.admin')}</Tag>}
    </Space>
  );
}

function StatusTag({ status }: { status: Member['status'] }) {
  const { t } = useTranslation();
  const badge = status === 'active' ? 'success' : status === 'invited' ? 'processing' : 'default';
  return <Badge status={badge} text={t(`org.members.statuses.${status}`)} />;
}

function MemberActions(props: {
  member: Member;
  isMe: boolean;
  onEdit: () => void;
  onTokens: () => void;
  onSecret: (s: { title: string; url: string }) => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = AntdApp.useApp();
  const { member } = props;
  const setStatus = useOrgMutation((status: 'active' | 'disabled') =>
    callOrThrow(api.PATCH('/api/members/{id}', { params: { path: { id: member.id } }, body: { status } })),
  );
  const reset = useOrgMutation(() => callOrThrow(api.POST('/api/members/{id}/reset-password', { params: { path: { id: member.id } }, body: {} })));
  const fail = (error: unknown) => void message.error(error instanceof Error ? error.message : String(error));
  return (
    <Space size={0} wrap>
      <Button type="link" size="small" onClick={props.onEdit} aria-label={t('org.members.editOf', { name: member.name })}>
        {t('common.edit')}
      </Button>
      {!props.isMe && member.status !== 'invited' && (
        <Button
          type="link"
          size="small"
          danger={member.status === 'active'}
          aria-label={t(member.status === 'active' ? 'org.members.disableOf' : 'org.members.enableOf', { name: member.name })}
          onClick={() =>
            member.status === 'active'
              ? modal.confirm({
                  title: t('org.members.disableConfirm', { name: member.name }),
                  content: t('org.members.disableHint'),
                  okButtonProps: { danger: true },
                  onOk: () => setStatus.mutateAsync('disabled').catch(fail),
                })
              : setStatus.mutate('active', { onError: fail })
          }
        >
          {t(member.status === 'active' ? 'org.members.disable' : 'org.members.enable')}
        </Button>
      )}
      <Button
        type="link"
        size="small"
        aria-label={t('org.members.resetOf', { name: member.name })}
        onClick={() =>
          modal.confirm({
            title: t('org.members.resetConfirm', { name: member.name }),
            content: t('org.members.resetHint'),
            onOk: () =>
              reset
                .mutateAsync(undefined)
                .then((r) => r.resetUrl && props.onSecret({ title: t('org.members.resetLink', { name: member.name }), url: r.resetUrl }))
                .catch(fail),
          })
        }
      >
        {t('org.members.reset')}
      </Button>
      <Button type="link" size="small" icon={<KeyOutlined />} onClick={props.onTokens} aria-label={t('org.tokens.of', { name: member.name })}>
        {t('org.tokens.title')}
      </Button>
    </Space>
  );
}

function MemberModal({ member, onClose, onInvited }: { member: Member | null; onClose: () => void; onInvited: (s: { title: string; url: string }) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<MemberValues>();
  const { formError, showProblem, clearProblem } = useProblemForm(form, MEMBER_FIELDS, {
    MEMBER_EXISTS: { field: 'email' },
    DUPLICATE_KEY: { field: 'email' },
  });
  const departments = useDepartments();
  const roles = useRoles();
  const save = useOrgMutation(async (values: MemberValues) => {
    if (member) {
      const { name, isAdmin, departmentIds, roleIds } = values;
      await callOrThrow(api.PATCH('/api/members/{id}', { params: { path: { id: member.id } }, body: { name, isAdmin, departmentIds, roleIds } }));
      return null;
    }
    const body = { ...values, email: values.email || undefined, username: values.username || undefined, password: values.password || undefined };
    return callOrThrow(api.POST('/api/members', { body }));
  });
  return (
    <Modal
      open
      title={member ? t('org.members.editTitle', { name: member.name }) : t('org.members.invite')}
      okText={member ? t('common.save') : t('org.members.inviteOk')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<MemberValues>
        form={form}
        layout="vertical"
        initialValues={
          member
            ? { name: member.name, isAdmin: member.isAdmin, departmentIds: member.departments.map((d) => d.id), roleIds: member.roles.map((r) => r.id) }
            : { isAdmin: false, departmentIds: [], roleIds: [] }
        }
        onValuesChange={clearProblem}
        onFinish={(values) =>
          save.mutate(values, {
            onSuccess: (result) => {
              if (result?.inviteUrl) onInvited({ title: t('org.members.inviteLink', { name: result.member.name }), url: result.inviteUrl });
              onClose();
            },
            onError: showProblem,
          })
        }
      >
        <Form.Item name="name" label={t('org.members.name')} rules={[{ required: true, message: t('org.members.nameRequired') }]}>
          <Input maxLength={200} />
        </Form.Item>
        {!member && (
          <>
            <Form.Item name="email" label={t('org.members.email')} rules={[{ type: 'email', message: t('org.members.emailInvalid') }]}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="username" label={t('org.members.username')} extra={t('org.members.loginHint')}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('org.members.password')}
              extra={t('org.members.passwordHint')}
              rules={[{ min: 8, message: t('org.members.passwordShort') }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </>
        )}
        <Form.Item name="departmentIds" label={t('org.members.departments')}>
          <Select
            mode="multiple"
            loading={departments.isPending}
            optionFilterProp="label"
            options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
        <Form.Item name="roleIds" label={t('org.members.roles')}>
          <Select
            mode="multiple"
            loading={roles.isPending}
            optionFilterProp="label"
            options={(roles.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
          />
        </Form.Item>
        <Form.Item name="isAdmin" valuePropName="checked">
          <Checkbox>{t('org.members.isAdmin')}</Checkbox>
        </Form.Item>
        {formError && <Alert type="error" showIcon title={formError} />}
        {!member && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('org.members.inviteHint')}
          </Typography.Paragraph>
        )}
      </Form>
    </Modal>
  );
}
