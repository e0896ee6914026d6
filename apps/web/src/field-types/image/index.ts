import { PictureOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { ImageCell } from '../shared/file-cells';

/** The `image` field type in the browser: palette entry and table cell (thumbnails). */
export const imageUi = { group: 'advanced', icon: PictureOutlined, Cell: ImageCell } satisfies FieldTypeUi;
