import { FunctionOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { NumberCell } from '../shared/cells';

/** The `rollup` field type in the browser: palette entry and table cell. */
export const rollupUi = { group: 'relations', icon: FunctionOutlined, Cell: NumberCell } satisfies FieldTypeUi;
