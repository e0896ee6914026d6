import {
  type AddressSettings,
  type AddressValue,
  addressText,
  type FieldTypeKey,
  type FormulaSettings,
  type LocationSettings,
  type MoneySettings,
  type NumberSettings,
  type RatingSettings,
} from '@crm/schema';
import { coerceAddress, coerceLocation, coerceRating, coerceRichText, richTextExport } from './coerce/structured';
import { coerceDate, coerceDateTime } from './coerce/dates';
import { coerceDecimal } from './coerce/numbers';
import type { CoerceOptions, Coerced } from './coerce/result';
import { coerceEmail, coercePhone, coerceSwitch, coerceText, coerceTextarea, coerceUrl } from './coerce/scalars';
import type { Cell } from './types';
import { dateCell, dateTimeCell, type ExportCell, type ExportContext, joinValues, numberCell, switchText, text } from './write/cells';

/** Why a type cannot be imported from a cell. */
export type NotImportableReason = 'computed' | 'server_assigned' | 'files';

/**
 * How cells of a type become values: `scalar` converts each cell alone; `choice`, `member`,
 * `department`, `relation` name things that are matched (and can be value-mapped); a subform
 * takes its children's columns; `none` cannot be written from a file (`matchable`: it can still
 * identify existing records for an upsert).
 */
export type ImportRule =
  | { kind: 'scalar'; coerce: (cell: Cell, settings: any, opts: CoerceOptions) => Coerced; matchable: boolean }
  | { kind: 'choice'; multiple: boolean }
  | { kind: 'member' | 'department' | 'relation'; multiple: (settings: any) => boolean }
  | { kind: 'subform' }
  | { kind: 'none'; reason: NotImportableReason; matchable: boolean };

/** Ids a value shows by name, collected per page of records so names are looked up in one call. */
export interface ExportRefs {
  members: Set<string>;
  departments: Set<string>;
  records: Map<string, Set<number>>;
}

/** How values of a type are shown to people in an export; `refs` lists the ids it needs names for. */
export interface ExportRule {
  refs?: (value: unknown, settings: any, out: ExportRefs) => void;
  cell: (value: unknown, settings: any, ctx: ExportContext) => ExportCell | null;
}

export interface FieldIo {
  import: ImportRule;
  export: ExportRule;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]);

const plainText: ExportRule = { cell: (v) => (typeof v === 'string' ? text(v) : null) };

const choiceExport: ExportRule = {
  cell: (v, s: { options: { value: string; label: string }[] }) => {
    const labels = asList(v).map((value) => s.options.find((o) => o.value === value)?.label ?? String(value));
    return labels.length ? text(joinValues(labels)) : null;
  },
};

function directoryExport(kind: 'member' | 'department'): ExportRule {
  return {
    refs: (v, _s, out) => asList(v).forEach((id) => (kind === 'member' ? out.members : out.departments).add(String(id))),
    cell: (v, _s, ctx) => {
      const names = asList(v).map((id) => ctx.names[kind](String(id)) ?? String(id));
      return names.length ? text(joinValues(names)) : null;
    },
  };
}

const relationExport: ExportRule = {
  refs: (v, s: { targetEntityId: string }, out) => {
    const ids = out.records.get(s.targetEntityId) ?? new Set<number>();
    asList(v).forEach((id) => ids.add(Number(id)));
    out.records.set(s.targetEntityId, ids);
  },
  cell: (v, s: { targetEntityId: string }, ctx) => {
    const titles = asList(v).map((id) => ctx.names.record(s.targetEntityId, Number(id)) ?? `#${String(id)}`);
    return titles.length ? text(joinValues(titles)) : null;
  },
};

const decimalExport = (money: boolean): ExportRule => ({
  cell: (v, s: { precision: number }) => (typeof v === 'number' ? numberCell({ value: v, precision: s.precision, money }) : null),
});

const dateExport: ExportRule = { cell: (v) => (typeof v === 'string' ? dateCell(v) : null) };
const dateTimeExport: ExportRule = { cell: (v, _s, ctx) => (typeof v === 'string' ? dateTimeCell(v, ctx.timeZone) : null) };
const switchExport: ExportRule = { cell: (v, _s, ctx) => (typeof v === 'boolean' ? text(switchText(v, ctx.locale)) : null) };

const scalar = (coerce: (cell: Cell, settings: any, opts: CoerceOptions) => Coerced, matchable = true): ImportRule => ({ kind: 'scalar', coerce, matchable });
const byMultiple = (s: { multiple?: boolean }): boolean => s.multiple === true;

/** Export of a formula follows its result type. */
const formulaExport: ExportRule = {
  cell: (v, s: FormulaSettings, ctx) => FIELD_IO[s.resultType === 'text' ? 'text' : s.resultType].export.cell(v, { precision: s.precision }, ctx),
};

