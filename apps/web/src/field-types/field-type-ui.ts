import type { ComponentType } from 'react';
import type { CellRenderer } from './shared/cells';

export type FieldTypeGroup = 'basic' | 'choice' | 'datetime' | 'people' | 'relations' | 'advanced' | 'layout';

/**
 * What the browser needs of one field type. Today: its palette entry (group and icon; the label
 * is `fieldTypes.<key>` in both locale files) and its table cell. The designer adds the settings
 * panel, the form widget and the filter input here, one folder per type.
 */
export interface FieldTypeUi {
  group: FieldTypeGroup;
  icon: ComponentType;
  Cell: CellRenderer;
}
