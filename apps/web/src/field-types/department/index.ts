import { ApartmentOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { DepartmentCell } from '../shared/directory-cells';
import { MultipleSettings } from '../shared/settings-panels';
import { DepartmentWidget } from './DepartmentWidget';
import { TextFilterInput } from '../shared/filter-inputs';

/** The `department` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const departmentUi = {
  group: 'people',
  icon: ApartmentOutlined,
  Cell: DepartmentCell,
  Settings: MultipleSettings,
  Widget: DepartmentWidget,
  FilterInput: TextFilterInput,
} satisfies FieldTypeUi;
