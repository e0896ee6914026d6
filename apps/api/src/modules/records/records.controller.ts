import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Ctx, type RequestContext } from '../../common/request-context';
import type { RecordDto } from './record-codec';
import { RecordHistoryService } from './record-history.service';
import { type ListQuery, type Page, parseRecordIdOrThrow, RecordsQueryService } from './records-query.service';
import { RecordsService } from './records.service';

const recordBody = {
  schema: { type: 'object', additionalProperties: true, description: 'Field values by key; GET /api/entities/{entityId}/schema has the exact schema' },
};

@ApiTags('records')
@Controller('entities/:entityId')
export class RecordsController {
  constructor(
    private readonly records: RecordsService,
    private readonly reads: RecordsQueryService,
    private readonly histories: RecordHistoryService,
  ) {}

  @Get('records')
  @ApiOperation({ summary: 'List records: json-logic filter, multi-column sort, keyset cursor' })
  @ApiQuery({ name: 'filter', required: false, description: 'json-logic condition as JSON text' })
  @ApiQuery({ name: 'sort', required: false, example: '-amount,name' })
  @ApiQuery({ name: 'limit', required: false, example: 20 })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'expand', required: false, example: 'customer' })
  list(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Query() q: ListQuery): Promise<Page> {
    return this.reads.list(ctx, entityId, q);
  }

  @Post('records/query')
  @HttpCode(200)
  @ApiOperation({ summary: 'List records with the query in the body (for long filters)' })
  @ApiBody({
    schema: {
      type: 'object',
      properties: { filter: { type: 'object' }, sort: { type: 'string' }, limit: { type: 'integer' }, cursor: { type: 'string' }, expand: { type: 'string' } },
    },
  })
  query(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: ListQuery): Promise<Page> {
    return this.reads.list(ctx, entityId, body ?? {});
  }

  @Get('records/count')
  @ApiOperation({ summary: 'Count matching records up to a cap (default 10 000)' })
  @ApiQuery({ name: 'filter', required: false, description: 'json-logic condition as JSON text' })
  @ApiQuery({ name: 'cap', required: false, example: 10000 })
  count(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Query() q: { filter?: string; cap?: string }) {
    return this.reads.count(ctx, entityId, q);
  }

  @Post('records')
  @ApiBody(recordBody)
  create(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown): Promise<RecordDto> {
    return this.records.create(ctx, entityId, body);
  }

  @Post('records/bulk')
  @ApiOperation({ summary: 'Create up to 5000 records in one transaction (all or nothing)' })
  @ApiBody({ schema: { type: 'object', required: ['records'], properties: { records: { type: 'array', items: { type: 'object' } } } } })
  bulk(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.records.bulkCreate(ctx, entityId, body);
  }

  @Post('records/bulk-update')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set the same values on every record the filter matches within your bulk-edit scope (≤ 10 000)' })
  @ApiBody({
    schema: { type: 'object', required: ['values'], properties: { filter: { type: 'object' }, all: { type: 'boolean' }, values: { type: 'object' } } },
  })
  bulkUpdate(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.records.bulkUpdate(ctx, entityId, body);
  }

  @Post('records/bulk-delete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move every record the filter matches within your delete scope to the recycle bin (≤ 10 000)' })
  @ApiBody({ schema: { type: 'object', properties: { filter: { type: 'object' }, all: { type: 'boolean' } } } })
  bulkDelete(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.records.bulkDelete(ctx, entityId, body);
  }

  @Get('records/:id')
  @ApiQuery({ name: 'expand', required: false, example: 'customer' })
  get(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string, @Query('expand') expand?: string): Promise<RecordDto> {
    return this.reads.getOrThrow(ctx, entityId, parseRecordIdOrThrow(id), { expand });
  }

  @Patch('records/:id')
  @ApiOperation({ summary: 'Partial update; send the version you read (409 VERSION_CONFLICT with the current record when stale)' })
  @ApiBody({ schema: { type: 'object', required: ['version'], properties: { version: { type: 'integer' } }, additionalProperties: true } })
  update(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string, @Body() body: unknown): Promise<RecordDto> {
    return this.records.update(ctx, entityId, parseRecordIdOrThrow(id), body);
  }

  @Delete('records/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Move a record to the recycle bin' })
  remove(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string): Promise<void> {
    return this.records.remove(ctx, entityId, parseRecordIdOrThrow(id));
  }

  @Post('records/:id/restore')
  @HttpCode(200)
  restore(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string): Promise<RecordDto> {
    return this.records.restore(ctx, entityId, parseRecordIdOrThrow(id));
  }

  @Delete('records/:id/purge')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a record from the recycle bin for good' })
  purge(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string): Promise<void> {
    return this.records.purge(ctx, entityId, parseRecordIdOrThrow(id));
  }

  @Get('recycle-bin')
  bin(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Query() q: ListQuery): Promise<Page> {
    return this.reads.list(ctx, entityId, { limit: q.limit, cursor: q.cursor }, true);
  }

  @Get('records/:id/history')
  @ApiOperation({ summary: 'Field-level change history of a record (kept after purge)' })
  history(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string) {
    return this.histories.history(ctx, entityId, parseRecordIdOrThrow(id));
  }
}
