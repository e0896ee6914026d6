import { type Coerced, type CoerceOptions, FORMULA_TRIGGERS } from '../coerce/result';
import { textOf } from '../coerce/scalars';
import { MAX_TOKENS, splitValues, valueRuns } from '../coerce/tokens';
import { isBlank, matchKey } from '../text';
import type { Cell, RowErrorCode, SourceRow } from '../types';
import type { ColumnPlan, CompiledImport } from './compile';
import type { Resolver } from './lookups';

/** A cell after conversion, before lookups: a value, a problem, or names to look up. */
export type Parsed =
  | { t: 'empty' }
  | { t: 'value'; value: unknown }
  | { t: 'error'; code: RowErrorCode; params?: Record<string, string> }
  /** Names to look up; `whole`: a multiple relation's cell, split once the lookups say which runs name a record. */
  | { t: 'tokens'; tokens: string[]; whole?: string };

/** A row of a chunk, parsed: one entry per top-level column plan; per subform, per child, per line. */
export interface ParsedRow {
  row: SourceRow;
  top: Parsed[];
  subforms: ReadonlyMap<string, Parsed[][]>;
}

const EMPTY: Parsed = { t: 'empty' };
/** A value cell in the shape of a coerce success (`ok`): every value cell one hidden class where rows read `t` and `value`. */
const valueCell = (value: unknown): Parsed => ({ ok: true, t: 'value', value }) as Parsed;
/** Neighbouring pieces a record title may span ("Phone, Pro"): up to 3. */
export const RELATION_RUN = 3;

function keyCell(plan: ColumnPlan, cell: Cell): Parsed {
  const text = textOf(cell);
  if (text === '') return EMPTY;
  if (plan.target.path !== 'id') return valueCell(text);
  const id = /^#?\d{1,15}$/.test(text) ? Number(text.replace('#', '')) : NaN;
  return Number.isSafeInteger(id) && id > 0
    ? valueCell(id)
    : { t: 'error', code: 'invalid_value', params: { detail: `"${text}" is not a record id`, detailZh: `“${text}”不是记录 ID` } };
}

/** Per choice column, the option each text as written names (a file repeats a few labels): matchKey once per distinct text. */
const optionsAsWritten = new WeakMap<ColumnPlan, Map<string, string | undefined>>();
const AS_WRITTEN_MAX = 10_000;

function optionAsWritten(plan: ColumnPlan, text: string): string | undefined {
  let seen = optionsAsWritten.get(plan);
  if (!seen) optionsAsWritten.set(plan, (seen = new Map()));
  if (seen.has(text)) return seen.get(text);
  const option = plan.options!.get(matchKey(text));
  if (seen.size < AS_WRITTEN_MAX) seen.set(text, option);
  return option;
}

/** Converts one cell by its column's plan (lookups come later). */
export function parseCell(plan: ColumnPlan, cell: Cell, opts: CoerceOptions): Parsed {
  if (isBlank(cell)) return EMPTY;
  switch (plan.kind) {
    case 'key':
      return keyCell(plan, cell);
    case 'scalar': {
      const rule = plan.target.rule as { coerce: (c: Cell, s: unknown, o: CoerceOptions) => Coerced };
      const out = rule.coerce(cell, plan.target.field!.settings, opts);
      if (!out.ok) return { t: 'error', code: out.code, params: out.params };
      // A success is a parsed value already (Coerced): no second object per cell.
      return out.value === null || out.value === undefined ? EMPTY : out;
    }
    default: {
      const text = textOf(cell);
      if (!plan.multiple) {
        // A single choice named as written (no value mapping): the option now; anything else is looked up as a token.
        if (plan.kind === 'choice' && plan.valueMap.size === 0) {
          const option = optionAsWritten(plan, text);
          if (option !== undefined) return valueCell(option);
        }
        return { t: 'tokens', tokens: [text] };
      }
      const known = plan.kind === 'choice' ? (t: string) => plan.options!.has(matchKey(t)) || plan.valueMap.has(matchKey(t)) : undefined;
      const tokens = splitValues(text, known);
      if (tokens.length > MAX_TOKENS) return { t: 'error', code: 'too_many_values', params: { max: String(MAX_TOKENS) } };
      return plan.kind === 'relation' && tokens.length > 1 ? { t: 'tokens', tokens: valueRuns(text, RELATION_RUN), whole: text } : { t: 'tokens', tokens };
    }
  }
}

/**
 * The lines of a subform child's cell, one per subform row (an export writes each row's value
 * on its own line); typed cells (numbers, dates) are one line.
 */
export function subformLines(cell: Cell): Cell[] {
  if (cell === null) return [];
  if (typeof cell !== 'string') return [cell];
  const start = cell.trimStart();
  // The apostrophe an export put before formula-like text (see cellString).
  const text = start[0] === "'" && FORMULA_TRIGGERS.includes(start[1] ?? '') ? start.slice(1) : cell;
  const lines = text.split(/\r\n|\r|\n/);
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.map((l) => (l.trim() === '' ? null : l));
}

/** Queues the names a parsed cell needs looked up. */
function want(plan: ColumnPlan, parsed: Parsed, resolver: Resolver): void {
  if (parsed.t !== 'tokens' || !plan.scope) return;
  for (const token of parsed.tokens) if (plan.valueMap.size === 0 || !plan.valueMap.has(matchKey(token))) resolver.want(plan.scope, token);
}

/** The subforms of a row when the import maps none (one shared, never written to). */
const NO_SUBFORMS: ReadonlyMap<string, Parsed[][]> = new Map();

/** Parses a chunk's rows and queues every lookup they need (upsert keys and unique values too). */
export function parseChunk(args: { compiled: CompiledImport; rows: SourceRow[]; resolver: Resolver; checkStored: boolean }): ParsedRow[] {
  const { compiled, rows, resolver } = args;
  const entityId = compiled.settings.entityId;
  return rows.map((row) => {
    const top = compiled.columns.map((plan) => {
      const parsed = parseCell(plan, row.cells[plan.column.index] ?? null, compiled.coerce);
      want(plan, parsed, resolver);
      if (parsed.t === 'value' && compiled.upsert?.plan === plan)
        resolver.want({ kind: 'record', entityId, field: compiled.upsert.field }, parsed.value as string | number);
      else if (parsed.t === 'value' && plan.unique && args.checkStored)
        resolver.want({ kind: 'record', entityId, field: plan.target.path }, parsed.value as string | number);
      return parsed;
    });
    if (compiled.subforms.size === 0) return { row, top, subforms: NO_SUBFORMS };
    const subforms = new Map<string, Parsed[][]>();
    for (const [key, plans] of compiled.subforms) {
      subforms.set(
        key,
        plans.map((plan) =>
          subformLines(row.cells[plan.column.index] ?? null).map((line) => {
            const parsed = parseCell(plan, line, compiled.coerce);
            want(plan, parsed, resolver);
            return parsed;
          }),
        ),
      );
    }
    return { row, top, subforms };
  });
}
