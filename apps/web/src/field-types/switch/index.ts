import { SwapOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { BooleanCell } from '../shared/cells';
import { NoSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { SwitchFilterInput } from '../shared/filter-inputs';

/** The `switch` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const switchUi = {
  group: 'choice',
  icon: SwapOutlined,
  Cell: BooleanCell,
  Settings: NoSettings,
  Widget: themeWidget('CheckboxWidget'),
  FilterInput: SwitchFilterInput,
} satisfies FieldTypeUi;
