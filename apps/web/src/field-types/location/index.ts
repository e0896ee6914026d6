import { AimOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { LocationCell } from '../shared/structured-cells';

/** The `location` field type in the browser: palette entry and table cell. */
export const locationUi = { group: 'advanced', icon: AimOutlined, Cell: LocationCell } satisfies FieldTypeUi;
