import { rowMessage } from '../messages';
import { splitValues } from '../coerce/tokens';
import { cellText, matchKey } from '../text';
import type { Cell, RowError, RowErrorCode } from '../types';
import type { ColumnPlan, CompiledImport } from './compile';
import type { KeyIndex } from './key-index';
import { type Resolver, valueKey } from './lookups';
import { type Parsed, type ParsedRow, RELATION_RUN } from './parse';

/** Where unmatched values are counted (the scan's summary). */
export interface UnmatchedSink {
  add(args: { plan: ColumnPlan; value: string; row: number; reason: 'not_found' | 'ambiguous'; candidates: string[] }): void;
}

/** What a chunk's rows are converted with. */
export interface AssembleContext {
  compiled: CompiledImport;
  resolver: Resolver;
  /** Values of the in-file key column (rows other rows may point at), when a relation targets this entity. */
  inFile?: KeyIndex;
  unmatched?: UnmatchedSink;
}

/** A row turned into a record body: its values by field key, or its errors. */
export interface RowDraft {
  rowNumber: number;
  values: Record<string, unknown>;
  ownerId?: string;
  errors: RowError[];
  /** Left out on purpose by a value mapping (reported as an error row). */
  skipped: boolean;
  /** Points at rows of this file: those links are written once every row is in. */
  deferred: boolean;
  /** The upsert key's value, when mapped and filled. */
  key?: string | number;
}

/** A row error for a column (line: the subform row, from 1). */
export function columnError(args: {
  plan: ColumnPlan | null;
  row: number;
  code: RowErrorCode;
  params?: Record<string, string>;
  cell: Cell | string;
  line?: number;
}): RowError {
  const { plan, row, code, line } = args;
  const value = typeof args.cell === 'string' ? args.cell : cellText(args.cell);
  const field = plan ? (line ? `${plan.name} #${line}` : plan.name) : '';
  return {
    row,
    column: plan?.name ?? '',
    columnIndex: plan?.column.index ?? null,
    field: plan?.target.path ?? null,
    code,
    message: rowMessage(code, { field, value, ...args.params }),
    value: value === '' ? null : value,
  };
}

const UNMATCHED: Record<string, RowErrorCode> = {
  choice: 'unmatched_option',
  member: 'unmatched_member',
  department: 'unmatched_department',
  relation: 'unmatched_record',
};
const AMBIGUOUS: Record<string, RowErrorCode> = { member: 'ambiguous_member', department: 'ambiguous_department', relation: 'ambiguous_record' };

interface Resolved {
  values: unknown[];
  errors: RowError[];
  skipped: boolean;
  deferred: boolean;
}

/** The ids (or option values) a cell's names stand for, after the user's value mappings. */
function resolveTokens(ctx: AssembleContext, plan: ColumnPlan, parsed: Extract<Parsed, { t: 'tokens' }>, row: number, line?: number): Resolved {
  const out: Resolved = { values: [], errors: [], skipped: false, deferred: false };
  const known = (t: string): boolean => plan.valueMap.has(matchKey(t)) || ctx.resolver.get(plan.scope!, t).ids.length === 1;
  const tokens = parsed.whole !== undefined ? splitValues(parsed.whole, known, RELATION_RUN) : parsed.tokens;
  for (const token of tokens) {
    const key = matchKey(token);
    const mapped = plan.valueMap.size ? plan.valueMap.get(key) : undefined;
    if (mapped?.action === 'skip') {
      out.skipped = true;
      out.errors.push(columnError({ plan, row, code: 'skipped_by_mapping', cell: token, line }));
      continue;
    }
    if (mapped?.action === 'empty') continue;
    if (mapped?.action === 'map') {
      out.values.push(mapped.to);
      continue;
    }
    if (plan.kind === 'choice') {
      const value = plan.options!.get(key);
      if (value !== undefined) out.values.push(value);
      else {
        ctx.unmatched?.add({ plan, value: token, row, reason: 'not_found', candidates: [] });
        out.errors.push(columnError({ plan, row, code: 'unmatched_option', cell: token, line }));
      }
      continue;
    }
    const found = ctx.resolver.get(plan.scope!, token);
    if (found.ids.length === 1) out.values.push(found.ids[0]);
    else if (found.ids.length > 1) {
      ctx.unmatched?.add({ plan, value: token, row, reason: 'ambiguous', candidates: found.labels });
      out.errors.push(columnError({ plan, row, code: AMBIGUOUS[plan.kind]!, cell: token, line, params: { candidates: found.labels.slice(0, 5).join(', ') } }));
    } else if (plan.selfRelation && ctx.inFile?.has(valueKey(token))) out.deferred = true;
    else {
      ctx.unmatched?.add({ plan, value: token, row, reason: 'not_found', candidates: [] });
      out.errors.push(columnError({ plan, row, code: UNMATCHED[plan.kind]!, cell: token, line }));
    }
  }
  out.values = [...new Set(out.values)];
  return out;
}

