import { MailOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { TextCell } from '../shared/cells';

/** The `email` field type in the browser: palette entry and table cell. */
export const emailUi = { group: 'basic', icon: MailOutlined, Cell: TextCell } satisfies FieldTypeUi;
