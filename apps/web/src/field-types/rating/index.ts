import { StarOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { RatingCell } from '../shared/structured-cells';
import { RatingSettings } from '../shared/settings-panels';
import { RatingWidget } from '../shared/widgets';
import { NumberFilterInput } from '../shared/filter-inputs';

/** The `rating` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const ratingUi = {
  group: 'basic',
  icon: StarOutlined,
  Cell: RatingCell,
  Settings: RatingSettings,
  Widget: RatingWidget,
  FilterInput: NumberFilterInput,
} satisfies FieldTypeUi;
