import { DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Calendar, Card, ConfigProvider, Flex, Grid, Space, theme, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
// antd's calendar takes the first weekday from dayjs's locale: Monday in Chinese, as calendar-range assumes.
import 'dayjs/locale/zh-cn';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../../../../ui/states';
import type { Entity, Field } from '../../../apps/api/apps.api';
import type { RecordRow } from '../../records.api';
import type { ViewConfig } from '../../views.api';
import { cellProblem } from '../table/EditableCell';
import { CalendarEvent, DropSlot } from './CalendarEvent';
import { type CalendarFieldType, type CalendarMode, dayKey, dayKeyOf, hourOf, movedValue, visibleDays, weekStartOf } from './calendar-range';
import { useCalendarMove } from './useCalendarMove';
import { useCalendarRange } from './useCalendarRange';
import { WeekGrid } from './WeekGrid';

const CELL_EVENTS = 3;

export const DATE_TYPES = new Set(['date', 'datetime']);

export function calendarFieldOf(entity: Entity, config: ViewConfig): Field | undefined {
  return entity.fields.find((f) => f.key === config.calendar?.field && DATE_TYPES.has(f.type)) ?? entity.fields.find((f) => DATE_TYPES.has(f.type));
}

/**
 * The calendar by a date or date-time field, month or week, in the member's time zone: only the
 * visible days are read from the server (a range filter on the list); dragging an event to
 * another day (or hour) writes the new value through the normal write path.
 */
export function CalendarView({ entity, config, filter }: { entity: Entity; config: ViewConfig; filter: unknown }) {
  const { t, i18n } = useTranslation();
  const field = calendarFieldOf(entity, config);
  const mode = config.calendar?.mode ?? 'month';
  const [anchor, setAnchor] = useState<Dayjs>(() => dayjs().startOf('day'));
  const weekStart = weekStartOf(i18n.language);
  const days = useMemo(() => visibleDays({ anchor, mode, weekStart }), [anchor, mode, weekStart]);
  const { query, rows, byDay, listKey, type, truncated } = useCalendarRange({ entity, field, filter, days });
  const [refused, setRefused] = useState<string | null>(null);
  const move = useCalendarMove({ entity, field: field?.key ?? '', listKey, onRefused: (e) => setRefused(cellProblem(e, field?.key ?? '', t)) });
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor));

  if (!field) return <Alert type="info" showIcon title={t('calendar.noDateField')} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;

  const onDragEnd = (e: DragEndEvent) => {
    const record = e.active.data.current?.record as RecordRow | undefined;
    const target = e.over?.data.current as { day: string; hour?: number } | undefined;
    if (!record || !target) return;
    const value = record[field.key];
    if (dayKeyOf({ type, value }) === target.day && (target.hour === undefined || target.hour === hourOf(value))) return;
    setRefused(null);
    move.mutate({ record, to: movedValue({ type, value, toDay: target.day, toHour: target.hour }) });
  };

  return (
    <>
      <CalendarHeader mode={mode} anchor={anchor} days={days} onAnchor={setAnchor} count={rows.length} />
      {truncated && <Alert type="warning" showIcon title={t('calendar.truncated', { count: rows.length })} style={{ marginBottom: 8 }} />}
      {refused && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={t('calendar.refused')}
          description={refused}
          closable={{ 'aria-label': t('common.close') }}
          onClose={() => setRefused(null)}
          style={{ marginBottom: 8 }}
        />
      )}
      <DndContext sensors={sensors} onDragEnd={onDragEnd} accessibility={{ screenReaderInstructions: { draggable: t('calendar.dragHelp') } }}>
        <section aria-label={t('calendar.label', { field: field.label })}>
          {mode === 'week' ? (
            <WeekGrid entity={entity} field={field.key} type={type} days={days} byDay={byDay} />
          ) : (
            <MonthGrid entity={entity} field={field.key} type={type} anchor={anchor} onAnchor={setAnchor} byDay={byDay} />
          )}
        </section>
      </DndContext>
    </>
  );
}

