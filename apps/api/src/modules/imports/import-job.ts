import { createWriteStream } from 'node:fs';
import { planImport, type PlanBatch, type RowError, type TableInfo, type TableOptions, writeErrorFile } from '@crm/import';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppError } from '../../common/errors';
import { nowStorage } from '../../common/ids';
import { JobRegistry } from '../jobs/job-registry';
import type { JobContext } from '../jobs/jobs.types';
import { RecordsQueryService } from '../records/records-query.service';
import { RecordEvents } from '../records/record-events';
import { RecordWritePipeline } from '../records/write-pipeline';
import { ErrorLog } from './import-files';
import { actorContextOrThrow } from './job-actor';
import { type ImportChoices, importableFields, importSettingsOf } from './import-settings';
import { ImportJournalRepository } from './import-journal.repository';
import { ImportUndo } from './import-undo';
import { ImportProgressParticipant, ImportWriter, type WriteTarget } from './import-writer';
import { type ImportPatch, type ImportRow, ImportsRepository } from './imports.repository';
import { IMPORT_JOB, ImportsService } from './imports.service';

const MAX_ATTEMPTS = 3;
const distinctRows = (errors: readonly RowError[]) => new Set(errors.map((e) => e.row)).size;
const byRow = (a: RowError, b: RowError) => a.row - b.row;

/** Row errors of the log with the later link errors merged in, in row order (as the error file needs). */
async function* merged(log: AsyncIterable<RowError[]>, later: RowError[]): AsyncGenerator<RowError[]> {
  let i = 0;
  for await (const batch of log) {
    const last = batch.at(-1)!.row;
    const before: RowError[] = [];
    while (i < later.length && later[i]!.row <= last) before.push(later[i++]!);
    yield before.length ? [...batch, ...before].sort(byRow) : batch;
  }
  if (i < later.length) yield later.slice(i);
}

/**
 * The plan's batches, the next one planned while the current one is written (parsing and
 * lookups overlap the database's work). Not once a row waits for in-file links: from then on
 * the plan must see every batch written before it reads on (the links pass finds the new rows).
 */
async function* ahead(batches: AsyncGenerator<PlanBatch>): AsyncGenerator<PlanBatch> {
  let deferred = false;
  let next = batches.next();
  for (;;) {
    const current = await next;
    if (current.done) return;
    const b = current.value;
    deferred ||= b.creates.some((r) => r.linksLater) || b.updates.some((r) => r.linksLater) || b.phase === 'links';
    if (!deferred) {
      next = batches.next();
      // A failure of the batch planned ahead is met when it is awaited, not left unhandled meanwhile.
      next.catch(() => undefined);
    }
    yield b;
    if (deferred) next = batches.next();
  }
}

interface Tally {
  created: number;
  updated: number;
  errorRows: number;
  errorCount: number;
}

/**
 * The import job (`import.run`, docs/import-export.md): plans the file with the session's
 * choices and writes each batch through the record pipeline, acting as the member who started
 * it (their current permissions). Progress moves in the write's own transaction, so a run after
 * a crash resumes after the last committed batch. Row errors go to the session's log; at the end
 * the error file is written and the session marked done (or aborted: all-or-nothing with errors).
 */
@Injectable()
export class ImportJob implements OnModuleInit {
  private readonly log = new Logger('ImportJob');
  private readonly writer: ImportWriter;
  private readonly undo: ImportUndo;
  private readonly journal: ImportJournalRepository;

  constructor(
    private readonly registry: JobRegistry,
    private readonly pipeline: RecordWritePipeline,
    private readonly repo: ImportsRepository,
    private readonly imports: ImportsService,
    reads: RecordsQueryService,
    events: RecordEvents,
  ) {
    this.writer = new ImportWriter(pipeline, reads);
    this.journal = new ImportJournalRepository(repo.db);
    this.undo = new ImportUndo(pipeline, reads, events, this.journal);
  }

  onModuleInit(): void {
    this.pipeline.register(new ImportProgressParticipant(this.repo, this.journal));
    this.registry.register(IMPORT_JOB, (job) => this.run(job), { maxAttempts: MAX_ATTEMPTS });
  }

  async run(job: JobContext): Promise<void> {
    const { importId, locale } = job.payload as { importId: string; locale?: 'en' | 'zh-CN' };
    const row = await this.repo.findById(null, importId);
    if (!row || !['queued', 'running'].includes(row.status)) return;
    try {
      await this.execute(job, row, locale === 'zh-CN' ? 'zh-CN' : 'en');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.warn(`import ${importId} attempt ${job.attempt} failed: ${message}`);
      const final =
        job.attempt >= MAX_ATTEMPTS ||
        (err instanceof AppError && ['FORBIDDEN', 'ENTITY_NOT_FOUND', 'INVALID_MAPPING', 'FIELD_NOT_WRITABLE'].includes(err.code));
      if (final) await this.undoFailed(row, locale === 'zh-CN' ? 'zh-CN' : 'en');
      await this.repo.update(null, importId, final ? { status: 'failed', last_error: message, finished_at: nowStorage() } : { last_error: message });
      if (!final) throw err;
    }
  }

