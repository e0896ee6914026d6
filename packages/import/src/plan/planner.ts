import { ImportError, ImportErrorCode } from '../errors';
import { openTable, type TableOptions } from '../read/table';
import type { OpenFile, RowError } from '../types';
import { columnError } from './assemble';
import type { RowOutcome } from './checks';
import { type ColumnPlan, type CompiledImport, compileImportOrThrow } from './compile';
import { ImportEngine, inFileKeys } from './engine';
import { RowSet } from './key-index';
import { type ImportLookups, Resolver } from './lookups';
import { parseCell, type Parsed, RELATION_RUN } from './parse';
import { splitValues } from '../coerce/tokens';
import type { ImportSettings } from './settings';
import { matchKey } from '../text';

/** A record to create: its body by field key (the records API's JSON), and the row it came from. */
export interface CreateRow {
  rowNumber: number;
  values: Record<string, unknown>;
  ownerId?: string;
  /** Its relations to rows of this file come in a later `links` batch: keep the new id of this row. */
  linksLater: boolean;
}

/** A record to update (upsert): partial body, the `version` read when it was matched. */
export interface UpdateRow extends CreateRow {
  id: number;
  version?: number;
}

/** Relations to rows of this file, set once all rows are written: update the record written from `rowNumber` (created or updated). */
export interface LinkRow {
  rowNumber: number;
  values: Record<string, number | number[]>;
}

export interface PlanBatch {
  phase: 'check' | 'write' | 'links';
  creates: CreateRow[];
  updates: UpdateRow[];
  links: LinkRow[];
  /** Errors of the rows of this chunk, in row order. */
  errors: RowError[];
  /** Data rows read so far in this phase. */
  rowsRead: number;
}

export interface PlanSummary {
  rows: number;
  creates: number;
  updates: number;
  links: number;
  errorRows: number;
  /** All-or-nothing found errors: nothing was planned for writing. */
  aborted: boolean;
}

/** Everything planImport needs. */
export interface PlanArgs {
  open: OpenFile;
  table?: TableOptions;
  settings: ImportSettings;
  lookups: ImportLookups;
}

function requireMappedOrThrow(compiled: CompiledImport): void {
  const missing = compiled.report.missingRequired;
  if (compiled.upsert || missing.length === 0) return;
  const names = missing.map((m) => m.label).join(', ');
  throw new ImportError({
    code: ImportErrorCode.INVALID_MAPPING,
    message: { en: `Required fields have no column: ${names}.`, 'zh-CN': `以下必填字段没有对应的列：${names}。` },
    issues: missing.map((m) => ({ path: `/fields/${m.path}`, code: 'required', message: `${m.label} is required but no column is mapped to it` })),
  });
}

function toWrite(o: RowOutcome, deferred: RowSet): { create?: CreateRow; update?: UpdateRow } {
  const base: CreateRow = { rowNumber: o.rowNumber, values: o.values, linksLater: o.deferred, ...(o.ownerId !== undefined ? { ownerId: o.ownerId } : {}) };
  if (o.deferred) deferred.add(o.rowNumber);
  if (!o.existing) return { create: base };
  return { update: { ...base, id: o.existing.id, ...(o.existing.version !== undefined ? { version: o.existing.version } : {}) } };
}

/**
 * The plan of an import as batches of record bodies for the records API's bulk path, in row
 * order, with the row numbers so the API reports per-row results and progress:
 *  1. all-or-nothing first checks every row (phase 'check', errors only) and stops there if any fails;
 *  2. phase 'write': per chunk, the rows to create and (upsert) to update, and the chunk's errors;
 *  3. phase 'links': relations that point at rows of the same file, once every row is written
 *     (the lookups then find the new records), as updates of the rows that hold them.
 * Read the batches one at a time, writing each before asking for the next: phase 3 relies on it.
 */
export class ImportPlan {
  readonly summary: PlanSummary = { rows: 0, creates: 0, updates: 0, links: 0, errorRows: 0, aborted: false };

  constructor(private readonly args: PlanArgs) {}

  async *batches(): AsyncGenerator<PlanBatch> {
    const reader = await openTable({ file: this.args.open(), options: this.tableOptions() });
    const compiled = compileImportOrThrow({ settings: this.args.settings, columns: reader.info.columns, phase: 'plan' });
    await reader.close();
    requireMappedOrThrow(compiled);
    const inFile = await inFileKeys({ open: this.args.open, table: this.args.table, compiled });
    if (this.args.settings.write === 'all-or-nothing') {
      let failed = 0;
      for await (const batch of this.pass(compiled, inFile, 'check')) {
        failed += new Set(batch.errors.map((e) => e.row)).size;
        yield batch;
      }
      if (failed > 0) {
        this.summary.aborted = true;
        this.summary.errorRows = failed;
        return;
      }
    }
    const deferred = new RowSet();
    let anyDeferred = false;
    for await (const batch of this.pass(compiled, inFile, 'write', deferred)) {
      anyDeferred ||= batch.creates.some((c) => c.linksLater) || batch.updates.some((u) => u.linksLater);
      yield batch;
    }
    if (anyDeferred) yield* this.linkPass(compiled, deferred);
  }