function CalendarHeader({
  mode,
  anchor,
  days,
  onAnchor,
  count,
}: {
  mode: CalendarMode;
  anchor: Dayjs;
  days: Dayjs[];
  onAnchor: (d: Dayjs) => void;
  count: number;
}) {
  const { t, i18n } = useTranslation();
  const fmt = new Intl.DateTimeFormat(
    i18n.language,
    mode === 'month' ? { year: 'numeric', month: 'long' } : { year: 'numeric', month: 'short', day: 'numeric' },
  );
  const title = mode === 'month' ? fmt.format(anchor.toDate()) : `${fmt.format(days[0]!.toDate())} – ${fmt.format(days[6]!.toDate())}`;
  const unit = mode === 'month' ? 'month' : 'week';
  return (
    <Flex align="center" justify="space-between" wrap gap={8} style={{ marginBottom: 8 }}>
      <Space>
        <Button aria-label={t(`calendar.prev_${unit}`)} icon={<LeftOutlined aria-hidden />} onClick={() => onAnchor(anchor.subtract(1, unit))} />
        <Button onClick={() => onAnchor(dayjs().startOf('day'))}>{t('calendar.today')}</Button>
        <Button aria-label={t(`calendar.next_${unit}`)} icon={<RightOutlined aria-hidden />} onClick={() => onAnchor(anchor.add(1, unit))} />
      </Space>
      <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }} aria-live="polite">
        {title}
      </Typography.Title>
      <Typography.Text type="secondary">{t('calendar.count', { count })}</Typography.Text>
    </Flex>
  );
}

interface GridProps {
  entity: Entity;
  field: string;
  type: CalendarFieldType;
  anchor: Dayjs;
  onAnchor: (d: Dayjs) => void;
  byDay: Map<string, RecordRow[]>;
}

/** antd's month calendar; each day cell holds its events and takes drops. On a phone a cell shows its count and the chosen day's events are listed below. */
function MonthGrid({ entity, field, type, anchor, onAnchor, byDay }: GridProps) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const phone = Grid.useBreakpoint().md === false;
  const chosen = byDay.get(dayKey(anchor)) ?? [];
  // Days of the next and previous month are drawn in the disabled colour, too faint to read (axe): the secondary one instead.
  return (
    <>
      <ConfigProvider theme={{ token: { colorTextDisabled: token.colorTextSecondary } }}>
        <Calendar
          value={anchor}
          headerRender={() => null}
          onSelect={(d, info) => info.source === 'date' && d.month() === anchor.month() && onAnchor(d)}
          cellRender={(d, info) => {
            if (info.type !== 'date') return info.originNode;
            const key = dayKey(d);
            const events = byDay.get(key) ?? [];
            return (
              <DropSlot id={`day:${key}`} day={key} label={t('calendar.day', { day: key, count: events.length })} style={{ height: '100%' }}>
                {phone ? (
                  events.length > 0 && <Badge count={events.length} size="small" color={token.colorPrimary} />
                ) : (
                  <DayEvents entity={entity} field={field} type={type} events={events} />
                )}
              </DropSlot>
            );
          }}
        />
      </ConfigProvider>
      {phone && (
        <Card size="small" title={t('calendar.dayList', { day: dayKey(anchor) })} style={{ marginTop: 8 }}>
          {chosen.length ? (
            chosen.map((r) => <CalendarEvent key={r.id} entity={entity} record={r} field={field} type={type} />)
          ) : (
            <Typography.Text type="secondary">{t('calendar.dayEmpty')}</Typography.Text>
          )}
        </Card>
      )}
    </>
  );
}

function DayEvents({ entity, field, type, events }: { entity: Entity; field: string; type: CalendarFieldType; events: RecordRow[] }) {
  const { t } = useTranslation();
  return (
    <>
      {events.slice(0, CELL_EVENTS).map((r) => (
        <CalendarEvent key={r.id} entity={entity} record={r} field={field} type={type} />
      ))}
      {events.length > CELL_EVENTS && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('calendar.more', { count: events.length - CELL_EVENTS })}
        </Typography.Text>
      )}
    </>
  );
}
