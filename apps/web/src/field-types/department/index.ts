import { ApartmentOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { ReferenceCell } from '../shared/cells';

/** The `department` field type in the browser: palette entry and table cell. */
export const departmentUi = { group: 'people', icon: ApartmentOutlined, Cell: ReferenceCell } satisfies FieldTypeUi;
