import { CheckSquareOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { OptionCell } from '../shared/cells';

/** The `checkbox` field type in the browser: palette entry and table cell. */
export const checkboxUi = { group: 'choice', icon: CheckSquareOutlined, Cell: OptionCell } satisfies FieldTypeUi;
