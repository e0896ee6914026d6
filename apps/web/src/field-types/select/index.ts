import { DownSquareOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { OptionCell } from '../shared/cells';

/** The `select` field type in the browser: palette entry and table cell. */
export const selectUi = { group: 'choice', icon: DownSquareOutlined, Cell: OptionCell } satisfies FieldTypeUi;