  private async execute(job: JobContext, row: ImportRow, locale: 'en' | 'zh-CN'): Promise<void> {
    const ctx = await actorContextOrThrow(this.repo, row, locale);
    const { c, acc } = await this.imports.importAccess(ctx, row.entity_id);
    const choices = (JSON.parse(row.settings ?? '{}') as { choices?: ImportChoices }).choices ?? {};
    if (choices.upsertBy) acc.requireOrThrow('edit');
    const undoable = choices.write === 'all-or-nothing';
    const t: WriteTarget = { ctx, c, acc, importId: row.id, undoable };
    const tally: Tally = { created: row.created_count, updated: row.updated_count, errorRows: row.error_rows, errorCount: row.error_count };
    // Interrupted while undoing: the error log is complete, what is left of the journal is undone.
    if (row.status === 'running' && row.phase === 'undo') return this.undoAll(job, row, t, tally, locale);
    const resumeFrom = row.status === 'running' ? row.rows_done : 0;
    const files = this.imports.files;
    if (resumeFrom > 0) await files.truncateErrors(row.storage_dir, row.last_row);
    else await files.resetErrors(row.storage_dir);
    await this.repo.update(null, row.id, { status: 'running', phase: 'prepare', last_error: null });
    let settings = importSettingsOf({ c, fields: importableFields(c, acc, !!choices.upsertBy), choices, mapping: choices.mapping ?? [], mayOwn: acc.isAdmin });
    // Every row passed the check before the interruption: what is left is written, not checked again.
    if (resumeFrom > 0 && settings.write === 'all-or-nothing') settings = { ...settings, write: 'valid-rows' };
    if (!resumeFrom) Object.assign(tally, { created: 0, updated: 0, errorRows: 0, errorCount: 0 });
    const plan = planImport({
      open: files.opener(row.storage_dir),
      table: JSON.parse(row.table_options) as TableOptions,
      settings,
      lookups: this.imports.directory(ctx),
    });
    const log = new ErrorLog(files.errorsPath(row.storage_dir));
    const linkErrors: RowError[] = [];
    const idOfRow = new Map<number, number>();
    let refused = false;
    // Two batches in flight (MySQL; plain creates): the next batch's rows go in while the one before commits (see ProgressNote).
    const overlap = this.repo.db.dialect === 'mysql' && !undoable && !choices.upsertBy;
    let inFlight: Promise<number> | null = null;
    const settle = async (): Promise<void> => {
      const prev = inFlight;
      inFlight = null;
      if (prev) refused = (await prev) > 0 || refused;
    };
    try {
      for await (const batch of ahead(plan.batches())) {
        if (job.signal.aborted) throw new Error('The import was interrupted (shutdown); it resumes on the next run');
        const plain = batch.phase === 'write' && !batch.updates.length && !batch.creates.some((r) => r.linksLater);
        if (overlap && plain && batch.rowsRead > resumeFrom) {
          const prev = inFlight;
          const current = this.written(t, batch, log, tally, idOfRow, prev ?? undefined);
          current.catch(() => undefined); // met when awaited below, not left unhandled meanwhile
          inFlight = prev;
          await settle();
          inFlight = current;
          continue;
        }
        await settle();
        if (batch.phase === 'check') await this.checked(row.id, batch, log, tally);
        else if (batch.phase === 'write' && batch.rowsRead > resumeFrom) refused = (await this.written(t, batch, log, tally, idOfRow)) > 0;
        else if (batch.phase === 'links') linkErrors.push(...(await this.writer.links(t, batch.links, idOfRow)));
        if (undoable && (refused || linkErrors.length)) break;
      }
      await settle();
      if (undoable && linkErrors.length) {
        // Nothing else is in the log once the links run (every row was written): it stays in row order.
        linkErrors.sort(byRow);
        await log.write(linkErrors);
        tally.errorRows += distinctRows(linkErrors);
        tally.errorCount += linkErrors.length;
        refused = true;
      }
    } finally {
      await log.close();
    }
    if (refused && undoable) return this.undoAll(job, row, t, tally, locale);
    linkErrors.sort(byRow);
    tally.errorRows += distinctRows(linkErrors);
    tally.errorCount += linkErrors.length;
    await this.finish(job, row, plan.summary.aborted, tally, linkErrors, locale);
  }

  private async checked(importId: string, batch: PlanBatch, log: ErrorLog, tally: Tally): Promise<void> {
    await log.write(batch.errors);
    tally.errorRows += distinctRows(batch.errors);
    tally.errorCount += batch.errors.length;
    await this.repo.update(null, importId, { phase: 'check', rows_read: batch.rowsRead, error_rows: tally.errorRows, error_count: tally.errorCount });
  }

