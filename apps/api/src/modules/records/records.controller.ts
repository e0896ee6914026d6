import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiOp, ref, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import type { RecordDto } from './record-codec';
import { RecordHistoryService } from './record-history.service';
import { type GroupsAnswer, type GroupsQuery, type ListQuery, type Page, parseRecordIdOrThrow, RecordsQueryService } from './records-query.service';
import { type BinBulkAnswer, RecordsService } from './records.service';

import './records.openapi';

const R = ref('Record');
const PAGE = ref('RecordPage');
const id = { id: S.int({ minimum: 1, description: 'record id' }) };
const filterQ = { schema: S.str(), description: 'json-logic condition as JSON text' };
const expandQ = { schema: S.str(), description: 'relation keys to expand, comma-separated (e.g. `customer,contacts`)' };
const listQ = {
  filter: filterQ,
  sort: { schema: S.str(), description: 'keys, `-` for descending: `-amount,name`' },
  limit: { schema: S.int({ minimum: 1, maximum: 200 }), description: 'default 20' },
  cursor: { schema: S.str() },
  expand: expandQ,
};
const binIds = S.obj({ ids: S.arr(S.int({ minimum: 1 }), { minItems: 1, maxItems: 200 }) }, ['ids']);
const matched = (what: string) => S.obj({ [what]: S.int(), ids: S.arr(S.int()) }, [what, 'ids']);

@ApiTags('records')
@Controller('entities/:entityId')
export class RecordsController {
  constructor(
    private readonly records: RecordsService,
    private readonly reads: RecordsQueryService,
    private readonly histories: RecordHistoryService,
  ) {}

  @Get('records')
  @ApiOp({ summary: 'List records: json-logic filter, multi-column sort, keyset cursor', ok: PAGE, query: listQ })
  list(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Query() q: ListQuery): Promise<Page> {
    return this.reads.list(ctx, entityId, q);
  }

  @Post('records/query')
  @HttpCode(200)
  @ApiOp({
    summary: 'List records with the query in the body (for long filters)',
    ok: PAGE,
    bodyOptional: true,
    body: S.obj({ filter: ref('Condition'), sort: S.str(), limit: S.int({ minimum: 1, maximum: 200 }), cursor: S.str(), expand: S.str() }),
  })
  query(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: ListQuery): Promise<Page> {
    return this.reads.list(ctx, entityId, body ?? {});
  }

  @Get('records/count')
  @ApiOp({
    summary: 'Count matching records up to a cap (default 10 000)',
    ok: S.obj({ count: S.int(), capped: S.bool() }, ['count', 'capped']),
    query: { filter: filterQ, cap: { schema: S.int({ minimum: 1, maximum: 1_000_000 }) } },
  })
  count(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Query() q: { filter?: string; cap?: string }) {
    return this.reads.count(ctx, entityId, q);
  }

  @Get('records/groups')
  @ApiOp({
    summary: 'Counts (and a sum) per value of a single-choice field over a filter: kanban columns, table groups',
    ok: ref('RecordGroups'),
    query: {
      field: { schema: S.str(), required: true, description: 'a select or radio field' },
      sum: { schema: S.str(), description: 'a number, money, rollup or numeric formula field to sum per group' },
      filter: filterQ,
    },
  })
  groups(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Query() q: GroupsQuery): Promise<GroupsAnswer> {
    return this.reads.groups(ctx, entityId, q);
  }

  @Post('records')
  @ApiOp({
    summary: 'Create a record (the write pipeline: defaults, rules, formulas, validation)',
    status: 201,
    ok: R,
    body: ref('RecordValues'),
    errors: [409],
  })
  create(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown): Promise<RecordDto> {
    return this.records.create(ctx, entityId, body);
  }

  @Post('records/bulk')
  @ApiOp({
    summary: 'Create up to 5000 records in one transaction (all or nothing)',
    status: 201,
    ok: S.obj({ ids: S.arr(S.int()) }, ['ids']),
    body: S.obj({ records: S.arr(ref('RecordValues'), { maxItems: 5000 }) }, ['records']),
    errors: [409, 413],
  })
  bulk(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.records.bulkCreate(ctx, entityId, body);
  }

