import jsonLogic, { type RulesLogic, type AdditionalOperation } from 'json-logic-js';
import { parseConditionOrThrow, type ConditionNode } from './condition-ast';
import { bindConditionOrThrow } from './condition-bind';
import { canonicalDateTime, isIsoDate, isRelativeDateRange, relativeDateBounds } from './dates';
import type { ResolveField } from './types';
import { htmlText, regionPrefix } from './value-kinds';

export interface EvaluateFilterInput {
  /** A json-logic condition of the supported subset. */
  filter: unknown;
  /** Field values in API form: datetime ISO with Z (toISOString), date YYYY-MM-DD, arrays for multi-values. */
  record: Readonly<Record<string, unknown>>;
  /** Reference instant for relative date ranges (UTC). */
  now: Date;
  /**
   * When given, fields, operators and values are checked as in `compileFilterOrThrow` and
   * values are canonicalized (e.g. datetimes to toISOString form) before comparing.
   */
  resolveField?: ResolveField;
}

/** Evaluates a compiled filter against one record (see `compileFilterEvaluatorOrThrow`); `keys`: the top-level fields it reads. */
export type FilterEvaluator = ((args: { record: Readonly<Record<string, unknown>>; now: Date }) => boolean) & { readonly keys: readonly string[] };

/**
 * Parses and checks a filter once and returns its evaluator: what `evaluateFilter` does per
 * call, for conditions evaluated over and over (form rules on every record write). Throws
 * RulesError for filters outside the subset, as `evaluateFilter` does.
 */
export function compileFilterEvaluatorOrThrow({ filter, resolveField }: { filter: unknown; resolveField?: ResolveField }): FilterEvaluator {
  registerFilterOperations();
  const parsed = parseConditionOrThrow(filter);
  const node = resolveField ? bindConditionOrThrow({ node: parsed, resolveField }).node : parsed;
  // Only the fields the condition reads are copied (top-level keys: `var` may name a path).
  const keys = [...new Set(leafKeys(node).map((k) => k.split('.')[0]))];
  // Relative date ranges depend on `now`; everything else converts once.
  const fixed = hasRelativeRange(node) ? null : toJsonLogic(node, new Date(0));
  const evaluate = ({ record, now }: { record: Readonly<Record<string, unknown>>; now: Date }) => {
    // Every key the condition reads is an own key of `data` (undefined when the record lacks
    // it, which json-logic reads as null), so none can reach Object.prototype members; a plain
    // object stays fast where a prototype-less one is a slow dictionary.
    const data: Record<string, unknown> = {};
    for (const k of keys) data[k] = Object.prototype.propertyIsEnumerable.call(record, k) ? record[k] : undefined;
    return jsonLogic.truthy(jsonLogic.apply(fixed ?? toJsonLogic(node, now), data));
  };
  return Object.assign(evaluate, { keys });
}

/**
 * Evaluates a filter against one record in memory with json-logic-js; same answers as the SQL
 * from `compileFilterOrThrow`. Throws RulesError for filters outside the subset.
 */
export function evaluateFilter({ filter, record, now, resolveField }: EvaluateFilterInput): boolean {
  return compileFilterEvaluatorOrThrow({ filter, resolveField })({ record, now });
}

function leafKeys(node: ConditionNode): string[] {
  switch (node.kind) {
    case 'const':
      return [];
    case 'and':
    case 'or':
      return node.items.flatMap(leafKeys);
    case 'not':
      return leafKeys(node.item);
    default:
      return [node.key];
  }
}

function hasRelativeRange(node: ConditionNode): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.items.some(hasRelativeRange);
    case 'not':
      return hasRelativeRange(node.item);
    case 'date_range':
      return typeof node.range === 'string';
    default:
      return false;
  }
}

type Logic = RulesLogic<AdditionalOperation>;

