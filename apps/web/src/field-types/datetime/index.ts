import { FieldTimeOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { DateTimeCell } from '../shared/cells';

/** The `datetime` field type in the browser: palette entry and table cell. */
export const datetimeUi = { group: 'datetime', icon: FieldTimeOutlined, Cell: DateTimeCell } satisfies FieldTypeUi;