  /** Writes one batch; returns how many of its rows the pipeline refused. `after`: the batch before, still in flight. */
  private async written(t: WriteTarget, batch: PlanBatch, log: ErrorLog, tally: Tally, idOfRow: Map<number, number>, after?: Promise<number>): Promise<number> {
    const up = await this.writer.updates(t, batch.updates);
    const lastRow = Math.max(0, ...batch.creates.map((r) => r.rowNumber), ...batch.updates.map((r) => r.rowNumber), ...batch.errors.map((e) => e.row));
    const before = [...batch.errors, ...up.errors];
    const patch = (createdNow: number): ImportPatch => ({
      phase: 'write',
      rows_read: batch.rowsRead,
      rows_done: batch.rowsRead,
      last_row: lastRow,
      created_count: tally.created + createdNow,
      updated_count: tally.updated + up.ids.size,
      error_rows: tally.errorRows + distinctRows(before),
      error_count: tally.errorCount + before.length,
    });
    const made = await this.writer.creates(t, batch.creates, patch, after);
    // The log, the counts and any progress below follow the batch before (its rows come first).
    if (after) await after;
    const errors = [...before, ...made.errors].sort(byRow);
    await log.write(errors);
    // Rows the pipeline refused are counted now; with nothing created, this is the batch's progress too.
    // (A batch whose creates all went in committed this very patch with its last write: one statement less per batch.)
    if (made.errors.length || !batch.creates.length)
      await this.repo.update(null, t.importId, {
        ...patch(made.ids.size),
        error_rows: tally.errorRows + distinctRows(errors),
        error_count: tally.errorCount + errors.length,
      });
    tally.created += made.ids.size;
    tally.updated += up.ids.size;
    tally.errorRows += distinctRows(errors);
    tally.errorCount += errors.length;
    for (const r of batch.creates) if (r.linksLater && made.ids.has(r.rowNumber)) idOfRow.set(r.rowNumber, made.ids.get(r.rowNumber)!);
    for (const r of batch.updates) if (r.linksLater && up.ids.has(r.rowNumber)) idOfRow.set(r.rowNumber, r.id);
    return up.errors.length + made.errors.length;
  }

  /**
   * All or nothing, a row refused while writing: every record the import wrote is undone from
   * its journal (phase `undo`, so a run after a crash carries on with the undo), then the
   * session is aborted with the error file naming the refused rows.
   */
  private async undoAll(job: JobContext, row: ImportRow, t: WriteTarget, tally: Tally, locale: 'en' | 'zh-CN'): Promise<void> {
    await this.repo.update(null, row.id, { phase: 'undo', error_rows: tally.errorRows, error_count: tally.errorCount });
    const failures = await this.undo.undo(t);
    if (failures.length) this.log.warn(`import ${row.id}: ${failures.length} records could not be restored: ${failures.slice(0, 5).join('; ')}`);
    await this.repo.update(null, row.id, { created_count: 0, updated_count: 0, last_error: failures.length ? failures.slice(0, 20).join('\n') : null });
    await this.finish(job, row, true, { ...tally, created: 0, updated: 0 }, [], locale);
  }

  /** The last attempt failed: an all-or-nothing import still undoes what it wrote (best effort; the journal stays for a later look). */
  private async undoFailed(row: ImportRow, locale: 'en' | 'zh-CN'): Promise<void> {
    const choices = (JSON.parse(row.settings ?? '{}') as { choices?: ImportChoices }).choices ?? {};
    if (choices.write !== 'all-or-nothing') return;
    try {
      const ctx = await actorContextOrThrow(this.repo, row, locale);
      const { c, acc } = await this.imports.importAccess(ctx, row.entity_id);
      await this.undo.undo({ ctx, c, acc, importId: row.id, undoable: true });
      await this.repo.update(null, row.id, { created_count: 0, updated_count: 0 });
    } catch (err) {
      this.log.error(`import ${row.id}: the undo after its failure failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async finish(job: JobContext, row: ImportRow, aborted: boolean, tally: Tally, linkErrors: RowError[], locale: 'en' | 'zh-CN'): Promise<void> {
    const files = this.imports.files;
    if (tally.errorRows > 0 && row.info) {
      const output = createWriteStream(files.errorFile(row.storage_dir));
      const done = new Promise<void>((resolve, reject) => output.on('close', () => resolve()).on('error', reject));
      await writeErrorFile({
        open: files.opener(row.storage_dir),
        info: JSON.parse(row.info) as TableInfo,
        errors: merged(files.errors(row.storage_dir), linkErrors),
        output,
        locale,
      });
      if (!output.writableEnded) output.end();
      await done;
    }
    await job.complete(async (tx) => {
      await this.journal.drop(tx, row.id);
      await this.repo.update(tx, row.id, {
        status: aborted ? 'aborted' : 'done',
        phase: null,
        created_count: tally.created,
        updated_count: tally.updated,
        error_rows: tally.errorRows,
        error_count: tally.errorCount,
        finished_at: nowStorage(),
      });
    });
  }
}