/** Rewrites the subset to json-logic whose JavaScript semantics equal the compiled SQL. */
function toJsonLogic(node: ConditionNode, now: Date): Logic {
  switch (node.kind) {
    case 'const':
      return node.value;
    case 'and':
      return { and: node.items.map((item) => toJsonLogic(item, now)) };
    case 'or':
      return { or: node.items.map((item) => toJsonLogic(item, now)) };
    case 'not':
      return { '!': [toJsonLogic(node.item, now)] };
    default:
      break;
  }
  const v = { var: node.key };
  // JavaScript compares null as 0 (null < 5); SQL never matches a NULL, so guard ordered tests.
  const present = { '!=': [v, null] };
  switch (node.kind) {
    case 'compare':
      if (node.value === null) return { [node.op]: [v, null] } as Logic;
      if (node.op === '==') return { '===': [v, node.value] };
      if (node.op === '!=') return { '!==': [v, node.value] };
      return { and: [present, { [node.op]: [v, node.value] }] } as Logic;
    case 'between':
      return { and: [present, { [node.inclusive ? '<=' : '<']: [node.low, v, node.high] }] } as Logic;
    case 'in':
      return { in: [v, node.values] } as Logic;
    case 'contains':
      return { [node.html ? 'html_contains' : 'contains']: [v, node.value] } as Logic;
    case 'starts_with':
    case 'in_region':
      return { [node.kind]: [v, node.value] } as Logic;
    case 'is_empty':
    case 'is_not_empty':
      return { [node.kind]: [v] };
    case 'date_range': {
      const { from, to } = typeof node.range === 'string' ? relativeDateBounds(node.range, now) : node.range;
      return { date_range: [v, from, to] };
    }
  }
}

let registered = false;

/**
 * Registers contains, starts_with, is_empty, is_not_empty and date_range with json-logic-js
 * (idempotent). Text matching folds ASCII case only, like SQLite's LIKE.
 */
export function registerFilterOperations(): void {
  if (registered) return;
  registered = true;
  jsonLogic.add_operation('contains', (value: unknown, needle: unknown) => {
    if (Array.isArray(value)) return value.includes(needle);
    return typeof value === 'string' && typeof needle === 'string' && foldAscii(value).includes(foldAscii(needle));
  });
  jsonLogic.add_operation('starts_with', (value: unknown, prefix: unknown) => {
    return typeof value === 'string' && typeof prefix === 'string' && foldAscii(value).startsWith(foldAscii(prefix));
  });
  jsonLogic.add_operation('html_contains', (value: unknown, needle: unknown) => {
    return typeof value === 'string' && typeof needle === 'string' && foldAscii(htmlText(value)).includes(foldAscii(needle));
  });
  jsonLogic.add_operation('in_region', (value: unknown, code: unknown) => {
    if (value === null || typeof value !== 'object' || typeof code !== 'string') return false;
    const a = value as { province?: unknown; city?: unknown; district?: unknown };
    const own = [a.district, a.city, a.province].find((c) => typeof c === 'string' && c !== '');
    return typeof own === 'string' && own.startsWith(regionPrefix(code));
  });
  jsonLogic.add_operation('is_empty', isEmpty);
  jsonLogic.add_operation('is_not_empty', (value: unknown) => !isEmpty(value));
  jsonLogic.add_operation('date_range', dateRange);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * date_range(value, from, to) with inclusive 'YYYY-MM-DD' bounds (null = open), or
 * date_range(value, "this_month" | {from, to}) against the current clock for direct use.
 */
function dateRange(value: unknown, from: unknown, to?: unknown): boolean {
  if (to === undefined) {
    if (isRelativeDateRange(from)) return dateRange(value, ...boundsAsArgs(relativeDateBounds(from, new Date())));
    if (from !== null && typeof from === 'object') {
      const spec = from as { from?: unknown; to?: unknown };
      return dateRange(value, spec.from ?? null, spec.to ?? null);
    }
    to = null;
  }
  const day = isIsoDate(value) ? value : canonicalDateTime(value)?.slice(0, 10);
  if (day === undefined) return false;
  return (typeof from !== 'string' || day >= from) && (typeof to !== 'string' || day <= to);
}

function boundsAsArgs(bounds: { from: string; to: string }): [string, string] {
  return [bounds.from, bounds.to];
}

function foldAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}
