import { fittingDateOrders } from '../coerce/dates';
import type { DateOrder } from '../coerce/result';
import type { MappingReport } from '../map/auto-map';
import { openTable, type TableInfo, type TableOptions } from '../read/table';
import { cellText, editDistance, matchKey } from '../text';
import type { Cell, OpenFile, RowError } from '../types';
import type { UnmatchedSink } from './assemble';
import type { RowOutcome } from './checks';
import { type ColumnPlan, compileImportOrThrow } from './compile';
import { ImportEngine, inFileKeys } from './engine';
import type { ImportLookups } from './lookups';
import type { ImportSettings } from './settings';

/** Distinct unmatched values kept per column, and rows kept per value (counts stay exact). */
export const UNMATCHED_VALUES_LIMIT = 1000;
export const UNMATCHED_ROWS_LIMIT = 100;

export interface UnmatchedValue {
  /** As the file first writes it. */
  value: string;
  /** How many cells hold it (all of them). */
  count: number;
  /** The first rows holding it (up to UNMATCHED_ROWS_LIMIT). */
  rows: number[];
  reason: 'not_found' | 'ambiguous';
  /** Ambiguous: what it could mean. */
  candidates: string[];
  /** Options whose label is closest (a misspelling), best first. */
  suggestions: string[];
}

/** The values of one column that matched nothing, for the value-mapping step. */
export interface UnmatchedColumn {
  column: number;
  header: string;
  target: string;
  kind: 'choice' | 'member' | 'department' | 'relation';
  values: UnmatchedValue[];
  /** More distinct values than UNMATCHED_VALUES_LIMIT were unmatched (the rest are counted in `otherCount`). */
  truncated: boolean;
  otherCount: number;
}

export interface PreviewRow {
  rowNumber: number;
  cells: string[];
  values: Record<string, unknown>;
  errors: RowError[];
  action: 'create' | 'update' | 'none';
}

export interface ScanResult {
  info: TableInfo;
  mapping: MappingReport;
  totalRows: number;
  validRows: number;
  errorRows: number;
  errorCount: number;
  /** Of the valid rows, with an upsert: how many update a record and how many create one. */
  creates: number;
  updates: number;
  preview: PreviewRow[];
  unmatched: UnmatchedColumn[];
  /** Date columns with day/month/year values: the orders under which every such value is a real date. */
  dateHints: { column: number; target: string; orders: DateOrder[]; ambiguousValues: number }[];
}

