import { UserOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { MemberCell } from '../shared/directory-cells';
import { MultipleSettings } from '../shared/settings-panels';
import { MemberWidget } from './MemberWidget';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `member` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const memberUi = {
  group: 'people',
  icon: UserOutlined,
  Cell: MemberCell,
  Settings: MultipleSettings,
  Widget: MemberWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
