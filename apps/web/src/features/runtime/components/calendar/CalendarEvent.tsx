import { useDraggable, useDroppable } from '@dnd-kit/core';
import { CSS } from '@dnd-kit/utilities';
import { HolderOutlined } from '@ant-design/icons';
import { Button, Flex, Typography, theme } from 'antd';
import dayjs from 'dayjs';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Entity } from '../../../apps/api/apps.api';
import type { RecordRow } from '../../records.api';
import { useMyAccess } from '../../hooks/useMyAccess';
import { displayOf } from '../../view-state';
import type { CalendarFieldType } from './calendar-range';

/** One record on the calendar: a drag handle (pointer or keyboard) and its title, which opens the record. */
export function CalendarEvent({ entity, record, field, type }: { entity: Entity; record: RecordRow; field: string; type: CalendarFieldType }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { appId = '' } = useParams();
  // Only a member who may edit records drags them to another day (the server decides per record).
  const movable = useMyAccess(entity).can('edit');
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: `event:${record.id}`, data: { record }, disabled: !movable });
  const title = displayOf(entity, record) ?? `#${record.id}`;
  const time = type === 'datetime' && typeof record[field] === 'string' ? dayjs(record[field] as string).format('HH:mm') : null;
  return (
    <Flex
      ref={setNodeRef}
      align="center"
      gap={2}
      style={{
        transform: CSS.Translate.toString(transform),
        opacity: isDragging ? 0.6 : 1,
        zIndex: isDragging ? 10 : undefined,
        position: 'relative',
        background: token.colorPrimaryBg,
        borderRadius: token.borderRadiusSM,
        marginBottom: 2,
        minWidth: 0,
      }}
    >
      {movable && (
        <Button
          size="small"
          type="text"
          icon={<HolderOutlined aria-hidden />}
          aria-label={t('calendar.move', { title })}
          {...attributes}
          {...listeners}
          style={{ flex: 'none', width: 20, minWidth: 20, height: 20 }}
        />
      )}
      <Link to={`/apps/${appId}/entities/${entity.id}/records/${record.id}`} style={{ minWidth: 0, flex: 1 }} onClick={(e) => e.stopPropagation()}>
        <Typography.Text ellipsis style={{ fontSize: 12, maxWidth: '100%', color: 'inherit' }}>
          {time && <span>{time} </span>}
          {title}
        </Typography.Text>
      </Link>
    </Flex>
  );
}

/** A day (or an hour of a day) events can be dropped on. */
export function DropSlot({
  id,
  day,
  hour,
  label,
  style,
  children,
}: {
  id: string;
  day: string;
  hour?: number;
  label: string;
  style?: CSSProperties;
  children: ReactNode;
}) {
  const { token } = theme.useToken();
  const { setNodeRef, isOver } = useDroppable({ id, data: { day, hour } });
  return (
    <div
      ref={setNodeRef}
      role="group"
      aria-label={label}
      style={{ minHeight: 24, ...style, background: isOver ? token.colorPrimaryBgHover : style?.background }}
    >
      {children}
    </div>
  );
}
