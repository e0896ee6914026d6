import { CalculatorOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { FormulaCell } from '../shared/cells';

/** The `formula` field type in the browser: palette entry and table cell. */
export const formulaUi = { group: 'advanced', icon: CalculatorOutlined, Cell: FormulaCell } satisfies FieldTypeUi;
