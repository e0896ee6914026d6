import { PaperClipOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { AttachmentCell } from '../shared/cells';

/** The `attachment` field type in the browser: palette entry and table cell. */
export const attachmentUi = { group: 'advanced', icon: PaperClipOutlined, Cell: AttachmentCell } satisfies FieldTypeUi;
