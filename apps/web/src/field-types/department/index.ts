import { ApartmentOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { ReferenceCell } from '../shared/cells';
import { MultipleSettings } from '../shared/settings-panels';
import { ReferenceWidget } from '../shared/widgets';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `department` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const departmentUi = {
  group: 'people',
  icon: ApartmentOutlined,
  Cell: ReferenceCell,
  Settings: MultipleSettings,
  Widget: ReferenceWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
