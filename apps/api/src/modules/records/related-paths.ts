import { assertConditionSafeOrThrow, conditionFieldKeys, type FilterField, isSafeFieldPath, type ResolveField, type SortKey } from '@crm/rules';
import { AppError, type ErrorCode } from '../../common/errors';
import type { SqlFragment } from '../access/access.repository';
import type { EntityAccess } from '../access/access.service';
import type { CompiledEntity } from '../entities/entity-runtime.service';

/**
 * A related record table joined to a list (alias `j0`, `j1`, …): the target's live rows in the
 * member's view scope, with the columns the filter and sort read, matched on the relation column.
 * The repository renders it as `LEFT JOIN (SELECT … FROM target r WHERE …) jN ON jN.id = r.<column>`.
 */
export interface RelatedJoin {
  alias: string;
  relationColumn: string;
  table: string;
  columns: string[];
  scope: SqlFragment | null;
}

/** Filter and sort keys resolved through single relations (`account.name`), and the joins they need. */
export interface RelatedPaths {
  resolveField: ResolveField;
  joins: RelatedJoin[];
}

/** What the service hands in for each relation followed: its target and the member's access to it. */
export type TargetLookup = (relationKey: string) => Promise<{ target: CompiledEntity; tacc: EntityAccess<CompiledEntity> }>;

/** Keys of a sort text (`-account.name,amount`), without direction. */
export function sortTextKeys(sort: unknown): string[] {
  if (typeof sort !== 'string' || !sort.trim()) return [];
  return sort.split(',').map((p) => p.trim().replace(/^-/, ''));
}

/** The `relation.field` keys a filter and sort name (a malformed filter is refused here, as the compiler would). */
export function relatedKeysOf(filter: unknown, sort: unknown): string[] {
  if (filter !== null && filter !== undefined) assertConditionSafeOrThrow(filter);
  const keys = [...(filter === null || filter === undefined ? [] : conditionFieldKeys(filter)), ...sortTextKeys(sort)];
  // Other malformed sort keys are left for the sort compiler to refuse.
  return [...new Set(keys.filter((k) => k.includes('.') && isSafeFieldPath(k)))];
}

const refuse = (code: ErrorCode, message: string, path: string): never => {
  throw new AppError(code, message, { field: path, fields: [path], errors: [{ path: `/${path}`, code: code.toLowerCase(), message }] });
};

/** Checks each `relation.field` path (readable relation, viewable target, readable column field) and builds the joins. */
export async function resolveRelatedPathsOrThrow(c: CompiledEntity, acc: EntityAccess, paths: string[], lookup: TargetLookup): Promise<RelatedPaths> {
  if (!paths.length) return { resolveField: c.resolveField, joins: [] };
  const resolved = new Map<string, FilterField>();
  const joins = new Map<string, RelatedJoin>();
  for (const path of paths) {
    const [relKey, subKey] = path.split('.');
    const rel = c.byKey.get(relKey);
    if (!rel) refuse('UNKNOWN_FIELD', `Unknown field "${relKey}" in "${path}"`, path);
    if (rel!.type !== 'relation') refuse('INVALID_FILTER', `"${relKey}" is not a relation, so "${path}" names nothing`, path);
    if (!rel!.physical.column) refuse('INVALID_FILTER', `"${relKey}" holds several records; filter and sort follow single relations only`, path);
    if (!acc.readable(relKey)) refuse('FIELD_NOT_READABLE', `You may not filter or sort by "${relKey}"`, path);
    const { target, tacc } = await lookup(relKey);
    if (!tacc.can('view')) refuse('FORBIDDEN', `You may not view records of ${target.meta.name}, so "${path}" cannot be used`, path);
    const ff = target.resolveField(subKey);
    if (!ff) refuse('UNKNOWN_FIELD', `${target.meta.name} has no field "${subKey}" (in "${path}")`, path);
    if (ff!.valueKind === 'id-list' || !ff!.column.startsWith('r.')) refuse('INVALID_FILTER', `"${path}" holds several values and cannot be followed`, path);
    if (!tacc.readable(subKey)) refuse('FIELD_NOT_READABLE', `You may not filter or sort by "${path}"`, path);
    let join = joins.get(relKey);
    if (!join) {
      join = { alias: `j${joins.size}`, relationColumn: rel!.physical.column!, table: target.meta.table, columns: [], scope: tacc.scopeSqlOrThrow('view') };
      joins.set(relKey, join);
    }
    const column = ff!.column.slice(2);
    if (column !== 'id' && !join.columns.includes(column)) join.columns.push(column);
    resolved.set(path, { ...ff!, key: path, column: `${join.alias}.${column}` });
  }
  return {
    resolveField: (key) => (key.includes('.') ? resolved.get(key) : c.resolveField(key)),
    joins: [...joins.values()],
  };
}

/** Name of a joined sort column in the row (`j0.f_name` → `j0__f_name`); the entity's own columns keep theirs. */
export const rowKeyOfColumn = (column: string): string => (column.startsWith('r.') ? column.slice(2) : column.replace('.', '__'));

/** Extra select items carrying joined sort values, so the next cursor can be built from the last row. */
export function sortSelectOf(sortKeys: readonly SortKey[]): string {
  return sortKeys
    .filter((k) => !k.column.startsWith('r.'))
    .map((k) => `, ${k.column} AS ${rowKeyOfColumn(k.column)}`)
    .join('');
}
