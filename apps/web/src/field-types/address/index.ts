import { EnvironmentOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { AddressCell } from '../shared/structured-cells';

/** The `address` field type in the browser: palette entry and table cell. */
export const addressUi = { group: 'advanced', icon: EnvironmentOutlined, Cell: AddressCell } satisfies FieldTypeUi;
