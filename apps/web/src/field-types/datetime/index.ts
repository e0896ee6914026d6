import { FieldTimeOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { DateTimeCell } from '../shared/cells';
import { NoSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { dateFilterInput } from '../shared/filter-inputs';

/** The `datetime` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const datetimeUi = {
  group: 'datetime',
  icon: FieldTimeOutlined,
  Cell: DateTimeCell,
  Settings: NoSettings,
  Widget: themeWidget('DateTimeWidget'),
  FilterInput: dateFilterInput(true),
} satisfies FieldTypeUi;
