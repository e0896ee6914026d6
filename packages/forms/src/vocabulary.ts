import type { FilterField, ResolveField } from '@crm/rules';
import { type FieldDefinition, type FieldTypeDefinition, isFieldTypeKey, getFieldTypeOrThrow, type ValueKind } from '@crm/schema';

/** A field's type definition and complete settings (defaults filled in). */
export function typeOf(field: FieldDefinition): { def: FieldTypeDefinition; settings: Record<string, unknown> } {
  const def = getFieldTypeOrThrow(field.type);
  return { def, settings: { ...def.defaultSettings, ...field.settings } };
}

/** Value kinds a `$form.<key>` token may stand for: one value, never a list or subform rows. */
const SCALAR_KINDS: ReadonlySet<ValueKind> = new Set(['string', 'number', 'boolean', 'date', 'datetime', 'id']);

/** A value of each kind, to check a linkage condition's shape before any real value exists. */
export const SAMPLE_VALUES: Readonly<Record<string, unknown>> = {
  string: 'x',
  number: 0,
  boolean: true,
  date: '2000-01-01',
  datetime: '2000-01-01T00:00:00.000Z',
  id: 1,
};

export function isScalarKind(kind: ValueKind): boolean {
  return SCALAR_KINDS.has(kind);
}

/**
 * The condition vocabulary of a set of fields, for checking and evaluating rules in memory
 * with the rules package. Columns are placeholders (`r.<key>`): these fields are never
 * compiled to SQL. Subform rows cannot be tested by a condition, so subforms are left out.
 */
export function resolveFieldOf(fields: readonly FieldDefinition[]): ResolveField {
  const byKey = new Map<string, FilterField>();
  for (const f of fields) {
    if (!isFieldTypeKey(f.type)) continue;
    const { def, settings } = typeOf(f);
    const valueKind = def.valueKind(settings);
    if (valueKind === 'object-list') continue;
    byKey.set(f.key, {
      key: f.key,
      type: f.type,
      valueKind,
      operators: def.operatorsFor(settings),
      column: `r.${f.key}`,
      ...(valueKind === 'id-list' ? { link: { table: 'l_form', recordColumn: 'record_id', targetColumn: 'target_id' } } : {}),
      sortable: false,
    });
  }
  return (key) => (byKey.has(key) ? byKey.get(key) : undefined);
}
