import { NumberOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { NumberCell } from '../shared/cells';
import { NumberSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { NumberFilterInput } from '../shared/filter-inputs';

/** The `number` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const numberUi = {
  group: 'basic',
  icon: NumberOutlined,
  Cell: NumberCell,
  Settings: NumberSettings,
  Widget: themeWidget('UpDownWidget'),
  FilterInput: NumberFilterInput,
} satisfies FieldTypeUi;
