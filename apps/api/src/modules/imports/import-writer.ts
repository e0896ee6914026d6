import type { CreateRow, LinkRow, RowError, UpdateRow } from '@crm/import';
import type { Issue } from '@crm/schema';
import { AppError } from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import type { EntityAccess } from '../access/access.service';
import type { CompiledEntity } from '../entities/entity-runtime.service';
import type { RecordsQueryService } from '../records/records-query.service';
import { newBatch, type TxBatch, type WriteParticipant } from '../records/write-batch';
import type { RecordWritePipeline } from '../records/write-pipeline';
import type { ImportPatch, ImportsRepository } from './imports.repository';
import type { ImportJournalRepository } from './import-journal.repository';
import { journalSeq, preImageOf } from './import-journal';

/** The key under which an import's write carries the progress to commit with its rows. */
export const IMPORT_PROGRESS = Symbol('import-progress');

interface ProgressNote {
  importId: string;
  /** The progress to commit with this write (computed when it is written), or null (a retry of part of a batch). */
  patch: (() => ImportPatch) | null;
  /** All or nothing: the rows written, aligned with the write's records, journalled for the undo. */
  journal?: { rows: number[]; link: boolean };
  /**
   * The batch before, still being written beside this one: its rows are written meanwhile, but the
   * progress waits for it (and is computed only then), so progress commits in row order and a
   * failure of the batch before rolls this one back.
   */
  after?: Promise<unknown>;
}

/**
 * Moves an import's progress (`rows_done`, counts) inside the transaction that writes its rows,
 * so a job run again after a crash knows exactly which rows are in and writes none twice.
 */
export class ImportProgressParticipant implements WriteParticipant {
  readonly name = 'imports';

  constructor(
    private readonly repo: ImportsRepository,
    private readonly journal: ImportJournalRepository,
  ) {}

