import { Segmented, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../../apps/api/apps.api';
import type { ViewConfig } from '../../views.api';
import type { CalendarMode } from './calendar-range';

/** The calendar's settings in the view toolbar: which date field places the records, month or week. */
export function CalendarSettings({ fields, config, onConfig }: { fields: Field[]; config: ViewConfig; onConfig: (c: ViewConfig) => void }) {
  const { t } = useTranslation();
  const field = config.calendar?.field && fields.some((f) => f.key === config.calendar?.field) ? config.calendar.field : fields[0]?.key;
  const mode = config.calendar?.mode ?? 'month';
  const set = (patch: Partial<NonNullable<ViewConfig['calendar']>>) => onConfig({ ...config, calendar: { field: field ?? '', mode, ...patch } });
  return (
    <>
      <Select
        aria-label={t('calendar.field')}
        value={field}
        onChange={(f: string) => set({ field: f })}
        options={fields.map((f) => ({ value: f.key, label: f.label }))}
        style={{ minWidth: 140 }}
      />
      <Segmented<CalendarMode>
        aria-label={t('calendar.mode')}
        value={mode}
        onChange={(m) => set({ mode: m })}
        options={[
          { value: 'month', label: t('calendar.month') },
          { value: 'week', label: t('calendar.week') },
        ]}
      />
    </>
  );
}
