import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntdApp, Button, Card, Dropdown, Flex, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { queryKeys } from '../../../api/query-keys';
import { api, callOrThrow } from '../../../api/typed-client';
import { problemText } from '../../../ui/problem';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import type { Entity } from '../../apps/api/apps.api';
import { useApp, useEntities } from '../../apps/hooks/apps.queries';
import { useMembers } from '../api/org.queries';
import { type GroupInput, type PermissionGroup, PermissionGroupEditor } from './PermissionGroupEditor';
import { ViewAsMember } from './ViewAsMember';

const PRESETS = ['submit_only', 'manage_own', 'view_all', 'manage_all'] as const;
const EMPTY: GroupInput = { name: '', preset: null, members: [], departments: [], roles: [], actions: ['view'], rowScope: { kind: 'own' }, fields: {} };

/** 权限: an app's admins and, per entity, its permission groups and "view as member". */
export function AppPermissionsPage() {
  const { t } = useTranslation();
  const { appId = '', entityId } = useParams();
  const navigate = useNavigate();
  const app = useApp(appId);
  const entities = useEntities(appId);
  const entity = entities.data?.find((e) => String(e.id) === entityId);

  useEffect(() => {
    const first = entities.data?.[0];
    if (!entityId && first) navigate(`/apps/${appId}/permissions/${first.id}`, { replace: true });
  }, [entityId, entities.data, appId, navigate]);

  if (entities.isPending) return <LoadingState />;
  if (entities.isError) return <ErrorState error={entities.error} onRetry={() => void entities.refetch()} />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 1200 }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('perm.title', { app: app.data?.name ?? '' })}
      </Typography.Title>
      <AppAdminsCard appId={appId} />
      <Flex gap={8} align="center" wrap>
        <label htmlFor="perm-entity">{t('perm.entity')}</label>
        <Select
          id="perm-entity"
          style={{ minWidth: 220 }}
          value={entity ? String(entity.id) : undefined}
          onChange={(id) => navigate(`/apps/${appId}/permissions/${id}`)}
          options={(entities.data ?? []).map((e) => ({ value: String(e.id), label: e.name }))}
        />
      </Flex>
      {entities.data.length === 0 && <EmptyState title={t('perm.noEntities')} />}
      {entity && <EntityGroups key={String(entity.id)} entity={entity} />}
      {entity && <ViewAsMember key={`as-${entity.id}`} entity={entity} />}
    </Space>
  );
}

