import { FieldNumberOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { TextCell } from '../shared/cells';

/** The `serial` field type in the browser: palette entry and table cell. */
export const serialUi = { group: 'advanced', icon: FieldNumberOutlined, Cell: TextCell } satisfies FieldTypeUi;
