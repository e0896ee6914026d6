import type { ChoiceOption, FieldDefinition } from '@crm/schema';
import type { CoerceOptions } from '../coerce/result';
import type { ColumnMapping } from '../map/auto-map';

/**
 * The user's decision about one value the file holds that matched nothing: `map` it to an
 * existing option value / member id / department id / record id; `add` it as a new option
 * (choices only; see optionsToAdd); `skip` the rows holding it (reported, not imported); or
 * import those rows with it left `empty`.
 */
export interface ValueMapping {
  /** The column's target path. */
  target: string;
  /** The value as the file writes it (compared ignoring case and width). */
  value: string;
  action: 'map' | 'add' | 'skip' | 'empty';
  to?: string | number;
}

/** 'valid-rows' imports the rows without errors; 'all-or-nothing' imports nothing unless every row is valid. */
export type WriteMode = 'valid-rows' | 'all-or-nothing';

export interface ImportSettings {
  /** The entity imported into (relations to it may point at rows of the same file). */
  entityId: string;
  /** Its normalized field definitions. */
  fields: readonly FieldDefinition[];
  /** Its title field, which relations match by unless `relationMatch` says otherwise. */
  titleField?: string;
  mapping: readonly ColumnMapping[];
  valueMappings?: readonly ValueMapping[];
  write?: WriteMode;
  /** Update the record whose unique field (or serial, or `id`) equals the row's, create the others. */
  upsertBy?: string;
  /** In updates, an empty cell keeps the stored value ('keep', default) or clears it. */
  emptyCells?: 'keep' | 'clear';
  coerce?: Partial<CoerceOptions>;
  /** Per relation target path, the target entity's field to match by (a unique field); its title otherwise. */
  relationMatch?: Readonly<Record<string, string>>;
  /** Fields a published form fills by default: not reported as missing when unmapped. */
  fieldsWithDefaults?: readonly string[];
  /** Rows (and lookups) per chunk; 500 by default. */
  chunkSize?: number;
}

/** Option values the package gives new options: the label itself when free (options compare by label on import). */
function newOptionValue(label: string, taken: Set<string>): string {
  const base = label.slice(0, 100);
  let value = base;
  for (let n = 2; taken.has(value); n++) value = `${base.slice(0, 96)}_${n}`;
  taken.add(value);
  return value;
}

/**
 * The options to add before importing, for the value mappings that say `add`: per choice
 * field (or subform child path), the new options (value and label). The API saves them in the
 * field's settings; the import then finds them by label.
 */
export function optionsToAdd(args: {
  fields: readonly FieldDefinition[];
  valueMappings: readonly ValueMapping[];
}): { target: string; options: ChoiceOption[] }[] {
  const out = new Map<string, ChoiceOption[]>();
  for (const vm of args.valueMappings) {
    if (vm.action !== 'add') continue;
    const field = fieldAt(args.fields, vm.target);
    const options = (field?.settings as { options?: ChoiceOption[] } | undefined)?.options;
    if (!options) continue;
    const list = out.get(vm.target) ?? [];
    const label = vm.value.trim();
    const exists = [...options, ...list].some((o) => o.label === label);
    if (!exists) list.push({ value: newOptionValue(label, new Set([...options, ...list].map((o) => o.value))), label });
    out.set(vm.target, list);
  }
  return [...out].filter(([, options]) => options.length).map(([target, options]) => ({ target, options }));
}

/** Fields with the options of `add` mappings already in place (what the scan previews). */
export function withAddedOptions(args: { fields: readonly FieldDefinition[]; valueMappings: readonly ValueMapping[] }): FieldDefinition[] {
  const added = new Map(optionsToAdd(args).map((a) => [a.target, a.options]));
  if (added.size === 0) return [...args.fields];
  const extend = (field: FieldDefinition, path: string): FieldDefinition => {
    const more = added.get(path);
    const settings = field.settings as { options?: ChoiceOption[]; fields?: FieldDefinition[] };
    if (more) return { ...field, settings: { ...field.settings, options: [...(settings.options ?? []), ...more] } };
    if (field.type === 'subform')
      return { ...field, settings: { ...field.settings, fields: (settings.fields ?? []).map((c) => extend(c, `${field.key}.${c.key}`)) } };
    return field;
  };
  return args.fields.map((f) => extend(f, f.key));
}

/** The field at a target path (`key` or `subform.child`). */
export function fieldAt(fields: readonly FieldDefinition[], path: string): FieldDefinition | undefined {
  const [head, child] = path.split('.');
  const field = fields.find((f) => f.key === head);
  if (child === undefined || !field) return field;
  return ((field.settings as { fields?: FieldDefinition[] }).fields ?? []).find((c) => c.key === child);
}
