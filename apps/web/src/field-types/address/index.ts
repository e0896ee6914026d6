import { EnvironmentOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { AddressCell } from '../shared/structured-cells';
import { AddressSettings } from '../shared/settings-panels';
import { StructuredWidget } from '../shared/widgets';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `address` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const addressUi = {
  group: 'advanced',
  icon: EnvironmentOutlined,
  Cell: AddressCell,
  Settings: AddressSettings,
  Widget: StructuredWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
