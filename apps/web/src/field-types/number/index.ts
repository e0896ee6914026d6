import { NumberOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { NumberCell } from '../shared/cells';

/** The `number` field type in the browser: palette entry and table cell. */
export const numberUi = { group: 'basic', icon: NumberOutlined, Cell: NumberCell } satisfies FieldTypeUi;
