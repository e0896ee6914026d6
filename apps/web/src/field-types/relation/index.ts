import { NodeIndexOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { ReferenceCell } from '../shared/cells';

/** The `relation` field type in the browser: palette entry and table cell. */
export const relationUi = { group: 'relations', icon: NodeIndexOutlined, Cell: ReferenceCell } satisfies FieldTypeUi;