function EntityGroups({ entity }: { entity: Entity }) {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const queryClient = useQueryClient();
  const key = queryKeys.permissionGroups(entity.id);
  const groups = useQuery({
    queryKey: key,
    queryFn: async ({ signal }) =>
      (await callOrThrow(api.GET('/api/entities/{entityId}/permission-groups', { params: { path: { entityId: String(entity.id) } }, signal }))).items,
  });
  const [editing, setEditing] = useState<{ id: string | null; group: GroupInput } | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: key }),
      queryClient.invalidateQueries({ queryKey: ['entities', String(entity.id), 'access-preview'] }),
    ]);
  const save = useMutation({
    mutationFn: ({ id, group }: { id: string | null; group: GroupInput }) =>
      id
        ? callOrThrow(api.PATCH('/api/permission-groups/{id}', { params: { path: { id } }, body: group }))
        : callOrThrow(api.POST('/api/entities/{entityId}/permission-groups', { params: { path: { entityId: String(entity.id) } }, body: group })),
    onSuccess: async () => {
      setEditing(null);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => callOrThrow(api.DELETE('/api/permission-groups/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const addPreset = (preset: (typeof PRESETS)[number]) =>
    callOrThrow(
      api.POST('/api/entities/{entityId}/permission-groups', {
        params: { path: { entityId: String(entity.id) } },
        body: { name: t(`perm.presets.${preset}`), preset } as never,
      }),
    ).then(refresh, (e: unknown) => void message.error(problemText(e, t)));
  const open = (id: string | null, group: GroupInput) => {
    save.reset();
    setEditing({ id, group });
  };

  return (
    <Card
      title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('perm.groupsOf', { entity: entity.name })}</h2>}
      extra={
        <Space wrap>
          <Dropdown trigger={['click']} menu={{ items: PRESETS.map((p) => ({ key: p, label: t(`perm.presets.${p}`), onClick: () => void addPreset(p) })) }}>
            <Button>
              {t('perm.addPreset')} <DownOutlined aria-hidden />
            </Button>
          </Dropdown>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open(null, EMPTY)}>
            {t('perm.addCustom')}
          </Button>
        </Space>
      }
    >
      {groups.isError ? (
        <ErrorState error={groups.error} onRetry={() => void groups.refetch()} />
      ) : (
        <Table<PermissionGroup>
          rowKey="id"
          size="small"
          loading={groups.isPending}
          dataSource={groups.data ?? []}
          pagination={false}
          scroll={{ x: 700 }}
          locale={{ emptyText: <Typography.Text type="secondary">{t('perm.noGroups')}</Typography.Text> }}
          columns={[
            {
              key: 'name',
              title: t('perm.name'),
              render: (_, g) => (
                <Space size={4}>
                  {g.name}
                  {g.preset && <Tag>{t(`perm.presets.${g.preset}`)}</Tag>}
                </Space>
              ),
            },
            { key: 'who', title: t('perm.who'), render: (_, g) => <WhoTags group={g} /> },
            { key: 'actions', title: t('perm.actions'), render: (_, g) => g.actions.map((a) => t(`perm.actionNames.${a}`)).join('、') },
            { key: 'scope', title: t('perm.scope'), render: (_, g) => t(`perm.scopes.${g.rowScope.kind ?? 'all'}`) },
            {
              key: 'edit',
              title: t('org.members.actions'),
              render: (_, g) => (
                <Space size={0}>
                  <Button type="link" size="small" aria-label={t('perm.editOf', { name: g.name })} onClick={() => open(g.id, withoutId(g))}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm title={t('perm.deleteConfirm', { name: g.name })} okButtonProps={{ danger: true }} onConfirm={() => remove.mutateAsync(g.id)}>
                    <Button type="link" size="small" danger aria-label={t('perm.deleteOf', { name: g.name })}>
                      {t('perm.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      {editing && (
        <PermissionGroupEditor
          title={editing.id ? t('perm.editTitle', { name: editing.group.name }) : t('perm.addCustom')}
          group={editing.group}
          fields={entity.fields}
          saving={save.isPending}
          error={save.error}
          onSave={(group) => save.mutate({ id: editing.id, group })}
          onClose={() => setEditing(null)}
        />
      )}
    </Card>
  );
}

function withoutId(g: PermissionGroup): GroupInput {
  const { id: _id, ...rest } = g;
  return rest;
}

function WhoTags({ group }: { group: PermissionGroup }) {
  const { t } = useTranslation();
  const n = group.members.length + group.departments.length + group.roles.length;
  if (n === 0) return <Typography.Text type="secondary">{t('perm.nobody')}</Typography.Text>;
  return (
    <Space size={4} wrap>
      {group.members.length > 0 && <Tag>{t('perm.nMembers', { count: group.members.length })}</Tag>}
      {group.departments.length > 0 && <Tag>{t('perm.nDepartments', { count: group.departments.length })}</Tag>}
      {group.roles.length > 0 && <Tag>{t('perm.nRoles', { count: group.roles.length })}</Tag>}
    </Space>
  );
}

function AppAdminsCard({ appId }: { appId: string }) {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const queryClient = useQueryClient();
  const members = useMembers();
  const admins = useQuery({
    queryKey: queryKeys.appAdmins(appId),
    queryFn: async ({ signal }) => (await callOrThrow(api.GET('/api/apps/{appId}/admins', { params: { path: { appId } }, signal }))).admins,
  });
  const [value, setValue] = useState<string[] | null>(null);
  const save = useMutation({
    mutationFn: (userIds: string[]) => callOrThrow(api.PUT('/api/apps/{appId}/admins', { params: { path: { appId } }, body: { userIds } })),
    onSuccess: async () => {
      setValue(null);
      await queryClient.invalidateQueries({ queryKey: queryKeys.appAdmins(appId) });
      void message.success(t('perm.adminsSaved'));
    },
    onError: (e) => void message.error(problemText(e, t)),
  });
  const current = value ?? (admins.data ?? []).map((a) => a.id);
  return (
    <Card title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('perm.appAdmins')}</h2>}>
      <Typography.Paragraph type="secondary">{t('perm.appAdminsHint')}</Typography.Paragraph>
      <Flex gap={8} wrap>
        <Select
          aria-label={t('perm.appAdmins')}
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          style={{ minWidth: 280, flex: 1 }}
          loading={admins.isPending || members.isPending}
          value={current}
          onChange={setValue}
          options={(members.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
        />
        <Button disabled={value === null} loading={save.isPending} onClick={() => save.mutate(current)}>
          {t('common.save')}
        </Button>
      </Flex>
    </Card>
  );
}
