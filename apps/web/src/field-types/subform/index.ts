import { TableOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { SubformCell } from '../shared/cells';
import { SubformSettings } from '../shared/settings-relations';
import { SubformWidget } from './SubformWidget';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `subform` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const subformUi = {
  group: 'relations',
  icon: TableOutlined,
  Cell: SubformCell,
  Settings: SubformSettings,
  Widget: SubformWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
