import { PhoneOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { TextCell } from '../shared/cells';
import { NoSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `phone` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const phoneUi = {
  group: 'basic',
  icon: PhoneOutlined,
  Cell: TextCell,
  Settings: NoSettings,
  Widget: themeWidget('TextWidget'),
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
