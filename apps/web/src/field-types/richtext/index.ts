import { FileTextOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { RichTextCell } from '../shared/structured-cells';

/** The `richtext` field type in the browser: palette entry and table cell. */
export const richtextUi = { group: 'advanced', icon: FileTextOutlined, Cell: RichTextCell } satisfies FieldTypeUi;
