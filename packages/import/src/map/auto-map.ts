import type { FieldDefinition, Issue } from '@crm/schema';
import { ImportError, ImportErrorCode } from '../errors';
import { headerKey } from '../text';
import type { Locale, SourceColumn } from '../types';
import { type Importability, type ImportTarget, importTargets, SYSTEM_NAMES, type SystemTarget } from './targets';

/** How a column found its target. */
export type MatchHow = 'label' | 'key' | 'similar-label' | 'similar-key' | 'system' | 'child-label' | 'manual';

/** A column → target choice as the UI sends it back (null: not imported). */
export interface ColumnMapping {
  column: number;
  target: string | null;
}

export interface MappedColumn {
  column: number;
  header: string;
  letter: string;
  target: string | null;
  how: MatchHow | null;
  importable: Importability | null;
  /** A target the header names that cannot be imported (shown to the user, then left out). */
  recognized?: string;
  note?: 'blank_header' | 'duplicate' | 'no_match' | 'not_importable';
}

export interface MappingReport {
  columns: MappedColumn[];
  /** Columns with a header that go nowhere. */
  unmapped: number[];
  /** Required fields no column fills (and no default does). */
  missingRequired: { path: string; label: string }[];
  /** Everything a column may be mapped to, for the UI's picker. */
  targets: ImportTarget[];
}

type Tier = { how: MatchHow; matches: (header: string, target: ImportTarget) => boolean };

const systemKeys = (name: SystemTarget): string[] => [name, ...SYSTEM_NAMES[name].en, ...SYSTEM_NAMES[name]['zh-CN']].map(headerKey);

/** Tried in order over all columns, so an exact match anywhere wins over a similar one. */
const TIERS: Tier[] = [
  { how: 'label', matches: (h, t) => t.kind !== 'system' && h === t.label },
  { how: 'key', matches: (h, t) => t.kind !== 'system' && h === t.path },
  { how: 'similar-label', matches: (h, t) => t.kind !== 'system' && headerKey(h) === headerKey(t.label) },
  { how: 'similar-key', matches: (h, t) => t.kind !== 'system' && headerKey(h) === headerKey(t.path) },
  { how: 'system', matches: (h, t) => t.kind === 'system' && systemKeys(t.path as SystemTarget).includes(headerKey(h)) },
];

/** A child matched by its own label alone, when no other target has that label. */
function childAlone(header: string, targets: ImportTarget[], taken: Set<string>): ImportTarget | undefined {
  const key = headerKey(header);
  const same = targets.filter((t) => headerKey(t.kind === 'child' ? t.field!.label : t.label) === key);
  return same.length === 1 && same[0]!.kind === 'child' && !taken.has(same[0]!.path) ? same[0] : undefined;
}

function missingRequired(args: { targets: ImportTarget[]; mapped: Set<string>; fieldsWithDefaults: readonly string[] }): { path: string; label: string }[] {
  const { targets, mapped, fieldsWithDefaults } = args;
  const usedSubforms = new Set([...mapped].filter((p) => p.includes('.')).map((p) => p.split('.')[0]));
  return targets
    .filter((t) => t.importable === 'yes' && t.field?.required === true && !mapped.has(t.path) && !fieldsWithDefaults.includes(t.path))
    .filter((t) => t.kind === 'field' || usedSubforms.has(t.parent!.key))
    .map((t) => ({ path: t.path, label: t.label }));
}

function report(args: { columns: MappedColumn[]; targets: ImportTarget[]; fieldsWithDefaults: readonly string[] }): MappingReport {
  const mapped = new Set(args.columns.flatMap((c) => (c.target ? [c.target] : [])));
  return {
    columns: args.columns,
    unmapped: args.columns.filter((c) => c.target === null && c.header !== '').map((c) => c.column),
    missingRequired: missingRequired({ targets: args.targets, mapped, fieldsWithDefaults: args.fieldsWithDefaults }),
    targets: args.targets,
  };
}

/**
 * Matches columns to fields by their headers: the field's label or key exactly, then ignoring
 * case, width (full-width ↔ half-width), spaces and punctuation, then the system fields' names
 * in both languages (ID, 创建人, Owner…), then a subform child by its own label. Each target
 * takes one column (the first); the report says what is left over and which required fields
 * no column fills.
 */
