import { createReadStream, type ReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import {
  optionsToAdd,
  openTable,
  scanImport,
  withAddedOptions,
  type ColumnMapping,
  type MappingReport,
  type ScanResult,
  type TableInfo,
  type TableOptions,
} from '@crm/import';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { AppError, notFound } from '../../common/errors';
import { newId, storageToIso } from '../../common/ids';
import type { RequestContext } from '../../common/request-context';
import { AuditService } from '../audit/audit.service';
import type { EntityAccess } from '../access/access.service';
import { EntityRuntime, type CompiledEntity } from '../entities/entity-runtime.service';
import { FieldsService } from '../entities/fields.service';
import { JobOutbox } from '../jobs/job-outbox';
import { RecordsQueryService } from '../records/records-query.service';
import { ImportDirectory } from './import-directory';
import { ImportFiles } from './import-files';
import {
  autoMapping,
  choicesOrThrow,
  type ImportChoices,
  importableFields,
  importSettingsOf,
  mergeChoices,
  slimReport,
  tableOptionsOrThrow,
} from './import-settings';
import { type ImportRow, ImportsRepository } from './imports.repository';

export const IMPORT_JOB = 'import.run';

/** What the session stores as `settings`: the choices and the mapping report shown to the user. */
interface StoredSettings {
  choices: ImportChoices;
  mapping: MappingReport;
}

/** An import session as the API shows it. */
export interface ImportDto {
  id: string;
  entityId: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  size: number;
  status: ImportRow['status'];
  phase: string | null;
  table: TableOptions;
  info: TableInfo | null;
  mapping: MappingReport | null;
  choices: ImportChoices;
  progress: { totalRows: number | null; rowsRead: number; rowsDone: number; created: number; updated: number; errorRows: number; errorCount: number };
  errorFile: boolean;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export type Upload = { path: string; originalname: string; size: number };

const parse = <T>(text: string | null): T | null => (text ? (JSON.parse(text) as T) : null);

/** Multer hands the original name as latin1 bytes of UTF-8. */
const fileNameOf = (raw: string) =>
  Buffer.from(raw, 'latin1')
    .toString('utf8')
    .replace(/[\\/]/g, '_')
    .replace(/\p{Cc}/gu, '_')
    .slice(0, 255) || 'import';

/**
 * Import sessions (docs/import-export.md, "The API"): upload → the header read and columns
 * matched to fields → scans (preview, unmatched values, row errors) as the user maps columns
 * and values → run as a background job (ImportJob) whose progress the session row holds.
 * A session is its creator's: anyone else gets 404. Every step needs the import permission.
 */
@Injectable()
export class ImportsService {
  readonly files: ImportFiles;

  constructor(
    private readonly repo: ImportsRepository,
    private readonly reads: RecordsQueryService,
    private readonly runtime: EntityRuntime,
    private readonly fields: FieldsService,
    private readonly outbox: JobOutbox,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.files = new ImportFiles(config.dataDir);
  }

  directory(ctx: RequestContext): ImportDirectory {
    return new ImportDirectory(ctx, this.repo, this.reads, this.runtime);
  }

  async importAccess(ctx: RequestContext, entityId: string): Promise<{ c: CompiledEntity; acc: EntityAccess<CompiledEntity> }> {
    const found = await this.reads.entityAccess(ctx, entityId);
    found.acc.requireOrThrow('import');
    return found;
  }

  async create(ctx: RequestContext, entityId: string, file: Upload | undefined, rawTable: unknown): Promise<ImportDto> {
    let found: { c: CompiledEntity; acc: EntityAccess<CompiledEntity> };
    let table: TableOptions;
    try {
      found = await this.importAccess(ctx, entityId);
      if (!file)
        throw new AppError('VALIDATION_FAILED', 'Send the file as multipart form data in a part named "file"', {
          errors: [{ path: '/file', code: 'required', message: 'file is required' }],
        });
      table = tableOptionsOrThrow(rawTable);
    } catch (err) {
      if (file) await rm(file.path, { force: true });
      throw err;
    }
    const { c, acc } = found;
    const id = newId();
    const storageDir = `${ctx.actor.workspaceId}/${id}`;
    await this.files.adopt(storageDir, file.path);
    let info: TableInfo;
    try {
      info = await this.readHeader(storageDir, table);
    } catch (err) {
      await this.files.remove(storageDir);
      throw err;
    }
    const fields = importableFields(c, acc, false);
    const mapping = autoMapping({ columns: info.columns, fields, locale: ctx.locale ?? 'en', mayOwn: acc.isAdmin });
    const settings: StoredSettings = { choices: {}, mapping: slimReport(mapping) };
    await this.repo.insert({
      id,
      workspace_id: ctx.actor.workspaceId,
      entity_id: c.meta.id,
      created_by: ctx.actor.userId,
      kind: 'import',
      file_name: fileNameOf(file.originalname),
      format: info.format,
      size: file.size,
      storage_dir: storageDir,
      table_options: JSON.stringify(table),
      info: JSON.stringify(info),
      settings: JSON.stringify(settings),
      status: 'draft',
    });
    await this.audit.write(ctx, { action: 'import.upload', targetType: 'entity', targetId: c.meta.id, changes: { importId: id, size: file.size } });
    return this.dto((await this.repo.find(ctx.actor.workspaceId, id))!);
  }

  private async readHeader(storageDir: string, table: TableOptions): Promise<TableInfo> {
    const reader = await openTable({ file: this.files.opener(storageDir)(), options: table });
    await reader.close();
    return reader.info;
  }

  /** The member's own session; anyone else's (or another workspace's) is not found. */
  async ownOrThrow(ctx: RequestContext, id: string): Promise<ImportRow> {
    const row = await this.repo.find(ctx.actor.workspaceId, id);
    if (!row || row.created_by !== ctx.actor.userId || row.kind !== 'import') throw notFound('IMPORT_NOT_FOUND', `Import ${id.slice(0, 40)}`);
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<ImportDto> {
    const row = await this.ownOrThrow(ctx, id);
    await this.importAccess(ctx, row.entity_id);
    return this.dto(row);
  }

  /**
   * Applies the body's choices (reading options, column and value mappings, formats, mode) and
   * reads the whole file as the import would, writing nothing: the preview, counts, unmatched
   * values per column and date hints; `optionsToAdd` lists the options `add` would create.
   */
  async scan(ctx: RequestContext, id: string, body: unknown): Promise<ScanResult & { optionsToAdd: ReturnType<typeof optionsToAdd> }> {
    const { row, c, acc, choices, table } = await this.prepare(ctx, id, body);
    const fields = importableFields(c, acc, !!choices.upsertBy);
    const mapping = choices.mapping ?? this.storedMapping(row);
    const settings = importSettingsOf({ c, fields, choices, mapping, mayOwn: acc.isAdmin });
    const added = optionsToAdd({ fields, valueMappings: settings.valueMappings ?? [] });
    const result = await scanImport({
      open: this.files.opener(row.storage_dir),
      table,
      settings: { ...settings, fields: withAddedOptions({ fields, valueMappings: settings.valueMappings ?? [] }) },
      lookups: this.directory(ctx),
      previewRows: 20,
    });
    const stored: StoredSettings = { choices: { ...choices, mapping }, mapping: slimReport(result.mapping) };
    await this.repo.update(null, row.id, {
      settings: JSON.stringify(stored),
      info: JSON.stringify(result.info),
      table_options: JSON.stringify(table),
      total_rows: result.totalRows,
    });
    return { ...result, mapping: slimReport(result.mapping), optionsToAdd: added };
  }

  /** Saves the choices, adds the options `add` asks for, and queues the import job. */
  async run(ctx: RequestContext, id: string, body: unknown): Promise<ImportDto> {
    const { row, c, acc, choices, table } = await this.prepare(ctx, id, body);
    const upsert = !!choices.upsertBy;
    if (upsert) acc.requireOrThrow('edit');
    const fields = importableFields(c, acc, upsert);
    const mapping = choices.mapping ?? this.storedMapping(row);
    const settings = importSettingsOf({ c, fields, choices, mapping, mayOwn: acc.isAdmin });
    await this.addOptions(ctx, c, optionsToAdd({ fields, valueMappings: settings.valueMappings ?? [] }));
    const stored: StoredSettings = { choices: { ...choices, mapping }, mapping: parse<StoredSettings>(row.settings)?.mapping ?? this.emptyReport() };
    const queued = await this.repo.db.transaction(async (tx) => {
      const ok = await this.repo.update(
        tx,
        row.id,
        {
          settings: JSON.stringify(stored),
          table_options: JSON.stringify(table),
          status: 'queued',
          actor: JSON.stringify(ctx.actor),
          rows_done: 0,
          rows_read: 0,
        },
        ['draft'],
      );
      if (!ok) return null;
      const job = await this.outbox.add(tx, {
        name: IMPORT_JOB,
        payload: { importId: row.id, locale: ctx.locale ?? 'en' },
        key: `import:${row.id}`,
        maxAttempts: 3,
      });
      await this.repo.update(tx, row.id, { job_id: job.id });
      return job;
    });
    if (!queued) throw new AppError('IMPORT_STATE_CONFLICT', 'This import was already started: upload the file again to import it once more');
    await this.audit.write(ctx, {
      action: 'import.start',
      targetType: 'entity',
      targetId: c.meta.id,
      changes: { importId: row.id, write: settings.write, upsertBy: settings.upsertBy ?? null },
    });
    return this.dto((await this.repo.find(ctx.actor.workspaceId, row.id))!);
  }

  private async prepare(ctx: RequestContext, id: string, body: unknown) {
    const row = await this.ownOrThrow(ctx, id);
    const { c, acc } = await this.importAccess(ctx, row.entity_id);
    if (row.status !== 'draft') throw new AppError('IMPORT_STATE_CONFLICT', `This import is ${row.status}: its settings can no longer change`);
    const sent = choicesOrThrow(body);
    const choices = mergeChoices(parse<StoredSettings>(row.settings)?.choices ?? {}, sent);
    const rawTable = (body as { table?: unknown } | null)?.table;
    const table = rawTable === undefined ? (parse<TableOptions>(row.table_options) ?? {}) : tableOptionsOrThrow(rawTable);
    return { row, c, acc, choices, table };
  }

  private storedMapping(row: ImportRow): ColumnMapping[] {
    const report = parse<StoredSettings>(row.settings)?.mapping;
    return (report?.columns ?? []).map((col) => ({ column: col.column, target: col.target }));
  }

  private emptyReport(): MappingReport {
    return { columns: [], unmapped: [], missingRequired: [], targets: [] };
  }

  /** New options are a design change: only those who may design the entity add them. */
  private async addOptions(ctx: RequestContext, c: CompiledEntity, adds: ReturnType<typeof optionsToAdd>): Promise<void> {
    for (const add of adds) {
      if (add.target.includes('.'))
        throw new AppError('INVALID_VALUE_MAPPING', `New options can be added to fields, not to subform columns (${add.target}): map the values instead`);
      const field = c.byKey.get(add.target);
      if (!field) continue;
      const settings = field.settings as { options?: unknown[] };
      await this.fields.updateField(ctx, c.meta.id, field.key, { settings: { ...field.settings, options: [...(settings.options ?? []), ...add.options] } });
    }
  }

  /** The error file of a finished import (the original file with an error column), streamed. */
  async errorFile(ctx: RequestContext, id: string): Promise<{ name: string; format: 'csv' | 'xlsx'; stream: ReadStream }> {
    const row = await this.ownOrThrow(ctx, id);
    await this.importAccess(ctx, row.entity_id);
    if (!this.dto(row).errorFile)
      throw notFound(
        'FILE_NOT_FOUND',
        `The import ${id.slice(0, 40)} has no error file${row.status === 'done' || row.status === 'aborted' ? ': every row was imported' : ' yet'}`,
      );
    const base = row.file_name.replace(/\.(csv|xlsx|txt)$/i, '');
    return { name: `${base}-errors.${row.format}`, format: row.format, stream: createReadStream(this.files.errorFile(row.storage_dir)) };
  }

  dto(row: ImportRow): ImportDto {
    const settings = parse<StoredSettings>(row.settings);
    return {
      id: row.id,
      entityId: row.entity_id,
      fileName: row.file_name,
      format: row.format,
      size: row.size,
      status: row.status,
      phase: row.phase,
      table: parse<TableOptions>(row.table_options) ?? {},
      info: parse<TableInfo>(row.info),
      mapping: settings?.mapping ?? null,
      choices: settings?.choices ?? {},
      progress: {
        totalRows: row.total_rows,
        rowsRead: row.rows_read,
        rowsDone: row.rows_done,
        created: row.created_count,
        updated: row.updated_count,
        errorRows: row.error_rows,
        errorCount: row.error_count,
      },
      errorFile: row.status === 'done' || row.status === 'aborted' ? row.error_rows > 0 : false,
      lastError: row.last_error,
      createdAt: storageToIso(row.created_at)!,
      finishedAt: storageToIso(row.finished_at),
    };
  }
}
