import { LinkOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { UrlCell } from '../shared/cells';

/** The `url` field type in the browser: palette entry and table cell. */
export const urlUi = { group: 'basic', icon: LinkOutlined, Cell: UrlCell } satisfies FieldTypeUi;
