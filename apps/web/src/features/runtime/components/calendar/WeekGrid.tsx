import { Flex, Typography, theme } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Entity } from '../../../apps/api/apps.api';
import type { RecordRow } from '../../records.api';
import { CalendarEvent, DropSlot } from './CalendarEvent';
import { type CalendarFieldType, dayKey, hourOf } from './calendar-range';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** A week: a column per day; a date-time field also gets a row per hour to drop an event on. */
export function WeekGrid({
  entity,
  field,
  type,
  days,
  byDay,
}: {
  entity: Entity;
  field: string;
  type: CalendarFieldType;
  days: Dayjs[];
  byDay: Map<string, RecordRow[]>;
}) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const dayName = new Intl.DateTimeFormat(i18n.language, { weekday: 'short', month: 'numeric', day: 'numeric' });
  const border = `1px solid ${token.colorBorderSecondary}`;
  const columns = type === 'datetime' ? '48px repeat(7, minmax(0, 1fr))' : 'repeat(7, minmax(0, 1fr))';
  return (
    <div style={{ overflowX: 'auto' }}>
      <div
        style={{ display: 'grid', gridTemplateColumns: columns, minWidth: 640, border, borderRadius: token.borderRadiusLG, background: token.colorBgContainer }}
      >
        {type === 'datetime' && <div />}
        {days.map((d) => (
          <Typography.Text key={dayKey(d)} strong style={{ padding: 4, borderLeft: border, textAlign: 'center' }}>
            {dayName.format(d.toDate())}
          </Typography.Text>
        ))}
        {type === 'date'
          ? days.map((d) => {
              const key = dayKey(d);
              const events = byDay.get(key) ?? [];
              return (
                <DropSlot
                  key={key}
                  id={`day:${key}`}
                  day={key}
                  label={t('calendar.day', { day: d.format('YYYY-MM-DD'), count: events.length })}
                  style={{ minHeight: 240, padding: 4, borderLeft: border, borderTop: border }}
                >
                  {events.map((r) => (
                    <CalendarEvent key={r.id} entity={entity} record={r} field={field} type={type} />
                  ))}
                </DropSlot>
              );
            })
          : HOURS.map((h) => <HourRow key={h} hour={h} days={days} byDay={byDay} entity={entity} field={field} border={border} />)}
      </div>
    </div>
  );
}

function HourRow({
  hour,
  days,
  byDay,
  entity,
  field,
  border,
}: {
  hour: number;
  days: Dayjs[];
  byDay: Map<string, RecordRow[]>;
  entity: Entity;
  field: string;
  border: string;
}) {
  const { t } = useTranslation();
  const label = `${String(hour).padStart(2, '0')}:00`;
  return (
    <>
      <Flex justify="end" style={{ padding: '2px 4px', borderTop: border }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {label}
        </Typography.Text>
      </Flex>
      {days.map((d) => {
        const key = dayKey(d);
        const events = (byDay.get(key) ?? []).filter((r) => hourOf(r[field]) === hour);
        return (
          <DropSlot
            key={key}
            id={`slot:${key}:${hour}`}
            day={key}
            hour={hour}
            label={t('calendar.slot', { day: d.format('YYYY-MM-DD'), time: label, count: events.length })}
            style={{ minHeight: 28, padding: 2, borderLeft: border, borderTop: border }}
          >
            {events.map((r) => (
              <CalendarEvent key={r.id} entity={entity} record={r} field={field} type="datetime" />
            ))}
          </DropSlot>
        );
      })}
    </>
  );
}
