import { CheckCircleOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { OptionCell } from '../shared/cells';

/** The `radio` field type in the browser: palette entry and table cell. */
export const radioUi = { group: 'choice', icon: CheckCircleOutlined, Cell: OptionCell } satisfies FieldTypeUi;
