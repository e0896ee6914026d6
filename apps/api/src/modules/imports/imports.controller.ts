import { tmpdir } from 'node:os';
import { Body, Controller, Logger, Get, HttpCode, Param, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { diskStorage } from 'multer';
import { ApiAnswer, ApiOp, ref, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type ExportQuery, ExportsService } from './exports.service';
import { type ImportDto, ImportsService, type Upload } from './imports.service';

import './imports.openapi';

const IMPORT = ref('Import');
const SETTINGS = ref('ImportSettingsBody');

const attachment = (res: Response, name: string, mime: string) => {
  res.setHeader('Content-Type', mime);
  res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
};

export const MIME = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

/** Imports of CSV and .xlsx files (sessions, scans, the job's progress, error files) and exports of views. */
@ApiTags('imports')
@Controller()
export class ImportsController {
  private readonly log = new Logger('Exports');

  constructor(
    private readonly imports: ImportsService,
    private readonly exports: ExportsService,
  ) {}

  @Post('entities/:entityId/imports')
  // Uploads go to disk (not memory): an import file may be large; it is moved under DATA_DIR/imports.
  @UseInterceptors(FileInterceptor('file', { storage: diskStorage({ destination: tmpdir() }) }))
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Upload a .csv or .xlsx to import: the header is read and columns matched to fields (needs the import permission)' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        encoding: { type: 'string' },
        delimiter: { type: 'string' },
        sheet: { type: 'string' },
        headerRow: { type: 'string' },
      },
    },
  })
  @ApiAnswer(IMPORT, { status: 201, errors: [413, 415] })
  upload(
    @Ctx() ctx: RequestContext,
    @Param('entityId') entityId: string,
    @UploadedFile() file: Upload | undefined,
    @Body() body: Record<string, unknown> | undefined,
  ): Promise<ImportDto> {
    return this.imports.create(ctx, entityId, file, body ?? {});
  }

  @Get('imports/:id')
  @ApiOp({ summary: 'An import of yours: its settings, status and progress (poll it while it runs)', ok: IMPORT })
  get(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<ImportDto> {
    return this.imports.get(ctx, id);
  }

  @Post('imports/:id/scan')
  @HttpCode(200)
  @ApiOp({
    summary: 'Save the choices and read the whole file as the import would, writing nothing: preview, counts, unmatched values, date hints',
    ok: ref('ImportScan'),
    body: SETTINGS,
    bodyOptional: true,
    errors: [409, 415],
  })
  scan(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.imports.scan(ctx, id, body);
  }

  @Post('imports/:id/run')
  @HttpCode(202)
  @ApiOp({ summary: 'Save the choices and start the import as a background job', status: 202, ok: IMPORT, body: SETTINGS, bodyOptional: true, errors: [409] })
  run(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown): Promise<ImportDto> {
    return this.imports.run(ctx, id, body);
  }

  @Get('imports/:id/error-file')
  @ApiOperation({ summary: 'The rows that were not imported, as the original file with an error column' })
  @ApiAnswer(S.str({ format: 'binary' }), { okMediaType: 'application/octet-stream' })
  async errorFile(@Ctx() ctx: RequestContext, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { name, format, stream } = await this.imports.errorFile(ctx, id);
    attachment(res, name, MIME[format]);
    return new StreamableFile(stream);
  }

  @Get('entities/:entityId/export')
  @ApiOp({
    summary: "Export records (a view's filter, sort and columns) as .xlsx or CSV, under the export and field permissions",
    ok: S.str({ format: 'binary' }),
    okMediaType: 'application/octet-stream',
    query: {
      format: { schema: S.str({ enum: ['xlsx', 'csv'] }), description: 'default xlsx' },
      filter: { schema: S.str(), description: 'json-logic condition as JSON text' },
      sort: { schema: S.str(), description: 'keys, `-` for descending' },
      columns: { schema: S.str(), description: 'field keys and system fields, comma-separated (default: every readable field)' },
      timeZone: { schema: S.str(), description: 'IANA zone date-times are shown in (default UTC)' },
    },
  })
  async export(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Query() q: ExportQuery, @Res() res: Response): Promise<void> {
    const prepared = await this.exports.prepare(ctx, entityId, q);
    attachment(res, prepared.fileName, MIME[prepared.format]);
    try {
      await prepared.write(res);
    } catch (err) {
      // Headers are gone: the client sees a cut download, the log has why.
      this.log.error(`export of ${entityId} failed [${ctx.requestId}]: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      res.destroy();
    }
  }
}
