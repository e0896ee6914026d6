import { UserOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { ReferenceCell } from '../shared/cells';

/** The `member` field type in the browser: palette entry and table cell. */
export const memberUi = { group: 'people', icon: UserOutlined, Cell: ReferenceCell } satisfies FieldTypeUi;
