import { FontSizeOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { TextCell } from '../shared/cells';
import { maxLengthSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `text` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const textUi = {
  group: 'basic',
  icon: FontSizeOutlined,
  Cell: TextCell,
  Settings: maxLengthSettings(255),
  Widget: themeWidget('TextWidget'),
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
