import { NodeIndexOutlined } from '@ant-design/icons';
import type { FieldTypeUi } from '../field-type-ui';
import { ReferenceCell } from '../shared/cells';
import { RelationSettings } from '../shared/settings-relations';
import { RelationWidget } from './RelationWidget';
import { NumberFilterInput } from '../shared/filter-inputs';

/** The `relation` field type in the browser: palette entry, table cell, settings panel, form widget and filter input. */
export const relationUi = {
  group: 'relations',
  icon: NodeIndexOutlined,
  Cell: ReferenceCell,
  Settings: RelationSettings,
  Widget: RelationWidget,
  FilterInput: NumberFilterInput,
} satisfies FieldTypeUi;
