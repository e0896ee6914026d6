import { CalculatorOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { FormulaCell } from '../shared/cells';
import { FormulaSettings } from '../shared/settings-panels';
import { ComputedWidget } from '../shared/widgets';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `formula` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const formulaUi = {
  group: 'advanced',
  icon: CalculatorOutlined,
  Cell: FormulaCell,
  Settings: FormulaSettings,
  Widget: ComputedWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
