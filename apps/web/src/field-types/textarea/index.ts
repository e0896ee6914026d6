import { AlignLeftOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { LongTextCell } from '../shared/cells';
import { maxLengthSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `textarea` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const textareaUi = {
  group: 'basic',
  icon: AlignLeftOutlined,
  Cell: LongTextCell,
  Settings: maxLengthSettings(65535),
  Widget: themeWidget('TextareaWidget'),
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
