import { LinkOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { UrlCell } from '../shared/cells';
import { NoSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `url` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const urlUi = {
  group: 'basic',
  icon: LinkOutlined,
  Cell: UrlCell,
  Settings: NoSettings,
  Widget: themeWidget('URLWidget'),
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
