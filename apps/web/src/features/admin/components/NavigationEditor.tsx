import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, FolderAddOutlined, HolderOutlined, SettingOutlined, TableOutlined } from '@ant-design/icons';
import { closestCorners, DndContext, type DragEndEvent, type DragOverEvent, useDroppable } from '@dnd-kit/core';
import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Alert, App as AntdApp, Button, Card, Flex, Input, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { problemText } from '../../../ui/problem';
import { useSortableAccessibility, useSortableSensors } from '../../../ui/sortable';
import { ErrorState, LoadingState } from '../../../ui/states';
import type { NavGroup } from '../../apps/api/apps.api';
import { useApp, useNavigation, useSaveNavigation } from '../../apps/hooks/apps.queries';
import { GROUP_DROP_PREFIX, locate, moveGroup, moveItem, removeGroup } from '../navigation-model';

type Item = NavGroup['items'][number];

/** 导航设置: the app's menu — entities in groups and order; drag (or keyboard) to arrange, then save. */
export function NavigationEditor() {
  const { t } = useTranslation();
  const { appId = '' } = useParams();
  const app = useApp(appId);
  const navigation = useNavigation(appId);
  const [groups, setGroups] = useState<NavGroup[] | null>(null);
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    if (navigation.data && !dirty) setGroups(navigation.data.groups);
  }, [navigation.data, dirty]);

  const change = (next: NavGroup[]) => {
    setGroups(next);
    setDirty(true);
  };

  if (navigation.isPending || (!groups && !navigation.isError)) return <LoadingState />;
  if (navigation.isError || !groups) return <ErrorState error={navigation.error} onRetry={() => void navigation.refetch()} />;

  return (
    <section aria-labelledby="nav-title" style={{ maxWidth: 720 }}>
      <Flex align="center" justify="space-between" wrap gap={8} style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={1} id="nav-title" style={{ fontSize: 20, margin: 0 }}>
            {t('navigation.title', { app: app.data?.name ?? '' })}
          </Typography.Title>
          <Typography.Text type="secondary">{t('navigation.hint')}</Typography.Text>
        </div>
        <Button
          icon={<FolderAddOutlined aria-hidden />}
          onClick={() => change([...groups, { id: `g${Date.now().toString(36)}`, name: t('navigation.newGroupName', { n: groups.length + 1 }), items: [] }])}
        >
          {t('navigation.addGroup')}
        </Button>
      </Flex>
      <Groups appId={appId} groups={groups} onChange={change} />
      <SaveBar appId={appId} groups={groups} dirty={dirty} onSaved={() => setDirty(false)} onReset={() => setDirty(false)} />
    </section>
  );
}

function Groups({ appId, groups, onChange }: { appId: string; groups: NavGroup[]; onChange(next: NavGroup[]): void }) {
  const { t } = useTranslation();
  const sensors = useSortableSensors();
  const nameOf = useCallback(
    (id: string) => {
      if (id.startsWith(GROUP_DROP_PREFIX)) {
        const g = groups.find((x) => x.id === id.slice(GROUP_DROP_PREFIX.length));
        return g?.name ?? t('navigation.topLevel');
      }
      const at = locate(groups, id);
      return at.group >= 0 ? (groups[at.group].items[at.index].name ?? id) : id;
    },
    [groups, t],
  );
  const accessibility = useSortableAccessibility(nameOf);
  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over) return;
    const from = locate(groups, String(active.id)).group;
    const overGroup = String(over.id).startsWith(GROUP_DROP_PREFIX)
      ? groups.findIndex((g) => `${GROUP_DROP_PREFIX}${g.id}` === over.id)
      : locate(groups, String(over.id)).group;
    // Across groups the item moves while dragging, so the target list opens a gap for it.
    if (overGroup >= 0 && overGroup !== from) onChange(moveItem({ groups, itemId: String(active.id), overId: String(over.id) }));
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over) return;
    const next = moveItem({ groups, itemId: String(active.id), overId: String(over.id) });
    if (next !== groups) onChange(next);
  };

  return (
    <DndContext sensors={sensors} collisionDetection={closestCorners} onDragOver={onDragOver} onDragEnd={onDragEnd} accessibility={accessibility}>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {groups.map((group, index) => (
          <GroupCard key={group.id} appId={appId} group={group} first={index === 0} last={index === groups.length - 1} groups={groups} onChange={onChange} />
        ))}
      </Space>
    </DndContext>
  );
}

