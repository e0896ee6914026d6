import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { AppError, notFound } from '../../common/errors';
import { newId, nowStorage, storageToIso } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import { JobOutbox } from '../jobs/job-outbox';
import { JobRegistry } from '../jobs/job-registry';
import type { JobContext } from '../jobs/jobs.types';
import { type ExportQuery, ExportsService } from './exports.service';
import { actorContextOrThrow } from './job-actor';
import { type ImportRow, ImportsRepository } from './imports.repository';

export const EXPORT_JOB = 'export.run';
const MAX_ATTEMPTS = 3;

export interface ExportDto {
  id: string;
  entityId: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  status: ImportRow['status'];
  rows: number;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** Only what identifies the view is kept: the job reads the records again when it runs. */
const queryOf = (q: ExportQuery) => ({ format: q.format, filter: q.filter, sort: q.sort, columns: q.columns, timeZone: q.timeZone });

/**
 * Exports as background jobs (`export.run`), for views too big to stream in one request: the
 * same checks as a streamed export when asked, the file written under DATA_DIR/imports by the
 * job acting as the member, its progress (rows written) on the session row, a download link
 * once done. Like imports, an export session is its creator's alone.
 */
@Injectable()
export class ExportSessions implements OnModuleInit {
  private readonly log = new Logger('ExportJob');
  private readonly root: string;

  constructor(
    private readonly repo: ImportsRepository,
    private readonly exports: ExportsService,
    private readonly outbox: JobOutbox,
    private readonly registry: JobRegistry,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.root = join(config.dataDir, 'imports');
  }

  onModuleInit(): void {
    this.registry.register(EXPORT_JOB, (job) => this.run(job), { maxAttempts: MAX_ATTEMPTS });
  }

  async start(ctx: RequestContext, entityId: string, body: unknown): Promise<ExportDto> {
    const q = queryOf((body ?? {}) as ExportQuery);
    const prepared = await this.exports.prepare(ctx, entityId, q);
    const id = newId();
    await this.repo.db.transaction(async (tx) => {
      await this.repo.insert(
        {
          id,
          workspace_id: ctx.actor.workspaceId,
          entity_id: entityId,
          created_by: ctx.actor.userId,
          kind: 'export',
          file_name: prepared.fileName,
          format: prepared.format,
          size: 0,
          storage_dir: `${ctx.actor.workspaceId}/${id}`,
          table_options: '{}',
          settings: JSON.stringify(q),
          actor: JSON.stringify(ctx.actor),
          status: 'queued',
        },
        tx,
      );
      await this.outbox.add(tx, { name: EXPORT_JOB, payload: { exportId: id, locale: ctx.locale ?? 'en' }, key: `export:${id}`, maxAttempts: MAX_ATTEMPTS });
    });
    return this.dto((await this.repo.find(ctx.actor.workspaceId, id))!);
  }

  async get(ctx: RequestContext, id: string): Promise<ExportDto> {
    return this.dto(await this.ownOrThrow(ctx, id));
  }

  async file(ctx: RequestContext, id: string): Promise<{ name: string; format: 'csv' | 'xlsx'; stream: ReadStream }> {
    const row = await this.ownOrThrow(ctx, id);
    if (row.status !== 'done') throw new AppError('IMPORT_STATE_CONFLICT', `This export is ${row.status}: its file is not ready`);
    return { name: row.file_name, format: row.format, stream: createReadStream(this.path(row)) };
  }

  private async ownOrThrow(ctx: RequestContext, id: string): Promise<ImportRow> {
    const row = await this.repo.find(ctx.actor.workspaceId, id);
    if (!row || row.created_by !== ctx.actor.userId || row.kind !== 'export') throw notFound('IMPORT_NOT_FOUND', `Export ${id.slice(0, 40)}`);
    await this.exports.exportAccess(ctx, row.entity_id);
    return row;
  }

  private path(row: ImportRow): string {
    return join(this.root, row.storage_dir, `export.${row.format}`);
  }

  private async run(job: JobContext): Promise<void> {
    const { exportId, locale } = job.payload as { exportId: string; locale?: string };
    const row = await this.repo.findById(null, exportId);
    if (!row || row.kind !== 'export' || !['queued', 'running'].includes(row.status)) return;
    try {
      const ctx = await actorContextOrThrow(this.repo, row, locale === 'zh-CN' ? 'zh-CN' : 'en');
      await this.repo.update(null, row.id, { status: 'running', phase: 'write', rows_read: 0 });
      const prepared = await this.exports.prepare(ctx, row.entity_id, JSON.parse(row.settings ?? '{}') as ExportQuery);
      await mkdir(join(this.root, row.storage_dir), { recursive: true });
      const output = createWriteStream(this.path(row));
      const closed = new Promise<void>((resolve, reject) => output.on('close', () => resolve()).on('error', reject));
      const { rows } = await prepared.write(output, (n) => this.repo.update(null, row.id, { rows_read: n }).then(() => undefined));
      await closed;
      await job.complete((tx) => this.repo.update(tx, row.id, { status: 'done', phase: null, rows_read: rows, rows_done: rows, finished_at: nowStorage() }));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.warn(`export ${exportId} attempt ${job.attempt} failed: ${message}`);
      const final = job.attempt >= MAX_ATTEMPTS || err instanceof AppError;
      await this.repo.update(null, exportId, final ? { status: 'failed', last_error: message, finished_at: nowStorage() } : { last_error: message });
      if (!final) throw err;
    }
  }

  private dto(row: ImportRow): ExportDto {
    return {
      id: row.id,
      entityId: row.entity_id,
      fileName: row.file_name,
      format: row.format,
      status: row.status,
      rows: row.rows_read,
      lastError: row.last_error,
      createdAt: storageToIso(row.created_at)!,
      finishedAt: storageToIso(row.finished_at),
    };
  }
}
