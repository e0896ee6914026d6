import { PictureOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { TextFilterInput } from '../shared/filter-inputs';
import { AttachmentSettings } from '../shared/settings-panels';
import { ImageWidget } from '../attachment/FileUploadWidget';
import { ImageCell } from '../shared/file-cells';

/** The `image` field type in the browser: palette entry and table cell (thumbnails). */
export const imageUi = {
  group: 'advanced',
  icon: PictureOutlined,
  Cell: ImageCell,
  Settings: AttachmentSettings,
  Widget: ImageWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
