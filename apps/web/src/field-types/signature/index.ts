import { SignatureOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { TextFilterInput } from '../shared/filter-inputs';
import { AttachmentSettings } from '../shared/settings-panels';
import { SignatureWidget } from './SignatureWidget';
import { SignatureCell } from '../shared/file-cells';

/** The `signature` field type in the browser: palette entry and table cell (the signature's picture). */
export const signatureUi = {
  group: 'advanced',
  icon: SignatureOutlined,
  Cell: SignatureCell,
  Settings: AttachmentSettings,
  Widget: SignatureWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
