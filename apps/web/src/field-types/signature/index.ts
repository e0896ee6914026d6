import { SignatureOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { TextFilterInput } from '../shared/filter-inputs';
import { AttachmentSettings } from '../shared/settings-panels';
import { ReferenceWidget } from '../shared/widgets';
import { SignatureCell } from '../shared/file-cells';

/** The `signature` field type in the browser: palette entry and table cell (the signature's picture). */
export const signatureUi = {
  group: 'advanced',
  icon: SignatureOutlined,
  Cell: SignatureCell,
  // Files like attachments: the designer's settings and the preview's reference widget until the upload and signature-pad widgets land.
  Settings: AttachmentSettings,
  Widget: ReferenceWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
