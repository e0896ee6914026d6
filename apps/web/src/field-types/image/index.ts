import { PictureOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { TextFilterInput } from '../shared/filter-inputs';
import { AttachmentSettings } from '../shared/settings-panels';
import { ReferenceWidget } from '../shared/widgets';
import { ImageCell } from '../shared/file-cells';

/** The `image` field type in the browser: palette entry and table cell (thumbnails). */
export const imageUi = {
  group: 'advanced',
  icon: PictureOutlined,
  Cell: ImageCell,
  // Files like attachments: the designer's settings and the preview's reference widget until the upload and signature-pad widgets land.
  Settings: AttachmentSettings,
  Widget: ReferenceWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
