import { UnorderedListOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { OptionCell } from '../shared/cells';
import { MultiChoiceSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { choiceFilterInput } from '../shared/filter-inputs';

/** The `multiselect` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const multiselectUi = {
  group: 'choice',
  icon: UnorderedListOutlined,
  Cell: OptionCell,
  Settings: MultiChoiceSettings,
  Widget: themeWidget('SelectWidget'),
  FilterInput: choiceFilterInput(true),
} satisfies FieldTypeUi;