function GroupCard({
  appId,
  group,
  first,
  last,
  groups,
  onChange,
}: {
  appId: string;
  group: NavGroup;
  first: boolean;
  last: boolean;
  groups: NavGroup[];
  onChange(next: NavGroup[]): void;
}) {
  const { t } = useTranslation();
  const { setNodeRef, isOver } = useDroppable({ id: `${GROUP_DROP_PREFIX}${group.id}` });
  const label = group.name ?? t('navigation.topLevel');
  const rename = (name: string) => onChange(groups.map((g) => (g.id === group.id ? { ...g, name } : g)));
  const title =
    group.name === null ? (
      <Typography.Text type="secondary">{t('navigation.topLevel')}</Typography.Text>
    ) : (
      <Input aria-label={t('navigation.groupName')} value={group.name} maxLength={100} onChange={(e) => rename(e.target.value)} style={{ maxWidth: 280 }} />
    );
  return (
    <Card
      size="small"
      role="group"
      aria-label={label}
      title={title}
      extra={
        <Space size={0}>
          <Button
            type="text"
            icon={<ArrowUpOutlined aria-hidden />}
            disabled={first}
            aria-label={t('navigation.groupUp', { name: label })}
            onClick={() => onChange(moveGroup({ groups, groupId: group.id, by: -1 }))}
          />
          <Button
            type="text"
            icon={<ArrowDownOutlined aria-hidden />}
            disabled={last}
            aria-label={t('navigation.groupDown', { name: label })}
            onClick={() => onChange(moveGroup({ groups, groupId: group.id, by: 1 }))}
          />
          {group.name !== null && (
            <Button
              type="text"
              danger
              icon={<DeleteOutlined aria-hidden />}
              aria-label={t('navigation.groupDelete', { name: label })}
              onClick={() => onChange(removeGroup({ groups, groupId: group.id }))}
            />
          )}
        </Space>
      }
    >
      <SortableContext items={group.items.map((i) => i.id)} strategy={verticalListSortingStrategy}>
        <ul
          ref={setNodeRef}
          aria-label={t('navigation.itemsOf', { name: label })}
          style={{ listStyle: 'none', margin: 0, padding: 4, minHeight: 40, borderRadius: 6, background: isOver ? 'rgba(35,87,217,0.06)' : undefined }}
        >
          {group.items.length === 0 && (
            <li>
              <Typography.Text type="secondary">{t('navigation.dropHere')}</Typography.Text>
            </li>
          )}
          {group.items.map((item) => (
            <NavItemRow key={item.id} appId={appId} item={item} />
          ))}
        </ul>
      </SortableContext>
    </Card>
  );
}

function NavItemRow({ appId, item }: { appId: string; item: Item }) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: item.id });
  return (
    <li
      ref={setNodeRef}
      style={{
        transform: CSS.Translate.toString(transform),
        transition,
        opacity: isDragging ? 0.6 : 1,
        display: 'flex',
        alignItems: 'center',
        gap: 8,
        padding: '4px 0',
      }}
    >
      <Button
        ref={setActivatorNodeRef}
        type="text"
        size="small"
        icon={<HolderOutlined aria-hidden />}
        {...attributes}
        {...listeners}
        aria-label={t('navigation.drag', { name: item.name })}
        style={{ cursor: 'grab', touchAction: 'none' }}
      />
      <TableOutlined aria-hidden />
      <span style={{ flex: 1 }}>{item.name}</span>
      <Link to={`/apps/${appId}/entities/${item.id}/settings`} aria-label={t('entitySettings.open', { name: item.name })}>
        <SettingOutlined aria-hidden /> {t('entitySettings.short')}
      </Link>
    </li>
  );
}

function SaveBar({ appId, groups, dirty, onSaved, onReset }: { appId: string; groups: NavGroup[]; dirty: boolean; onSaved(): void; onReset(): void }) {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const save = useSaveNavigation(appId);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit() {
    setProblem(null);
    try {
      await save.mutateAsync({ groups: groups.map((g) => ({ id: g.id, name: g.name, items: g.items.map((i) => ({ kind: i.kind, id: i.id })) })) });
      onSaved();
      void message.success(t('navigation.saved'));
    } catch (error) {
      const details = error instanceof ApiError ? error.errors.map((e) => e.message) : [];
      setProblem([problemText(error, t), ...details].join(' '));
    }
  }

  return (
    <Space orientation="vertical" style={{ width: '100%', marginTop: 16 }}>
      {problem && <Alert role="alert" type="error" showIcon title={problem} />}
      <Space>
        <Button type="primary" disabled={!dirty} loading={save.isPending} onClick={() => void submit()}>
          {t('navigation.save')}
        </Button>
        <Button disabled={!dirty || save.isPending} onClick={onReset}>
          {t('navigation.discard')}
        </Button>
      </Space>
    </Space>
  );
}
