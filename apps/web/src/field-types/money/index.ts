import { MoneyCollectOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { MoneyCell } from '../shared/cells';
import { MoneySettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { NumberFilterInput } from '../shared/filter-inputs';

/** The `money` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const moneyUi = {
  group: 'basic',
  icon: MoneyCollectOutlined,
  Cell: MoneyCell,
  Settings: MoneySettings,
  Widget: themeWidget('UpDownWidget'),
  FilterInput: NumberFilterInput,
} satisfies FieldTypeUi;
