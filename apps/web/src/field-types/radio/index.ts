import { CheckCircleOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { OptionCell } from '../shared/cells';
import { ChoiceSettings } from '../shared/settings-panels';
import { themeWidget } from '../shared/widgets';
import { choiceFilterInput } from '../shared/filter-inputs';

/** The `radio` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const radioUi = {
  group: 'choice',
  icon: CheckCircleOutlined,
  Cell: OptionCell,
  Settings: ChoiceSettings,
  Widget: themeWidget('RadioWidget'),
  FilterInput: choiceFilterInput(false),
} satisfies FieldTypeUi;
