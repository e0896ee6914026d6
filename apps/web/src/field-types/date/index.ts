import { CalendarOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { DateCell } from '../shared/cells';
import { NoSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { dateFilterInput } from '../shared/filter-inputs';

/** The `date` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const dateUi = {
  group: 'datetime',
  icon: CalendarOutlined,
  Cell: DateCell,
  Settings: NoSettings,
  Widget: themeWidget('DateWidget'),
  FilterInput: dateFilterInput(false),
} satisfies FieldTypeUi;
