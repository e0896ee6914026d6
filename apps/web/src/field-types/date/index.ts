import { CalendarOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { DateCell } from '../shared/cells';

/** The `date` field type in the browser: palette entry and table cell. */
export const dateUi = { group: 'datetime', icon: CalendarOutlined, Cell: DateCell } satisfies FieldTypeUi;