/** Subform rows are exported as one column per child (write/export.ts); the field itself has no cell of its own. */
const subformExport: ExportRule = { cell: () => null };

/** Uploaded files (attachments, images, signatures): not imported from a sheet; exported as their names. */
const filesIo: FieldIo = {
  import: { kind: 'none', reason: 'files', matchable: false },
  export: {
    cell: (v) =>
      Array.isArray(v) && v.length
        ? text(
            joinValues(
              v.map((f) => (f && typeof f === 'object' ? String((f as { name?: unknown; id?: unknown }).name ?? (f as { id?: unknown }).id) : String(f))),
            ),
          )
        : null,
  },
};

/**
 * Import and export per field type. Adding a type to the schema package without a rule here is
 * a compile error.
 */
export const FIELD_IO = {
  text: { import: scalar((c, s: { maxLength: number }) => coerceText(c, s.maxLength)), export: plainText },
  textarea: { import: scalar((c, s: { maxLength: number }) => coerceTextarea(c, s.maxLength), false), export: plainText },
  number: {
    import: scalar((c, s: NumberSettings, o) =>
      coerceDecimal({ cell: c, format: o.numberFormat, precision: s.precision, min: s.min, max: s.max, limit: 1e20, unit: s.unit }),
    ),
    export: decimalExport(false),
  },
  money: {
    import: scalar((c, s: MoneySettings, o) =>
      coerceDecimal({ cell: c, format: o.numberFormat, precision: s.precision, min: s.min, max: s.max, limit: 1e16, currency: s.currency }),
    ),
    export: decimalExport(true),
  },
  date: { import: scalar((c, _s, o) => coerceDate(c, o)), export: dateExport },
  datetime: { import: scalar((c, _s, o) => coerceDateTime(c, o)), export: dateTimeExport },
  switch: { import: scalar((c) => coerceSwitch(c), false), export: switchExport },
  radio: { import: { kind: 'choice', multiple: false }, export: choiceExport },
  select: { import: { kind: 'choice', multiple: false }, export: choiceExport },
  checkbox: { import: { kind: 'choice', multiple: true }, export: choiceExport },
  multiselect: { import: { kind: 'choice', multiple: true }, export: choiceExport },
  email: { import: scalar((c) => coerceEmail(c)), export: plainText },
  phone: { import: scalar((c) => coercePhone(c)), export: plainText },
  url: { import: scalar((c) => coerceUrl(c), false), export: plainText },
  member: { import: { kind: 'member', multiple: byMultiple }, export: directoryExport('member') },
  department: { import: { kind: 'department', multiple: byMultiple }, export: directoryExport('department') },
  relation: { import: { kind: 'relation', multiple: byMultiple }, export: relationExport },
  subform: { import: { kind: 'subform' }, export: subformExport },
  attachment: filesIo,

  serial: { import: { kind: 'none', reason: 'server_assigned', matchable: true }, export: plainText },
  formula: { import: { kind: 'none', reason: 'computed', matchable: false }, export: formulaExport },
  rollup: { import: { kind: 'none', reason: 'computed', matchable: false }, export: decimalExport(false) },
  richtext: {
    import: scalar((c, s: { maxLength: number }) => coerceRichText(c, s.maxLength), false),
    export: { cell: (v) => (typeof v === 'string' ? text(richTextExport(v)) : null) },
  },
  address: {
    import: scalar((c, s: AddressSettings) => coerceAddress(c, s), false),
    export: { cell: (v) => (v && typeof v === 'object' && typeof (v as AddressValue).province === 'string' ? text(addressText(v as AddressValue)) : null) },
  },
  location: {
    import: scalar((c, s: LocationSettings) => coerceLocation(c, s), false),
    export: {
      cell: (v) => {
        if (!v || typeof v !== 'object') return null;
        const p = v as { lat: number; lng: number; label?: string };
        return text(`${p.lat},${p.lng}${p.label ? ` ${p.label}` : ''}`);
      },
    },
  },
  rating: {
    import: scalar((c, s: RatingSettings) => coerceRating(c, s)),
    export: { cell: (v) => (typeof v === 'number' ? numberCell({ value: v, precision: 0, money: false }) : null) },
  },
  image: filesIo,
  signature: filesIo,
} satisfies Record<FieldTypeKey, FieldIo>;

/** The rule of a type (a type the registry lacks has none: the caller refuses the field). */
export function fieldIoOf(type: string): FieldIo | undefined {
  return Object.hasOwn(FIELD_IO, type) ? FIELD_IO[type as FieldTypeKey] : undefined;
}
