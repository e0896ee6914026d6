import type { Entity, Field } from '../apps/api/apps.api';
import type { ViewConfig } from './views.api';

/** Field types whose text the quick search looks into (`contains`, server side). */
const SEARCHABLE = new Set(['text', 'textarea', 'email', 'phone', 'url', 'serial']);
/** Types a single-choice grouping or kanban can use. */
export const CHOICE_TYPES = new Set(['select', 'radio']);
/** Types that can be summed on a kanban column. */
export const NUMBER_TYPES = new Set(['number', 'money', 'rollup']);
/** Types the table edits in place (others open the record). */
export const INLINE_TYPES = new Set(['text', 'textarea', 'email', 'phone', 'url', 'number', 'money', 'select', 'radio', 'switch', 'rating']);
const SORTABLE = new Set(['text', 'email', 'phone', 'url', 'number', 'money', 'select', 'radio', 'date', 'datetime', 'switch', 'rating', 'serial', 'rollup']);

/** A filter condition the view's filter slot edits (until the shared condition builder lands): one field, an operator, a value. */
export interface SimpleCondition {
  key: string;
  op: '==' | 'contains';
  value: string;
}

export interface FieldChoice {
  key: string;
  label: string;
  field: Field;
}

/** Fields of the entity and, through each single relation, of the related entity (`account.name`). */
export function fieldChoices(entity: Entity, related: Map<string, Entity>, accept: (f: Field) => boolean): FieldChoice[] {
  const own = entity.fields.filter(accept).map((field) => ({ key: field.key, label: field.label, field }));
  const through = entity.fields
    .filter((f) => f.type === 'relation' && !f.settings.multiple)
    .flatMap((rel) => {
      const target = related.get(String(rel.settings.targetEntityId));
      return (target?.fields ?? []).filter(accept).map((field) => ({ key: `${rel.key}.${field.key}`, label: `${rel.label} › ${field.label}`, field }));
    });
  return [...own, ...through];
}

export const isSortable = (f: Field) => SORTABLE.has(f.type) || (f.type === 'formula' && f.settings.resultType !== undefined);
export const isSearchable = (f: Field) => SEARCHABLE.has(f.type);

/** The json-logic the server gets: the quick search over text fields AND the filter conditions. */
export function filterOf(entity: Entity, config: ViewConfig, conditions: SimpleCondition[]): unknown {
  const terms: unknown[] = [];
  const search = config.search?.trim();
  if (search) {
    const fields = entity.fields.filter(isSearchable);
    if (fields.length) terms.push({ or: fields.map((f) => ({ contains: [{ var: f.key }, search] })) });
  }
  for (const c of conditions) if (c.key && c.value !== '') terms.push({ [c.op]: [{ var: c.key }, c.value] });
  if (config.filter) terms.push(config.filter);
  return terms.length === 0 ? null : terms.length === 1 ? terms[0] : { and: terms };
}

/** The fields the table shows as columns, in order: the view's chosen columns (that still exist), or every field. */
export function visibleFieldKeys(entity: Entity, config: ViewConfig): string[] {
  const keys = new Set(entity.fields.map((f) => f.key));
  return config.columns?.length ? config.columns.map((c) => c.key).filter((k) => keys.has(k)) : entity.fields.map((f) => f.key);
}

/** What an export of the table writes: its filter, its sort (the grouping first) and its columns (#, the fields, updated at). */
export function exportViewOf(entity: Entity, config: ViewConfig, filter: unknown): { filter?: unknown; sort?: string; columns: string[] } {
  const groupBy = config.groupBy && entity.fields.some((f) => f.key === config.groupBy) ? config.groupBy : undefined;
  const sort = [groupBy, config.sort].filter(Boolean).join(',') || undefined;
  return { ...(filter ? { filter } : {}), ...(sort ? { sort } : {}), columns: ['id', ...visibleFieldKeys(entity, config), 'updatedAt'] };
}

/** Conditions kept in a saved view's filter (the shape `filterOf` writes), back for editing. */
export function conditionsOf(filter: unknown): { conditions: SimpleCondition[]; rest: unknown } {
  const items = filter && typeof filter === 'object' && 'and' in filter ? ((filter as { and: unknown[] }).and ?? []) : filter ? [filter] : [];
  const conditions: SimpleCondition[] = [];
  const rest: unknown[] = [];
  for (const item of items) {
    const op = item && typeof item === 'object' ? Object.keys(item)[0] : '';
    const args = op ? (item as Record<string, unknown[]>)[op] : null;
    const v = Array.isArray(args) ? (args[0] as { var?: string } | undefined)?.var : undefined;
    if ((op === '==' || op === 'contains') && typeof v === 'string' && typeof args?.[1] === 'string') conditions.push({ key: v, op, value: args[1] });
    else rest.push(item);
  }
  return { conditions, rest: rest.length === 0 ? null : rest.length === 1 ? rest[0] : { and: rest } };
}

/** The value a related record shows: its entity's display field, else its first text field, else `#id`. */
export function displayOf(target: Entity | undefined, rec: Record<string, unknown> | null | undefined): string | null {
  if (!rec) return null;
  const key = target?.displayField ?? target?.fields.find((f) => f.type === 'text')?.key;
  const v = key ? rec[key] : null;
  return v === null || v === undefined || v === '' ? `#${String(rec.id)}` : String(v);
}
