import type { Schema } from '@crm/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntdApp, Badge, Button, Checkbox, Drawer, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../../api/query-keys';
import { api, callOrThrow } from '../../../api/typed-client';
import { ErrorState } from '../../../ui/states';
import { useProblemForm } from '../../../ui/useProblemForm';
import type { Member } from '../api/org.queries';
import { CopyableSecret } from './CopyableSecret';

type Token = Schema<'Token'>;

/**
 * A member's API tokens: listed with last use, revoked at once. The server makes tokens only
 * for the signed-in member themself (a token acts as its member), so "create" shows on your own row.
 */
export function TokensDrawer({ member, isMe, onClose }: { member: Member; isMe: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntdApp.useApp();
  const queryClient = useQueryClient();
  const key = queryKeys.tokens(member.id);
  const tokens = useQuery({
    queryKey: key,
    queryFn: async ({ signal }) => (await callOrThrow(api.GET('/api/tokens', { params: { query: { userId: member.id } }, signal }))).items,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => callOrThrow(api.DELETE('/api/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
    onError: (e) => void message.error(e.message),
  });
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');
  return (
    <Drawer open title={t('org.tokens.titleOf', { name: member.name })} onClose={onClose} size="large">
      {isMe ? (
        <CreateToken onCreated={() => void queryClient.invalidateQueries({ queryKey: key })} />
      ) : (
        <Alert type="info" showIcon title={t('org.tokens.onlyOwn')} style={{ marginBottom: 16 }} />
      )}
      {tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : (
        <Table<Token>
          rowKey="id"
          size="small"
          loading={tokens.isPending}
          dataSource={tokens.data ?? []}
          pagination={false}
          scroll={{ x: 600 }}
          locale={{ emptyText: <Typography.Text type="secondary">{t('org.tokens.none')}</Typography.Text> }}
          columns={[
            { key: 'name', title: t('org.tokens.name'), dataIndex: 'name' },
            { key: 'created', title: t('org.tokens.created'), render: (_, x) => date(x.createdAt) },
            { key: 'used', title: t('org.tokens.lastUsed'), render: (_, x) => date(x.lastUsedAt) },
            {
              key: 'state',
              title: t('org.tokens.state'),
              render: (_, x) => (
                <Space size={4} wrap>
                  {x.revokedAt ? <Badge status="default" text={t('org.tokens.revoked')} /> : <Badge status="success" text={t('org.tokens.active')} />}
                  {x.readOnly && <Tag>{t('org.tokens.readOnly')}</Tag>}
                </Space>
              ),
            },
            {
              key: 'revoke',
              title: t('org.members.actions'),
              render: (_, x) =>
                !x.revokedAt && (
                  <Popconfirm
                    title={t('org.tokens.revokeConfirm', { name: x.name })}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => revoke.mutateAsync(x.id)}
                  >
                    <Button type="link" danger size="small" aria-label={t('org.tokens.revokeOf', { name: x.name })}>
                      {t('org.tokens.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      )}
    </Drawer>
  );
}

function CreateToken({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; readOnly: boolean }>();
  const { formError, showProblem, clearProblem } = useProblemForm(form, ['name', 'readOnly']);
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation({ mutationFn: (body: { name: string; readOnly: boolean }) => callOrThrow(api.POST('/api/tokens', { body })) });
  return (
    <div style={{ marginBottom: 16 }}>
      {secret && <CopyableSecret value={secret} hint={t('org.tokens.shownOnce')} label={t('org.tokens.secret')} />}
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        {t('org.tokens.create')}
      </Typography.Title>
      <Form
        form={form}
        layout="inline"
        initialValues={{ readOnly: false }}
        onValuesChange={clearProblem}
        onFinish={(values) =>
          create.mutate(values, {
            onSuccess: (created) => {
              setSecret(created.token);
              form.resetFields();
              onCreated();
            },
            onError: showProblem,
          })
        }
      >
        <Form.Item name="name" label={t('org.tokens.name')} rules={[{ required: true, message: t('org.tokens.nameRequired') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="readOnly" valuePropName="checked">
          <Checkbox>{t('org.tokens.readOnly')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('org.tokens.create')}
        </Button>
      </Form>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginTop: 8 }} />}
    </div>
  );
}
