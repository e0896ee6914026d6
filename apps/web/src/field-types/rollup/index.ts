import { FunctionOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { NumberCell } from '../shared/cells';
import { RollupSettings } from '../shared/settings-relations';
import { ComputedWidget } from '../shared/widgets';
import { NumberFilterInput } from '../shared/filter-inputs';

/** The `rollup` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const rollupUi = {
  group: 'relations',
  icon: FunctionOutlined,
  Cell: NumberCell,
  Settings: RollupSettings,
  Widget: ComputedWidget,
  FilterInput: NumberFilterInput,
} satisfies FieldTypeUi;
