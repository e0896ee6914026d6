import { AlignLeftOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { LongTextCell } from '../shared/cells';

/** The `textarea` field type in the browser: palette entry and table cell. */
export const textareaUi = { group: 'basic', icon: AlignLeftOutlined, Cell: LongTextCell } satisfies FieldTypeUi;