  private tableOptions(): TableOptions {
    return { chunkSize: this.args.settings.chunkSize ?? 500, ...this.args.table };
  }

  private async *pass(
    compiled: CompiledImport,
    inFile: Awaited<ReturnType<typeof inFileKeys>>,
    phase: 'check' | 'write',
    deferred?: RowSet,
  ): AsyncGenerator<PlanBatch> {
    const engine = new ImportEngine({ compiled, lookups: this.args.lookups, inFile });
    const reader = await openTable({ file: this.args.open(), options: this.tableOptions() });
    let rowsRead = 0;
    try {
      for await (const chunk of reader.chunks()) {
        rowsRead += chunk.length;
        const batch: PlanBatch = { phase, creates: [], updates: [], links: [], errors: [], rowsRead };
        for (const outcome of await engine.process(chunk)) {
          if (outcome.errors.length) batch.errors.push(...outcome.errors);
          if (phase === 'check') continue;
          if (outcome.errors.length) this.summary.errorRows++;
          else {
            const { create, update } = toWrite(outcome, deferred!);
            if (create) batch.creates.push(create);
            if (update) batch.updates.push(update);
          }
        }
        if (phase === 'write') {
          this.summary.rows = rowsRead;
          this.summary.creates += batch.creates.length;
          this.summary.updates += batch.updates.length;
        }
        yield batch;
      }
    } finally {
      await reader.close();
    }
  }

  /** Re-reads the rows marked in `deferred` and resolves their same-file relations, now that those rows exist. */
  private async *linkPass(compiled: CompiledImport, deferred: RowSet): AsyncGenerator<PlanBatch> {
    const plans = compiled.columns.filter((p) => p.selfRelation);
    const resolver = new Resolver(this.args.lookups);
    const reader = await openTable({ file: this.args.open(), options: this.tableOptions() });
    let rowsRead = 0;
    try {
      for await (const chunk of reader.chunks()) {
        rowsRead += chunk.length;
        const rows = chunk.filter((r) => deferred.has(r.rowNumber));
        resolver.beginChunk();
        const parsed = rows.map((row) => plans.map((plan) => parseCell(plan, row.cells[plan.column.index] ?? null, compiled.coerce)));
        parsed.forEach((cells) => cells.forEach((p, i) => p.t === 'tokens' && p.tokens.forEach((t) => resolver.want(plans[i]!.scope!, t))));
        await resolver.flush();
        const batch: PlanBatch = { phase: 'links', creates: [], updates: [], links: [], errors: [], rowsRead };
        rows.forEach((row, r) => {
          const link = linkRow({ plans, parsed: parsed[r]!, resolver, rowNumber: row.rowNumber, errors: batch.errors });
          if (link) batch.links.push(link);
        });
        this.summary.links += batch.links.length;
        if (batch.links.length || batch.errors.length) yield batch;
      }
    } finally {
      await reader.close();
    }
  }
}

function linkRow(args: { plans: ColumnPlan[]; parsed: Parsed[]; resolver: Resolver; rowNumber: number; errors: RowError[] }): LinkRow | null {
  const values: Record<string, number | number[]> = {};
  args.plans.forEach((plan, i) => {
    const p = args.parsed[i]!;
    if (p.t !== 'tokens') return;
    const ids: number[] = [];
    const known = (t: string): boolean => plan.valueMap.has(matchKey(t)) || args.resolver.get(plan.scope!, t).ids.length === 1;
    const tokens = p.whole !== undefined ? splitValues(p.whole, known, RELATION_RUN) : p.tokens;
    for (const token of tokens) {
      const mapped = plan.valueMap.get(matchKey(token));
      if (mapped?.action === 'map') ids.push(mapped.to as number);
      if (mapped) continue;
      const found = args.resolver.get(plan.scope!, token);
      if (found.ids.length === 1) ids.push(found.ids[0] as number);
      else if (found.ids.length > 1)
        args.errors.push(
          columnError({ plan, row: args.rowNumber, code: 'ambiguous_record', cell: token, params: { candidates: found.labels.slice(0, 5).join(', ') } }),
        );
      else args.errors.push(columnError({ plan, row: args.rowNumber, code: 'link_target_missing', cell: token }));
    }
    if (ids.length) values[plan.target.path] = plan.multiple ? [...new Set(ids)] : ids[0]!;
  });
  return Object.keys(values).length ? { rowNumber: args.rowNumber, values } : null;
}

/** Plans an import; see ImportPlan. */
export function planImport(args: PlanArgs): ImportPlan {
  return new ImportPlan(args);
}
