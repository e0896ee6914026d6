import type { FieldDefinition } from '@crm/schema';
import { fieldTypeUis } from './registry';
import { TextCell, type CellRenderer } from './shared/cells';
import { isEmptyValue } from './shared/format-value';

interface FieldCellProps {
  field: FieldDefinition;
  value: unknown;
}

/** One value in a records table, drawn by its field type's cell. */
export function FieldCell({ field, value }: FieldCellProps) {
  // Switch fields show "–" for false, so only null-ish means empty there.
  if (field.type === 'switch' ? value === null || value === undefined : isEmptyValue(value)) return null;
  // The server may know a type this build does not yet; show it as text rather than crash.
  const Cell = (fieldTypeUis as Partial<Record<string, { Cell: CellRenderer }>>)[field.type]?.Cell ?? TextCell;
  return <Cell field={field} value={value} />;
}
