import { MailOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { TextCell } from '../shared/cells';
import { NoSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `email` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const emailUi = {
  group: 'basic',
  icon: MailOutlined,
  Cell: TextCell,
  Settings: NoSettings,
  Widget: themeWidget('EmailWidget'),
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
