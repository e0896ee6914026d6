import { StarOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { RatingCell } from '../shared/structured-cells';

/** The `rating` field type in the browser: palette entry and table cell. */
export const ratingUi = { group: 'basic', icon: StarOutlined, Cell: RatingCell } satisfies FieldTypeUi;
