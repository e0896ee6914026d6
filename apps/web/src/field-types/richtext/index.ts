import { FileTextOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { RichTextCell } from '../shared/structured-cells';
import { maxLengthSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `richtext` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const richtextUi = {
  group: 'advanced',
  icon: FileTextOutlined,
  Cell: RichTextCell,
  Settings: maxLengthSettings(1000000),
  Widget: themeWidget('TextareaWidget'),
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
