import type { Schema } from '@crm/api-client';
import { Alert, Button, Checkbox, Drawer, Form, Input, Radio, Select, Space, Table, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { problemText } from '../../../ui/problem';
import { ConditionBuilder } from '../../../rules';
import type { Field } from '../../apps/api/apps.api';
import { departmentTree, useDepartments, useMembers, useRoles, type DepartmentNode } from '../api/org.queries';

export type PermissionGroup = Schema<'PermissionGroup'>;
export type GroupInput = Omit<PermissionGroup, 'id'>;
type Action = PermissionGroup['actions'][number];
type ScopeKind = 'all' | 'own' | 'department' | 'condition';

export const GROUP_ACTIONS: Action[] = ['view', 'create', 'edit', 'delete', 'import', 'export', 'bulk_edit', 'print', 'view_all_instances', 'manage_instances'];

const treeData = (nodes: DepartmentNode[]): unknown[] =>
  nodes.map((n) => ({ value: n.department.id, title: n.department.name, children: treeData(n.children) }));

/**
 * One permission group: who (members, departments, roles), which actions, which records (row
 * scope, with the condition builder), and the field visible/editable matrix. The server's
 * problems land beside the part they name (`/members/0`, `/rowScope/condition`, `/fields/x/editable`).
 */
export function PermissionGroupEditor(props: {
  group: GroupInput;
  fields: readonly Field[];
  saving: boolean;
  error: unknown;
  onSave: (g: GroupInput) => void;
  onClose: () => void;
  title: string;
}) {
  const { t } = useTranslation();
  const [group, setGroup] = useState<GroupInput>(props.group);
  const members = useMembers();
  const roles = useRoles();
  const departments = useDepartments();
  const issues = props.error instanceof ApiError ? props.error.errors : [];
  const at = (prefix: string) => issues.filter((i) => i.path === prefix || i.path.startsWith(`${prefix}/`)).map((i) => i.message);
  const set = (patch: Partial<GroupInput>) => setGroup((g) => ({ ...g, ...patch, preset: null }));
  const scopeKind = (group.rowScope.kind ?? 'all') as ScopeKind;
  const conditionIssue = issues.find((i) => i.path.startsWith('/rowScope/condition'));
  const other = issues.length === 0 && props.error ? problemText(props.error, t) : null;
  const status = (path: string) => (at(path).length ? { validateStatus: 'error' as const, help: at(path).join(' ') } : {});

  return (
    <Drawer
      open
      size="large"
      title={props.title}
      onClose={props.onClose}
      extra={
        <Button type="primary" loading={props.saving} onClick={() => props.onSave(group)}>
          {t('common.save')}
        </Button>
      }
    >
      <Form layout="vertical" component="div">
        <Form.Item label={t('perm.name')} htmlFor="pg-name" required {...status('/name')}>
          <Input id="pg-name" value={group.name} maxLength={100} onChange={(e) => setGroup((g) => ({ ...g, name: e.target.value }))} />
        </Form.Item>
        <Typography.Title level={3} style={{ fontSize: 15 }}>
          {t('perm.who')}
        </Typography.Title>
        <Form.Item label={t('perm.members')} htmlFor="pg-members" {...status('/members')}>
          <Select
            id="pg-members"
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            loading={members.isPending}
            value={group.members}
            onChange={(v: string[]) => set({ members: v })}
            options={(members.data ?? []).map((m) => ({ value: m.id, label: m.name }))}
          />
        </Form.Item>
        <Form.Item label={t('perm.departments')} htmlFor="pg-departments" {...status('/departments')}>
          <TreeSelect
            id="pg-departments"
            multiple
            treeDefaultExpandAll
            value={group.departments}
            onChange={(v: string[]) => set({ departments: v })}
            treeData={treeData(departmentTree(departments.data ?? [])) as never}
          />
        </Form.Item>
        <Form.Item label={t('perm.roles')} htmlFor="pg-roles" {...status('/roles')}>
          <Select
            id="pg-roles"
            mode="multiple"
            value={group.roles}
            onChange={(v: string[]) => set({ roles: v })}
            options={(roles.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
          />
        </Form.Item>
        <Form.Item label={t('perm.actions')} {...status('/actions')}>
          <Checkbox.Group
            value={group.actions}
            onChange={(v) => set({ actions: v as Action[] })}
            options={GROUP_ACTIONS.map((a) => ({ value: a, label: t(`perm.actionNames.${a}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('perm.scope')} {...status('/rowScope/kind')}>
          <Radio.Group
            value={scopeKind}
            onChange={(e) =>
              set({
                rowScope:
                  e.target.value === 'condition' ? { kind: 'condition', condition: group.rowScope.condition ?? {} } : { kind: e.target.value as ScopeKind },
              })
            }
            options={(['all', 'own', 'department', 'condition'] as const).map((k) => ({ value: k, label: t(`perm.scopes.${k}`) }))}
          />
        </Form.Item>
        {scopeKind === 'condition' && (
          <Form.Item label={t('perm.condition')}>
            <ConditionBuilder
              aria-label={t('perm.condition')}
              fields={props.fields}
              value={isEmptyObject(group.rowScope.condition) ? null : group.rowScope.condition}
              onChange={(condition) => set({ rowScope: { kind: 'condition', condition: (condition ?? {}) as never } })}
              problem={conditionIssue ? { path: conditionIssue.path.replace('/rowScope/condition', ''), message: conditionIssue.message } : null}
            />
          </Form.Item>
        )}
        <FieldMatrix fields={props.fields} rules={group.fields} onChange={(fields) => set({ fields })} errorsAt={at} />
        {other && <Alert type="error" showIcon title={other} style={{ marginTop: 12 }} />}
      </Form>
    </Drawer>
  );
}

const isEmptyObject = (x: unknown) => x === undefined || x === null || (typeof x === 'object' && Object.keys(x).length === 0);

type Rules = GroupInput['fields'];

/** Per field: visible, editable (editable implies visible; a field not listed is both). */
function FieldMatrix({
  fields,
  rules,
  onChange,
  errorsAt,
}: {
  fields: readonly Field[];
  rules: Rules;
  onChange: (r: Rules) => void;
  errorsAt: (p: string) => string[];
}) {
  const { t } = useTranslation();
  const rows = useMemo(() => fields.map((f) => ({ key: f.key, label: f.label })), [fields]);
  const rule = (key: string) => ({ visible: rules[key]?.visible ?? true, editable: rules[key]?.editable ?? rules[key]?.visible ?? true });
  const update = (key: string, next: { visible: boolean; editable: boolean }) => {
    const out = { ...rules };
    if (next.visible && next.editable) delete out[key];
    else out[key] = next;
    onChange(out);
  };
  return (
    <section aria-label={t('perm.fieldMatrix')}>
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        {t('perm.fieldMatrix')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        columns={[
          { key: 'label', title: t('perm.field'), render: (_, r) => <FieldLabel label={r.label} errors={errorsAt(`/fields/${r.key}`)} /> },
          {
            key: 'visible',
            title: t('perm.visible'),
            render: (_, r) => (
              <Checkbox
                aria-label={t('perm.visibleOf', { field: r.label })}
                checked={rule(r.key).visible}
                onChange={(e) => update(r.key, { visible: e.target.checked, editable: e.target.checked ? rule(r.key).editable : false })}
              />
            ),
          },
          {
            key: 'editable',
            title: t('perm.editable'),
            render: (_, r) => (
              <Checkbox
                aria-label={t('perm.editableOf', { field: r.label })}
                checked={rule(r.key).editable}
                onChange={(e) => update(r.key, { visible: e.target.checked ? true : rule(r.key).visible, editable: e.target.checked })}
              />
            ),
          },
        ]}
      />
    </section>
  );
}

function FieldLabel({ label, errors }: { label: string; errors: string[] }) {
  return (
    <Space orientation="vertical" size={0}>
      <span>{label}</span>
      {errors.map((e) => (
        <Typography.Text key={e} type="danger" role="alert">
          {e}
        </Typography.Text>
      ))}
    </Space>
  );
}
