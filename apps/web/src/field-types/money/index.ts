import { MoneyCollectOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { MoneyCell } from '../shared/cells';

/** The `money` field type in the browser: palette entry and table cell. */
export const moneyUi = { group: 'basic', icon: MoneyCollectOutlined, Cell: MoneyCell } satisfies FieldTypeUi;
