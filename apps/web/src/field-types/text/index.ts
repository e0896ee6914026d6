import { FontSizeOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { TextCell } from '../shared/cells';

/** The `text` field type in the browser: palette entry and table cell. */
export const textUi = { group: 'basic', icon: FontSizeOutlined, Cell: TextCell } satisfies FieldTypeUi;
