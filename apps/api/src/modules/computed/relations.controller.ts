import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Ctx, type RequestContext } from '../../common/request-context';
import { parseRecordIdOrThrow, type Page } from '../records/records-query.service';
import { type PickerQuery, RelationsService } from './relations.service';
import { ApiAnswer, ref, S } from '../../common/openapi';

@ApiTags('relations')
@Controller('entities/:entityId')
export class RelationsController {
  constructor(private readonly relations: RelationsService) {}

  @Get('fields/:key/options')
  @ApiOperation({
    summary: "Relation picker: target records to choose from (search, the field's filter on the form's current values, the target's permissions)",
  })
  @ApiQuery({ name: 'q', schema: { type: 'string' }, required: false, description: 'contains-search on the target display field' })
  @ApiQuery({ name: 'values', schema: { type: 'string' }, required: false, description: 'JSON object of the current form values ($form.<key> in the filter)' })
  @ApiQuery({
    name: 'row',
    schema: { type: 'string' },
    required: false,
    description: 'JSON object of the current subform row ($row.<key>), for a relation inside a subform (key "items.product")',
  })
  @ApiQuery({ name: 'limit', schema: { type: 'integer', minimum: 1 }, required: false, example: 20 })
  @ApiQuery({ name: 'cursor', schema: { type: 'string' }, required: false })
  @ApiAnswer(S.page(S.obj({ id: S.int(), label: S.str(), fields: ref('RecordValues') }, ['id', 'label', 'fields'])), {
    params: { key: S.str({ description: 'relation field key; `items.product` inside a subform' }) },
  })
  options(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('key') key: string, @Query() q: PickerQuery) {
    return this.relations.options(ctx, entityId, key, q);
  }

  @Get('records/:id/related')
  @ApiOperation({
    summary: 'Related list (关联查询): records of another entity whose relation field points at this record, paged, with that entity’s permissions',
  })
  @ApiQuery({ name: 'entityId', schema: { type: 'string' }, required: true, description: 'the entity that points here' })
  @ApiQuery({ name: 'field', schema: { type: 'string' }, required: true, description: 'its relation field' })
  @ApiQuery({ name: 'filter', schema: { type: 'string' }, required: false })
  @ApiQuery({ name: 'sort', schema: { type: 'string' }, required: false })
  @ApiQuery({ name: 'limit', schema: { type: 'integer', minimum: 1 }, required: false, example: 20 })
  @ApiQuery({ name: 'cursor', schema: { type: 'string' }, required: false })
  @ApiAnswer(ref('RecordPage'), { params: { id: S.int({ minimum: 1 }) } })
  related(
    @Ctx() ctx: RequestContext,
    @Param('entityId') entityId: string,
    @Param('id') id: string,
    @Query() q: Record<string, string | undefined>,
  ): Promise<Page> {
    return this.relations.related(ctx, entityId, parseRecordIdOrThrow(id), q);
  }
}
