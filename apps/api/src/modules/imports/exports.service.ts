import { exportRecords, isTimeZone } from '@crm/import';
import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import { AuditService } from '../audit/audit.service';
import { EntityRuntime } from '../entities/entity-runtime.service';
import { RecordsQueryService } from '../records/records-query.service';
import { ImportDirectory } from './import-directory';
import { ImportsRepository } from './imports.repository';

export interface ExportQuery {
  format?: unknown;
  filter?: unknown;
  sort?: unknown;
  columns?: unknown;
  timeZone?: unknown;
}

const SYSTEM_COLUMNS = ['id', 'ownerId', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy'];
const PAGE = 200;

/** A checked export: what to write and the file's name; `write` streams it. */
export interface PreparedExport {
  format: 'csv' | 'xlsx';
  fileName: string;
  write(output: NodeJS.WritableStream): Promise<{ rows: number }>;
}

/**
 * Exports of a view (its filter, sort and visible columns) as `.xlsx` or CSV, under the export
 * permission and the member's field permissions (docs/import-export.md, "Export"): records are
 * read page by page through the records read path (view scope, projection), names looked up
 * once per page, and the file streamed as it is written; nothing is held but a page.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly reads: RecordsQueryService,
    private readonly runtime: EntityRuntime,
    private readonly repo: ImportsRepository,
    private readonly audit: AuditService,
  ) {}

  async prepare(ctx: RequestContext, entityId: string, q: ExportQuery): Promise<PreparedExport> {
    const { c, acc } = await this.reads.entityAccess(ctx, entityId);
    acc.requireOrThrow('export');
    const format = q.format === undefined || q.format === '' ? 'xlsx' : q.format;
    if (format !== 'csv' && format !== 'xlsx')
      throw new AppError('VALIDATION_FAILED', 'format must be csv or xlsx', { errors: [{ path: '/format', code: 'invalid_option', message: 'csv or xlsx' }] });
    const timeZone = typeof q.timeZone === 'string' && q.timeZone !== '' ? q.timeZone : 'UTC';
    if (!isTimeZone(timeZone))
      throw new AppError('VALIDATION_FAILED', 'timeZone must be an IANA time zone', {
        errors: [{ path: '/timeZone', code: 'invalid_value', message: 'e.g. Asia/Shanghai' }],
      });
    const readable = c.meta.fields.filter((f) => acc.readable(f.key)).map((f) => f.key);
    const columns = typeof q.columns === 'string' && q.columns.trim() !== '' ? q.columns.split(',').map((s) => s.trim()) : readable;
    const unknown = columns.filter((k) => !c.byKey.has(k) && !SYSTEM_COLUMNS.includes(k));
    if (unknown.length)
      throw new AppError('UNKNOWN_FIELD', `Unknown columns: ${unknown.join(', ')}`, {
        errors: unknown.map((k) => ({ path: '/columns', code: 'unknown_field', message: `${k} is not a field` })),
      });
    acc.assertReadableOrThrow(columns, 'export');
    // Reading the first page checks the filter and sort before a byte is sent.
    const list = (cursor: string | null) => this.reads.list(ctx, entityId, { filter: q.filter, sort: q.sort, limit: PAGE, cursor: cursor ?? undefined });
    const first = await list(null);
    const directory = new ImportDirectory(ctx, this.repo, this.reads, this.runtime);
    const stamp = new Date().toISOString().slice(0, 10);
    return {
      format,
      fileName: `${c.meta.name}-${stamp}.${format}`,
      write: async (output) => {
        async function* pages() {
          let page = first;
          for (;;) {
            yield page.items;
            if (!page.nextCursor) return;
            page = await list(page.nextCursor);
          }
        }
        const result = await exportRecords({
          format,
          output,
          fields: c.meta.fields,
          columns,
          records: pages(),
          lookups: directory,
          locale: ctx.locale ?? 'en',
          timeZone,
          sheetName: c.meta.name,
        });
        const stream = output as NodeJS.WritableStream & { writableEnded?: boolean };
        if (!stream.writableEnded) stream.end();
        await this.audit.write(ctx, { action: 'records.export', targetType: 'entity', targetId: c.meta.id, changes: { format, rows: result.rows, columns } });
        return result;
      },
    };
  }
}
