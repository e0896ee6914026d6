import { AimOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { LocationCell } from '../shared/structured-cells';
import { LocationSettings } from '../shared/settings-panels';
import { StructuredWidget } from '../shared/widgets';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `location` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const locationUi = {
  group: 'advanced',
  icon: AimOutlined,
  Cell: LocationCell,
  Settings: LocationSettings,
  Widget: StructuredWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