  async persist(w: TxBatch): Promise<void> {
    const note = w.scratch.get(IMPORT_PROGRESS) as ProgressNote | undefined;
    if (!note) return;
    if (note.after)
      await note.after.then(
        () => undefined,
        (err: unknown) => {
          throw new Error(`the batch before this one was not written: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
    const patch = typeof note.patch === 'function' ? note.patch() : note.patch;
    if (patch) await this.repo.update(w.tx, note.importId, patch);
    const j = note.journal;
    if (j) {
      const rows = w.records.map((r, i) => ({
        seq: journalSeq(j.rows[i]!, j.link),
        recordId: r.id!,
        preImage: w.kind === 'update' ? preImageOf(w.c, r) : null,
      }));
      await this.journal.append(w.tx, note.importId, rows);
    }
  }
}

const RECORD_PATH = /^\/records\/(\d+)(\/.*)?$/;

/** A pipeline refusal of one row as the import's row error (the pipeline words it in the member's language). */
function rowError(row: number, issue: { path: string; code: string; message: string } | null, fallback: string): RowError {
  const sub = issue ? issue.path.replace(RECORD_PATH, '$2') : '';
  const field = sub.split('/')[1] || null;
  const text = issue ? (field ? `${field}: ${issue.message}` : issue.message) : fallback;
  return { row, column: '', columnIndex: null, field, code: 'invalid_value', message: { en: text, 'zh-CN': text }, value: null };
}

export interface WriteTarget {
  ctx: RequestContext;
  c: CompiledEntity;
  acc: EntityAccess<CompiledEntity>;
  importId: string;
  /** All or nothing: journal every write for the undo, and stop at the first row the pipeline refuses. */
  undoable: boolean;
}

/**
 * Writes an import's planned batches through the one record pipeline: creates as one bulk write
 * per batch (rows the pipeline refuses are taken out, reported and the rest written again),
 * updates and in-file links one record each (the pipeline's update path). Never around it.
 */
export class ImportWriter {
  constructor(
    private readonly pipeline: RecordWritePipeline,
    private readonly reads: RecordsQueryService,
  ) {}

  /**
   * Creates the rows; `progress` commits with the last successful write (or is returned when
   * nothing was written). `after`: the batch written before, still in flight (see ProgressNote).
   */
  async creates(
    t: WriteTarget,
    rows: CreateRow[],
    progress: (created: number) => ImportPatch,
    after?: Promise<unknown>,
  ): Promise<{ ids: Map<number, number>; errors: RowError[]; committed: boolean }> {
    const errors: RowError[] = [];
    const ids = new Map<number, number>();
    let pending = rows;
    let oneByOne = false;
    while (pending.length) {
      const batch = oneByOne ? pending.slice(0, 1) : pending;
      const last = batch.length === pending.length;
      try {
        const created = ids.size + batch.length;
        const written = await this.bulk(t, batch, last ? () => progress(created) : null, last ? after : undefined);
        batch.forEach((r, i) => ids.set(r.rowNumber, written[i]!));
        pending = pending.slice(batch.length);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'VALIDATION_FAILED') {
          const bad = this.refusedRows(batch, err.extra.errors ?? [], errors, err.message);
          pending = pending.filter((r) => !bad.has(r.rowNumber));
        } else if ((err.code === 'UNIQUE_VIOLATION' || err.code === 'VERSION_CONFLICT') && !oneByOne) {
          oneByOne = true; // a value taken meanwhile: find the row by writing them one at a time
        } else if (['UNIQUE_VIOLATION', 'FIELD_NOT_WRITABLE', 'VERSION_CONFLICT'].includes(err.code)) {
          errors.push(rowError(batch[0]!.rowNumber, null, err.message));
          pending = pending.slice(1);
        } else throw err;
        if (t.undoable && errors.length) break; // nothing more is written: the import is undone
      }
    }
    return { ids, errors, committed: ids.size > 0 };
  }

  private async bulk(t: WriteTarget, rows: CreateRow[], patch: (() => ImportPatch) | null, after?: Promise<unknown>): Promise<number[]> {
    const w = newBatch({
      kind: 'create',
      source: 'import',
      ctx: t.ctx,
      c: t.c,
      acc: t.acc,
      owned: true,
      // The plan's creates are rows its checker passed through this entity version's record schema: normalise skips that pass.
      valuesChecked: 'import-schema',
      records: rows.map((r, i) => ({ prefix: `/records/${i}`, input: r.ownerId !== undefined ? { ...r.values, ownerId: r.ownerId } : r.values, values: {} })),
    });
    const journalled = t.undoable ? { rows: rows.map((r) => r.rowNumber), link: false } : undefined;
    if (patch || journalled) w.scratch.set(IMPORT_PROGRESS, { importId: t.importId, patch, journal: journalled, after } satisfies ProgressNote);
    await this.pipeline.run(w);
    return w.records.map((r) => r.id!);
  }

  /** The rows named by the issues' paths become row errors (all of them when no path names a row). */
  private refusedRows(batch: CreateRow[], issues: Issue[], out: RowError[], message: string): Set<number> {
    const bad = new Map<number, Issue[]>();
    for (const issue of issues) {
      const m = RECORD_PATH.exec(issue.path);
      const row = m ? batch[Number(m[1])] : undefined;
      if (!row) continue;
      bad.set(row.rowNumber, [...(bad.get(row.rowNumber) ?? []), issue]);
    }
    if (bad.size === 0) for (const r of batch) bad.set(r.rowNumber, []);
    for (const [row, list] of [...bad].sort((a, b) => a[0] - b[0])) {
      if (list.length === 0) out.push(rowError(row, null, message));
      for (const issue of list) out.push(rowError(row, issue, message));
    }
    return new Set(bad.keys());
  }

  /** Upsert updates, one pipeline update each (with the version read when the row was matched). */
  async updates(t: WriteTarget, rows: UpdateRow[], link = false): Promise<{ ids: Map<number, number>; errors: RowError[] }> {
    const errors: RowError[] = [];
    const ids = new Map<number, number>();
    for (const r of rows) {
      const body: Record<string, unknown> = {
        ...r.values,
        ...(r.ownerId !== undefined ? { ownerId: r.ownerId } : {}),
        version: r.version ?? (await this.versionOf(t, r.id)),
      };
      try {
        await this.update(t, r, body, link);
        ids.set(r.rowNumber, r.id);
      } catch (err) {
        if (!(err instanceof AppError) || err.code === 'DATABASE_UNAVAILABLE') throw err;
        const issues = err.extra.errors ?? [];
        if (!issues.length) errors.push(rowError(r.rowNumber, null, err.message));
        for (const issue of issues) errors.push(rowError(r.rowNumber, issue, err.message));
        if (t.undoable) break;
      }
    }
    return { ids, errors };
  }

  /** One record's update through the pipeline, as the records API's (its edit scope), journalled when the import is undoable. */
  private async update(t: WriteTarget, r: UpdateRow, body: Record<string, unknown>, link: boolean): Promise<void> {
    await this.reads.assertInScopeOrThrow(this.reads.db, t.acc, 'edit', r.id);
    const version = body.version as number;
    const w = newBatch({
      kind: 'update',
      source: 'import',
      ctx: t.ctx,
      c: t.c,
      acc: t.acc,
      owned: true,
      expectedVersion: version,
      records: [{ prefix: '', id: r.id, input: body, values: {} }],
    });
    if (t.undoable) w.scratch.set(IMPORT_PROGRESS, { importId: t.importId, patch: null, journal: { rows: [r.rowNumber], link } } satisfies ProgressNote);
    await this.pipeline.run(w);
  }

  /** Relations to rows of the same file, once those rows exist: an update of each record holding them. */
  async links(t: WriteTarget, rows: LinkRow[], idOfRow: Map<number, number>): Promise<RowError[]> {
    const updates: UpdateRow[] = [];
    const errors: RowError[] = [];
    for (const link of rows) {
      const id = idOfRow.get(link.rowNumber);
      if (id === undefined) {
        const text = 'The import was resumed after an interruption: set this relation by hand';
        errors.push({
          row: link.rowNumber,
          column: '',
          columnIndex: null,
          field: null,
          code: 'link_target_missing',
          message: { en: text, 'zh-CN': '导入中断后续传：请手动设置此关联' },
          value: null,
        });
      } else updates.push({ rowNumber: link.rowNumber, values: link.values, linksLater: false, id });
    }
    const done = await this.updates(t, updates, true);
    return [...errors, ...done.errors].sort((a, b) => a.row - b.row);
  }

  private async versionOf(t: WriteTarget, id: number): Promise<number> {
    const [rec] = await this.reads.rowsByIds(this.reads.db, t.c, [id]);
    return rec?.version ?? 1;
  }
}
