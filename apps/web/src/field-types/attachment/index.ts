import { PaperClipOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { AttachmentCell } from '../shared/cells';
import { AttachmentSettings } from '../shared/settings-panels';
import { AttachmentWidget } from './FileUploadWidget';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `attachment` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const attachmentUi = {
  group: 'advanced',
  icon: PaperClipOutlined,
  Cell: AttachmentCell,
  Settings: AttachmentSettings,
  Widget: AttachmentWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
