import { DndContext, KeyboardSensor, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { CSS } from '@dnd-kit/utilities';
import { HolderOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Alert, Button, Card, Flex, Tag, Typography, theme } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { FieldCell } from '../../../../field-types/FieldCell';
import { formatNumber, optionLabel } from '../../../../field-types/shared/format-value';
import { ErrorState, LoadingState } from '../../../../ui/states';
import type { Entity, Field } from '../../../apps/api/apps.api';
import { expandKeysOf, useRecordGroups, useRecordList } from '../../hooks/records.queries';
import type { ListParams, RecordRow } from '../../records.api';
import { useMyAccess } from '../../hooks/useMyAccess';
import { displayOf } from '../../view-state';
import type { ViewConfig } from '../../views.api';
import { cellProblem } from '../table/EditableCell';
import { columnParams, KANBAN_PAGE, useKanbanMove } from './useKanbanMove';

const CARD_HEIGHT = 96;
const colId = (value: string | null) => `col:${value ?? ''}`;

/**
 * The kanban by a single-choice field: a column per option (and one for no value) with the server's
 * count and sum; each column pages its own cards from the server (30 at a time, virtualised), so
 * no column ever loads every record. Dragging a card (pointer or keyboard) writes the new value.
 */
export function KanbanBoard({ entity, config, filter }: { entity: Entity; config: ViewConfig; filter: unknown }) {
  const { t } = useTranslation();
  const field = entity.fields.find((f) => f.key === (config.kanban?.field ?? '')) ?? entity.fields.find((f) => f.type === 'select' || f.type === 'radio');
  const sumField = entity.fields.find((f) => f.key === config.kanban?.sumField) ?? null;
  const base = useMemo<ListParams>(() => ({ filter, sort: config.sort || 'id', expand: expandKeysOf(entity) }), [filter, config.sort, entity]);
  const groups = useRecordGroups({ entity, field: field?.key ?? null, sum: sumField?.key ?? null, filter });
  const [refused, setRefused] = useState<string | null>(null);
  const move = useKanbanMove({
    entity,
    base,
    field: field?.key ?? '',
    sumField: sumField?.key ?? null,
    onRefused: (e) => setRefused(cellProblem(e, field?.key ?? '', t)),
  });
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor));

  if (!field) return null;
  if (groups.isError) return <ErrorState error={groups.error} onRetry={() => void groups.refetch()} />;
  if (!groups.data) return <LoadingState />;

  const onDragEnd = (e: DragEndEvent) => {
    const record = e.active.data.current?.record as RecordRow | undefined;
    const to = e.over?.data.current?.value as string | null | undefined;
    const from = (record?.[field.key] as string | null | undefined) ?? null;
    if (!record || to === undefined || to === from) return;
    setRefused(null);
    move.mutate({ record, from, to });
  };

  return (
    <>
      {refused && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={t('kanban.refused')}
          description={refused}
          closable={{ 'aria-label': t('common.close') }}
          onClose={() => setRefused(null)}
          style={{ marginBottom: 8 }}
        />
      )}
      <DndContext sensors={sensors} onDragEnd={onDragEnd} accessibility={{ screenReaderInstructions: { draggable: t('kanban.dragHelp') } }}>
        <Flex gap={12} style={{ overflowX: 'auto', paddingBottom: 8 }} role="list" aria-label={t('kanban.board', { field: field.label })}>
          {groups.data.groups.map((g) => (
            <KanbanColumn key={colId(g.value)} entity={entity} field={field} sumField={sumField} value={g.value} count={g.count} sum={g.sum} base={base} />
          ))}
        </Flex>
      </DndContext>
    </>
  );
}

interface ColumnProps {
  entity: Entity;
  field: Field;
  sumField: Field | null;
  value: string | null;
  count: number;
  sum?: number;
  base: ListParams;
}

