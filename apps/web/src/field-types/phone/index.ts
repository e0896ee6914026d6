import { PhoneOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { TextCell } from '../shared/cells';

/** The `phone` field type in the browser: palette entry and table cell. */
export const phoneUi = { group: 'basic', icon: PhoneOutlined, Cell: TextCell } satisfies FieldTypeUi;