function suggestionsFor(plan: ColumnPlan, value: string): string[] {
  if (plan.kind !== 'choice') return [];
  const options = plan.target.field!.settings as { options: { value: string; label: string }[] };
  const key = matchKey(value);
  const max = Math.max(1, Math.floor(key.length / 3));
  return options.options
    .map((o) => ({ o, d: editDistance(key, matchKey(o.label), max) }))
    .filter((x) => x.d <= max || matchKey(x.o.label).includes(key) || key.includes(matchKey(x.o.label)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.o.value);
}

/** Collects unmatched values per column, bounded (see the limits above). */
class UnmatchedCollector implements UnmatchedSink {
  readonly columns = new Map<string, UnmatchedColumn & { index: Map<string, UnmatchedValue> }>();

  add(args: { plan: ColumnPlan; value: string; row: number; reason: 'not_found' | 'ambiguous'; candidates: string[] }): void {
    const { plan } = args;
    let col = this.columns.get(plan.target.path);
    if (!col) {
      col = {
        column: plan.column.index,
        header: plan.name,
        target: plan.target.path,
        kind: plan.kind as UnmatchedColumn['kind'],
        values: [],
        truncated: false,
        otherCount: 0,
        index: new Map(),
      };
      this.columns.set(plan.target.path, col);
    }
    const key = matchKey(args.value);
    let entry = col.index.get(key);
    if (!entry) {
      if (col.values.length >= UNMATCHED_VALUES_LIMIT) {
        col.truncated = true;
        col.otherCount++;
        return;
      }
      entry = {
        value: args.value,
        count: 0,
        rows: [],
        reason: args.reason,
        candidates: args.candidates.slice(0, 20),
        suggestions: suggestionsFor(plan, args.value),
      };
      col.index.set(key, entry);
      col.values.push(entry);
    }
    entry.count++;
    if (entry.rows.length < UNMATCHED_ROWS_LIMIT && entry.rows.at(-1) !== args.row) entry.rows.push(args.row);
  }

  result(): UnmatchedColumn[] {
    return [...this.columns.values()].map(({ index: _index, ...col }) => ({ ...col, values: [...col.values].sort((a, b) => b.count - a.count) }));
  }
}

const DAY_FIRST_OR_MONTH_FIRST = /^\s*\d{1,2}\s*([-/.])\s*\d{1,2}\s*\1\s*\d{4}/;

/** Narrows each date column's possible day/month orders by its values. */
class DateHints {
  private readonly hints = new Map<ColumnPlan, { orders: Set<DateOrder>; ambiguousValues: number }>();

  constructor(private readonly plans: ColumnPlan[]) {}

  see(cells: Cell[]): void {
    for (const plan of this.plans) {
      const cell = cells[plan.column.index];
      if (typeof cell !== 'string' || !DAY_FIRST_OR_MONTH_FIRST.test(cell)) continue;
      let hint = this.hints.get(plan);
      if (!hint) this.hints.set(plan, (hint = { orders: new Set(['MDY', 'DMY']), ambiguousValues: 0 }));
      const fits = fittingDateOrders(cell);
      for (const order of [...hint.orders]) if (!fits.includes(order)) hint.orders.delete(order);
      if (fits.includes('MDY') && fits.includes('DMY')) hint.ambiguousValues++;
    }
  }

  result(): ScanResult['dateHints'] {
    return [...this.hints].map(([plan, h]) => ({
      column: plan.column.index,
      target: plan.target.path,
      orders: [...h.orders],
      ambiguousValues: h.ambiguousValues,
    }));
  }
}

function tally(result: ScanResult, outcome: RowOutcome): void {
  result.totalRows++;
  if (outcome.errors.length) {
    result.errorRows++;
    result.errorCount += outcome.errors.length;
  } else {
    result.validRows++;
    if (outcome.existing) result.updates++;
    else result.creates++;
  }
}

/**
 * Reads the whole file once (twice when a relation may point at rows of the same file) and
 * reports what an import would do, before it does anything: the preview of the first rows,
 * every row error (streamed to `onErrors`, without a cap), the values that matched nothing
 * per column (for the value-mapping step), and hints for ambiguous dates.
 */
export async function scanImport(args: {
  open: OpenFile;
  table?: TableOptions;
  settings: ImportSettings;
  lookups: ImportLookups;
  previewRows?: number;
  onErrors?: (errors: RowError[]) => void | Promise<void>;
  onProgress?: (progress: { rows: number }) => void | Promise<void>;
}): Promise<ScanResult> {
  const reader = await openTable({ file: args.open(), options: { chunkSize: args.settings.chunkSize ?? 500, ...args.table } });
  try {
    const compiled = compileImportOrThrow({ settings: args.settings, columns: reader.info.columns, phase: 'scan' });
    const inFile = await inFileKeys({ open: args.open, table: args.table, compiled });
    const unmatched = new UnmatchedCollector();
    const engine = new ImportEngine({ compiled, lookups: args.lookups, inFile, unmatched });
    const dates = new DateHints(compiled.columns.filter((p) => p.kind === 'scalar' && ['date', 'datetime'].includes(p.target.field!.type)));
    const mapping = compiled.report;
    const result: ScanResult = {
      info: reader.info,
      mapping,
      totalRows: 0,
      validRows: 0,
      errorRows: 0,
      errorCount: 0,
      creates: 0,
      updates: 0,
      preview: [],
      unmatched: [],
      dateHints: [],
    };
    const previewRows = args.previewRows ?? 20;
    for await (const chunk of reader.chunks()) {
      const outcomes = await engine.process(chunk);
      chunk.forEach((row, i) => {
        const outcome = outcomes[i]!;
        dates.see(row.cells);
        tally(result, outcome);
        if (result.preview.length < previewRows) {
          const action = outcome.errors.length ? 'none' : outcome.existing ? 'update' : 'create';
          result.preview.push({ rowNumber: row.rowNumber, cells: row.cells.map(cellText), values: outcome.values, errors: outcome.errors, action });
        }
      });
      const errors = outcomes.flatMap((o) => o.errors);
      if (errors.length) await args.onErrors?.(errors);
      await args.onProgress?.({ rows: result.totalRows });
    }
    result.unmatched = unmatched.result();
    result.dateHints = dates.result();
    return result;
  } finally {
    await reader.close();
  }
}
