import { SwapOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { BooleanCell } from '../shared/cells';

/** The `switch` field type in the browser: palette entry and table cell. */
export const switchUi = { group: 'choice', icon: SwapOutlined, Cell: BooleanCell } satisfies FieldTypeUi;
