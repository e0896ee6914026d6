import { TableOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { SubformCell } from '../shared/cells';

/** The `subform` field type in the browser: palette entry and table cell. */
export const subformUi = { group: 'relations', icon: TableOutlined, Cell: SubformCell } satisfies FieldTypeUi;
