import { CheckSquareOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { OptionCell } from '../shared/cells';
import { MultiChoiceSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { choiceFilterInput } from '../shared/filter-inputs';

/** The `checkbox` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const checkboxUi = {
  group: 'choice',
  icon: CheckSquareOutlined,
  Cell: OptionCell,
  Settings: MultiChoiceSettings,
  Widget: themeWidget('CheckboxesWidget'),
  FilterInput: choiceFilterInput(true),
} satisfies FieldTypeUi;