/** The value a parsed cell gives its field (undefined: nothing to write), recording its problems in `draft`. */
export function cellValue(args: { ctx: AssembleContext; plan: ColumnPlan; parsed: Parsed; draft: RowDraft; cell: Cell; line?: number }): unknown {
  const { ctx, plan, parsed, draft, line } = args;
  if (parsed.t === 'empty') return null;
  if (parsed.t === 'value') return parsed.value;
  if (parsed.t === 'error') {
    draft.errors.push(columnError({ plan, row: draft.rowNumber, code: parsed.code, params: parsed.params, cell: args.cell, line }));
    return undefined;
  }
  // A choice named as written (no value mapping): the option itself, without the general path's lists.
  if (plan.kind === 'choice' && parsed.whole === undefined && parsed.tokens.length === 1 && plan.valueMap.size === 0) {
    const option = plan.options!.get(matchKey(parsed.tokens[0]!));
    if (option !== undefined) return plan.multiple ? [option] : option;
  }
  const resolved = resolveTokens(ctx, plan, parsed, draft.rowNumber, line);
  draft.errors.push(...resolved.errors);
  draft.skipped ||= resolved.skipped;
  draft.deferred ||= resolved.deferred;
  if (resolved.errors.length) return undefined;
  if (resolved.deferred && resolved.values.length === 0) return undefined;
  return plan.multiple ? resolved.values : (resolved.values[0] ?? null);
}

/** Subform rows from the child columns' lines; rows with no value at all are left out. */
function subformValue(ctx: AssembleContext, key: string, lines: Parsed[][], row: ParsedRow, draft: RowDraft): unknown[] | undefined {
  const plans = ctx.compiled.subforms.get(key)!;
  const count = Math.max(0, ...lines.map((l) => l.length));
  const rows: Record<string, unknown>[] = [];
  const errorsBefore = draft.errors.length;
  for (let i = 0; i < count; i++) {
    const child: Record<string, unknown> = {};
    let filled = false;
    plans.forEach((plan, p) => {
      const parsed = lines[p]![i] ?? ({ t: 'empty' } as Parsed);
      const cellLines = (row.row.cells[plan.column.index] ?? null) as Cell;
      const value = cellValue({ ctx, plan, parsed, draft, cell: parsed.t === 'tokens' ? parsed.tokens.join(', ') : lineText(cellLines, i), line: i + 1 });
      // Empty children are left out, as empty fields are; a required one stays null so the schema reports it.
      if (value !== undefined && (value !== null || plan.target.field!.required)) child[plan.target.field!.key] = value;
      filled ||= value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0);
    });
    if (filled) rows.push(child);
  }
  return draft.errors.length > errorsBefore ? undefined : rows;
}

function lineText(cell: Cell, line: number): string {
  if (typeof cell !== 'string') return line === 0 ? cellText(cell) : '';
  return cell.split(/\r\n|\r|\n/)[line] ?? '';
}

/**
 * Per compiled import, a function building a row's values in one object literal (every field in
 * one shape, no property added one by one) from the top-level cells' values by column, used when
 * every column that writes a field has a value: the same keys in the same order as added one by one.
 */
const literalBuilders = new WeakMap<CompiledImport, ((values: unknown[]) => Record<string, unknown>) | null>();

function literalOf(compiled: CompiledImport): ((values: unknown[]) => Record<string, unknown>) | null {
  let build = literalBuilders.get(compiled);
  if (build !== undefined) return build;
  const entries: string[] = [];
  const keys = new Set<string>();
  compiled.columns.forEach((plan, i) => {
    if (plan.kind === 'key' || plan.target.path === 'ownerId') return;
    keys.add(plan.target.path);
    // Keys are written as JSON string literals: no field key can change the code.
    entries.push(`${JSON.stringify(plan.target.path)}: v[${i}]`);
  });
  // Two columns on one path (or a key that is not a plain property name) keep the general path.
  const plain = keys.size === entries.length && [...keys].every((k) => k !== '__proto__');
  build = plain ? (new Function('v', `return {${entries.join(',')}};`) as (values: unknown[]) => Record<string, unknown>) : null;
  literalBuilders.set(compiled, build);
  return build;
}

/** The top-level cells' values of the row being drafted (draftRow is synchronous: one array serves every row). */
let rowValues: unknown[] = [];

/** Converts one parsed row into a draft body (lookups already resolved). */
export function draftRow(ctx: AssembleContext, parsed: ParsedRow): RowDraft {
  const draft: RowDraft = { rowNumber: parsed.row.rowNumber, values: {}, errors: [], skipped: false, deferred: false };
  const { columns, upsert } = ctx.compiled;
  const values = rowValues.length >= columns.length ? rowValues : (rowValues = new Array(columns.length));
  let complete = true;
  for (let i = 0; i < columns.length; i++) {
    const plan = columns[i]!;
    const p = parsed.top[i]!;
    // Most cells are a value or empty: no error to word, nothing to resolve.
    const value =
      p.t === 'value' ? p.value : p.t === 'empty' ? null : cellValue({ ctx, plan, parsed: p, draft, cell: parsed.row.cells[plan.column.index] ?? null });
    values[i] = value;
    if (upsert?.plan === plan && value !== null && value !== undefined) draft.key = value as string | number;
    if (plan.kind === 'key') continue;
    if (plan.target.path === 'ownerId') {
      if (value !== null && value !== undefined) draft.ownerId = value as string;
    } else if (value === undefined) complete = false;
  }
  const literal = complete ? literalOf(ctx.compiled) : null;
  if (literal) draft.values = literal(values);
  else {
    for (let i = 0; i < columns.length; i++) {
      const plan = columns[i]!;
      if (values[i] === undefined || plan.kind === 'key' || plan.target.path === 'ownerId') continue;
      draft.values[plan.target.path] = values[i];
    }
  }
  values.fill(undefined, 0, columns.length);
  for (const [key, lines] of parsed.subforms) {
    const rows = subformValue(ctx, key, lines, parsed, draft);
    if (rows !== undefined) draft.values[key] = rows;
  }
  return draft;
}
