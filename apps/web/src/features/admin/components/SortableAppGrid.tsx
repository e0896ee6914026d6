import { HolderOutlined } from '@ant-design/icons';
import { closestCenter, DndContext, type DragEndEvent } from '@dnd-kit/core';
import { arrayMove, rectSortingStrategy, SortableContext, useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Button, Col, Row } from 'antd';
import { useCallback, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSortableAccessibility, useSortableSensors } from '../../../ui/sortable';
import type { App } from '../../apps/api/apps.api';

/**
 * The workspace home's tiles; admins drag a tile by its handle (or focus the handle, Space,
 * arrow keys, Space) to reorder, and `onReorder` gets the new order.
 */
export function SortableAppGrid({
  apps,
  sortable,
  onReorder,
  renderTile,
}: {
  apps: App[];
  sortable: boolean;
  onReorder(apps: App[]): void;
  renderTile(app: App, handle: ReactNode): ReactNode;
}) {
  const { t } = useTranslation();
  const sensors = useSortableSensors();
  const nameOf = useCallback((id: string) => apps.find((a) => a.id === id)?.name ?? id, [apps]);
  const accessibility = useSortableAccessibility(nameOf);

  function onDragEnd({ active, over }: DragEndEvent) {
    if (!over || active.id === over.id) return;
    const from = apps.findIndex((a) => a.id === active.id);
    const to = apps.findIndex((a) => a.id === over.id);
    if (from >= 0 && to >= 0) onReorder(arrayMove(apps, from, to));
  }

  const grid = (
    <Row gutter={[16, 16]} role="list" aria-label={t('apps.title')}>
      {apps.map((app) => (sortable ? <SortableTile key={app.id} app={app} renderTile={renderTile} /> : <Tile key={app.id}>{renderTile(app, null)}</Tile>))}
    </Row>
  );
  if (!sortable) return grid;
  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={accessibility}>
      <SortableContext items={apps.map((a) => a.id)} strategy={rectSortingStrategy}>
        {grid}
      </SortableContext>
    </DndContext>
  );
}

function Tile({ children }: { children: ReactNode }) {
  return (
    <Col xs={24} sm={12} md={8} xl={6} role="listitem">
      {children}
    </Col>
  );
}

function SortableTile({ app, renderTile }: { app: App; renderTile(app: App, handle: ReactNode): ReactNode }) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: app.id });
  const handle = (
    <Button
      ref={setActivatorNodeRef}
      type="text"
      size="small"
      icon={<HolderOutlined aria-hidden />}
      {...attributes}
      {...listeners}
      aria-label={t('apps.dragToReorder', { name: app.name })}
      style={{ cursor: 'grab', touchAction: 'none' }}
    />
  );
  return (
    <Col
      ref={setNodeRef}
      xs={24}
      sm={12}
      md={8}
      xl={6}
      role="listitem"
      style={{ transform: CSS.Translate.toString(transform), transition, zIndex: isDragging ? 2 : undefined, opacity: isDragging ? 0.85 : 1 }}
    >
      {renderTile(app, handle)}
    </Col>
  );
}
