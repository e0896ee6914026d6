import type { FieldTypeKey } from '@crm/schema';
import type { WidgetProps } from '@rjsf/utils';
import type { ComponentType, ReactNode } from 'react';
import type { CellRenderer } from './shared/cells';

export type FieldTypeGroup = 'basic' | 'choice' | 'datetime' | 'people' | 'relations' | 'advanced' | 'layout';

/** A field as the designer edits it (the field service's input). */
export interface EditedField {
  key: string;
  label: string;
  type: FieldTypeKey;
  required?: boolean;
  unique?: boolean;
  indexed?: boolean;
  settings?: Record<string, unknown>;
}

/** An entity the settings panels may point at (relation targets, rollup sources). */
export interface EntityChoice {
  id: string;
  name: string;
  fields: { key: string; label: string; type: string; settings?: Record<string, unknown> }[];
}

/** What a type's settings panel gets: the field, a patch callback (merged into `settings`), and the app's entities. */
export interface SettingsProps {
  field: EditedField;
  onChange: (patch: Record<string, unknown>) => void;
  /** Keys of the fields the entity already has: their storage-changing settings are checked on publish. */
  published: boolean;
  entities: readonly EntityChoice[];
  /**
   * Where the formula editor goes (the rules editors, apps/web/src/rules/, provide it); without
   * one the panel shows a plain text area.
   */
  renderFormula?: (args: { value: string; onChange: (v: string) => void; label: string }) => ReactNode;
}

/** A filter value input of a type (view filters, condition builder). */
export interface FilterInputProps {
  field: EditedField;
  value: unknown;
  onChange: (value: unknown) => void;
  /** The accessible name of the input. */
  label: string;
}

/**
 * What the browser needs of one field type, one folder per type: its palette entry (group and
 * icon; the label is `fieldTypes.<key>` in both locale files), its table cell, its settings
 * panel in the designer, its form widget (an @rjsf widget, used by the designer's preview and
 * the staff forms) and its filter value input.
 */
export interface FieldTypeUi {
  group: FieldTypeGroup;
  icon: ComponentType;
  Cell: CellRenderer;
  Settings: ComponentType<SettingsProps>;
  Widget: ComponentType<WidgetProps>;
  FilterInput: ComponentType<FilterInputProps>;
}
