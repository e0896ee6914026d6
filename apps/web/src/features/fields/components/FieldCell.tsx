import type { FieldDefinition } from '@crm/schema';
import { fieldCells } from '../field-cells';
import { isEmptyValue } from '../format-value';
import { TextCell, type CellRenderer } from './cells';

interface FieldCellProps {
  field: FieldDefinition;
  value: unknown;
}

export function FieldCell({ field, value }: FieldCellProps) {
  // Switch fields show "–" for false, so only null-ish means empty there.
  if (field.type === 'switch' ? value === null || value === undefined : isEmptyValue(value)) return null;
  // The server may know a type this build does not yet; show it as text rather than crash.
  const Cell = (fieldCells as Partial<Record<string, CellRenderer>>)[field.type] ?? TextCell;
  return <Cell field={field} value={value} />;
}
