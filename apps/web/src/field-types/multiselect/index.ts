import { UnorderedListOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { OptionCell } from '../shared/cells';

/** The `multiselect` field type in the browser: palette entry and table cell. */
export const multiselectUi = { group: 'choice', icon: UnorderedListOutlined, Cell: OptionCell } satisfies FieldTypeUi;
