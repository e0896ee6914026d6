import { FieldNumberOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { TextCell } from '../shared/cells';
import { SerialSettings } from '../shared/settings-panels';
import { ComputedWidget } from '../shared/widgets';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `serial` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const serialUi = {
  group: 'advanced',
  icon: FieldNumberOutlined,
  Cell: TextCell,
  Settings: SerialSettings,
  Widget: ComputedWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