export function autoMapColumns(args: {
  columns: readonly SourceColumn[];
  fields: readonly FieldDefinition[];
  locale?: Locale;
  fieldsWithDefaults?: readonly string[];
}): MappingReport {
  const targets = importTargets({ fields: args.fields, locale: args.locale });
  const out: MappedColumn[] = args.columns.map((c) => ({ column: c.index, header: c.name, letter: c.letter, target: null, how: null, importable: null }));
  const taken = new Set<string>();
  for (const tier of TIERS) {
    for (const col of out) {
      if (col.target || col.recognized || col.header === '') continue;
      const target = targets.find((t) => tier.matches(col.header, t));
      if (!target) continue;
      if (taken.has(target.path)) col.note = 'duplicate';
      else if (target.importable === 'no') Object.assign(col, { recognized: target.path, note: 'not_importable', how: tier.how });
      else Object.assign(col, { target: target.path, how: tier.how, importable: target.importable, note: undefined });
      taken.add(target.path);
    }
  }
  for (const col of out) {
    if (col.target || col.recognized || col.header === '') continue;
    const child = childAlone(col.header, targets, taken);
    if (child && child.importable !== 'no') {
      Object.assign(col, { target: child.path, how: 'child-label', importable: child.importable, note: undefined });
      taken.add(child.path);
    }
  }
  for (const col of out) if (!col.target && !col.note) col.note = col.header === '' ? 'blank_header' : 'no_match';
  return report({ columns: out, targets, fieldsWithDefaults: args.fieldsWithDefaults ?? [] });
}

function mappingError(issues: Issue[]): ImportError {
  return new ImportError({
    code: ImportErrorCode.INVALID_MAPPING,
    message: {
      en: `The column mapping is not valid: ${issues.map((i) => i.message).join('; ')}`,
      'zh-CN': `列映射无效：${issues.map((i) => i.message).join('；')}`,
    },
    issues,
  });
}

/**
 * Checks a mapping the user changed: every column exists, every target exists and can be
 * imported, no target twice. Returns the same report as autoMapColumns (with `how: 'manual'`
 * where the user chose); throws INVALID_MAPPING listing every problem.
 */
export function checkMappingOrThrow(args: {
  columns: readonly SourceColumn[];
  fields: readonly FieldDefinition[];
  mapping: readonly ColumnMapping[];
  fieldsWithDefaults?: readonly string[];
  locale?: Locale;
}): MappingReport {
  const auto = autoMapColumns(args);
  const targets = new Map(auto.targets.map((t) => [t.path, t]));
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  const chosen = new Map<number, string | null>();
  args.mapping.forEach((m, i) => {
    const path = `/mapping/${i}`;
    if (!args.columns.some((c) => c.index === m.column))
      issues.push({ path: `${path}/column`, code: 'unknown_column', message: `column ${m.column} is not in the file` });
    else if (chosen.has(m.column)) issues.push({ path: `${path}/column`, code: 'duplicate_column', message: `column ${m.column} is mapped twice` });
    chosen.set(m.column, m.target);
    if (m.target === null) return;
    const target = targets.get(m.target);
    if (!target) issues.push({ path: `${path}/target`, code: 'unknown_target', message: `"${m.target}" is not a field of this form` });
    else if (target.importable === 'no')
      issues.push({ path: `${path}/target`, code: 'not_importable', message: `"${target.label}" cannot be imported (${target.reason})` });
    else if (seen.has(m.target)) issues.push({ path: `${path}/target`, code: 'duplicate_target', message: `"${target.label}" is mapped from two columns` });
    seen.set(m.target, m.column);
  });
  if (issues.length) throw mappingError(issues);
  const columns = auto.columns.map((c): MappedColumn => {
    if (!chosen.has(c.column)) return c;
    const target = chosen.get(c.column)!;
    if (target === c.target) return c;
    if (target === null) return { ...c, target: null, how: null, importable: null, note: c.header === '' ? 'blank_header' : 'no_match' };
    return { ...c, target, how: 'manual', importable: targets.get(target)!.importable, note: undefined, recognized: undefined };
  });
  // A column left as auto-mapped must not collide with a target the user moved elsewhere.
  const counts = new Map<string, number>();
  for (const c of columns) if (c.target) counts.set(c.target, (counts.get(c.target) ?? 0) + 1);
  const clashes = [...counts].filter(([, n]) => n > 1).map(([t]) => t);
  if (clashes.length)
    throw mappingError(clashes.map((t) => ({ path: '/mapping', code: 'duplicate_target', message: `"${targets.get(t)!.label}" is mapped from two columns` })));
  return report({ columns, targets: auto.targets, fieldsWithDefaults: args.fieldsWithDefaults ?? [] });
}