  @Post('records/bulk-update')
  @HttpCode(200)
  @ApiOp({
    summary: 'Set the same values on every record the filter matches within your bulk-edit scope (≤ 10 000)',
    ok: matched('updated'),
    body: S.obj({ filter: ref('Condition'), all: S.bool(), values: ref('RecordValues') }, ['values']),
    errors: [409],
  })
  bulkUpdate(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.records.bulkUpdate(ctx, entityId, body);
  }

  @Post('records/bulk-delete')
  @HttpCode(200)
  @ApiOp({
    summary: 'Move every record the filter matches within your delete scope to the recycle bin (≤ 10 000)',
    ok: matched('deleted'),
    body: S.obj({ filter: ref('Condition'), all: S.bool() }),
  })
  bulkDelete(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.records.bulkDelete(ctx, entityId, body);
  }

  @Get('records/:id')
  @ApiOp({ summary: 'One record', ok: R, params: id, query: { expand: expandQ } })
  get(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string, @Query('expand') expand?: string): Promise<RecordDto> {
    return this.reads.getOrThrow(ctx, entityId, parseRecordIdOrThrow(id), { expand });
  }

  @Patch('records/:id')
  @ApiOp({
    summary: 'Partial update; send the version you read (409 VERSION_CONFLICT with the current record when stale)',
    ok: R,
    params: id,
    body: S.obj({ version: S.int() }, ['version'], { additionalProperties: true }),
    errors: [409],
  })
  update(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string, @Body() body: unknown): Promise<RecordDto> {
    return this.records.update(ctx, entityId, parseRecordIdOrThrow(id), body);
  }

  @Delete('records/:id')
  @HttpCode(204)
  @ApiOp({ summary: 'Move a record to the recycle bin', ok: null, params: id })
  remove(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string): Promise<void> {
    return this.records.remove(ctx, entityId, parseRecordIdOrThrow(id));
  }

  @Post('records/:id/restore')
  @HttpCode(200)
  @ApiOp({ summary: 'Restore a record from the recycle bin', ok: R, params: id, errors: [409] })
  restore(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string): Promise<RecordDto> {
    return this.records.restore(ctx, entityId, parseRecordIdOrThrow(id));
  }

  @Delete('records/:id/purge')
  @HttpCode(204)
  @ApiOp({ summary: 'Delete a record from the recycle bin for good', ok: null, params: id, errors: [409] })
  purge(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string): Promise<void> {
    return this.records.purge(ctx, entityId, parseRecordIdOrThrow(id));
  }

  @Get('recycle-bin')
  @ApiOp({ summary: 'Records in the recycle bin, newest deletion first', ok: PAGE, query: { limit: listQ.limit, cursor: listQ.cursor } })
  bin(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Query() q: ListQuery): Promise<Page> {
    return this.reads.list(ctx, entityId, { limit: q.limit, cursor: q.cursor }, true);
  }

  @Post('recycle-bin/restore')
  @HttpCode(200)
  @ApiOp({
    summary: 'Restore several records from the recycle bin, each on its own: those restored and why others were refused',
    ok: ref('BinBulkAnswer'),
    body: binIds,
  })
  restoreMany(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown): Promise<BinBulkAnswer> {
    return this.records.binBulk(ctx, entityId, body, 'restore');
  }

  @Post('recycle-bin/purge')
  @HttpCode(200)
  @ApiOp({
    summary: 'Delete several records from the recycle bin for good (your delete scope), each on its own',
    ok: ref('BinBulkAnswer'),
    body: binIds,
  })
  purgeMany(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown): Promise<BinBulkAnswer> {
    return this.records.binBulk(ctx, entityId, body, 'purge');
  }

  @Get('records/:id/history')
  @ApiOp({ summary: 'Field-level change history of a record (kept after purge)', ok: S.items(ref('HistoryEntry')), params: id })
  history(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string) {
    return this.histories.history(ctx, entityId, parseRecordIdOrThrow(id));
  }
}