function KanbanColumn({ entity, field, sumField, value, count, sum, base }: ColumnProps) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { setNodeRef, isOver } = useDroppable({ id: colId(value), data: { value } });
  const params = useMemo(() => columnParams(base, field.key, value), [base, field.key, value]);
  const { query, rows } = useRecordList({ entity, params, limit: KANBAN_PAGE });
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => CARD_HEIGHT + 8, overscan: 6 });
  const items = virtual.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (lastIndex >= rows.length - 5 && query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
  }, [lastIndex, rows.length, query]);
  const title = value === null ? t('table.noValue') : optionLabel({ field, value });

  return (
    <section
      ref={setNodeRef}
      role="listitem"
      aria-label={t('kanban.column', { value: title, count })}
      style={{ flex: '0 0 280px', background: isOver ? token.colorPrimaryBg : token.colorFillQuaternary, borderRadius: token.borderRadiusLG, padding: 8 }}
    >
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Title level={2} style={{ fontSize: 14, margin: 0 }}>
          {title}
        </Typography.Title>
        <Flex gap={4}>
          <Tag>{t('table.groupCount', { count })}</Tag>
          {sumField && sum !== undefined && <Tag color="blue">{t('kanban.sum', { field: sumField.label, sum: formatNumber({ value: sum }) })}</Tag>}
        </Flex>
      </Flex>
      <div ref={scrollRef} style={{ height: 560, overflowY: 'auto' }}>
        {query.isPending ? (
          <LoadingState />
        ) : (
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {items.map((item) => (
              <div key={rows[item.index]!.id} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
                <KanbanCard entity={entity} record={rows[item.index]!} sumField={sumField} groupKey={field.key} />
              </div>
            ))}
          </div>
        )}
        {query.hasNextPage && (
          <Button block size="small" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
            {t('table.loadMore')}
          </Button>
        )}
      </div>
    </section>
  );
}

/** What a card shows under its title: the summed field, else the first number or money field, then one more short field. */
function cardFields(entity: Entity, sumField: Field | null, groupKey: string): Field[] {
  const titleKey = entity.displayField ?? entity.fields.find((f) => f.type === 'text')?.key;
  const rest = entity.fields.filter((f) => f.key !== titleKey && f.key !== groupKey && f.key !== sumField?.key);
  const number = sumField ?? rest.find((f) => f.type === 'money' || f.type === 'number');
  const other = rest.find((f) => f !== number && ['text', 'date', 'datetime', 'email', 'phone', 'select', 'radio'].includes(f.type));
  return [number, other].filter((f): f is Field => !!f);
}

function KanbanCard({ entity, record, sumField, groupKey }: { entity: Entity; record: RecordRow; sumField: Field | null; groupKey: string }) {
  const { t } = useTranslation();
  const { appId = '' } = useParams();
  // Only a member who may edit records moves a card (the server decides per record).
  const movable = useMyAccess(entity).can('edit');
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: `card:${record.id}`, data: { record }, disabled: !movable });
  const title = displayOf(entity, record) ?? `#${record.id}`;
  return (
    <Card
      ref={setNodeRef}
      size="small"
      style={{ height: CARD_HEIGHT, transform: CSS.Translate.toString(transform), opacity: isDragging ? 0.6 : 1, zIndex: isDragging ? 10 : undefined }}
      styles={{ body: { padding: 8 } }}
    >
      <Flex gap={4} align="start">
        {movable && (
          <Button size="small" type="text" icon={<HolderOutlined aria-hidden />} aria-label={t('kanban.move', { title })} {...attributes} {...listeners} />
        )}
        <Flex vertical style={{ minWidth: 0 }}>
          <Link to={`/apps/${appId}/entities/${entity.id}/records/${record.id}`}>
            <Typography.Text ellipsis style={{ maxWidth: 200 }}>
              {title}
            </Typography.Text>
          </Link>
          {cardFields(entity, sumField, groupKey).map((f) => (
            <Typography.Text key={f.key} type="secondary" ellipsis style={{ maxWidth: 200, fontSize: 12 }}>
              {f.label}: <FieldCell field={f} value={record[f.key]} />
            </Typography.Text>
          ))}
        </Flex>
      </Flex>
    </Card>
  );
}
