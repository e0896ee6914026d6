import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiOp, ref, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { EntitiesService } from './entities.service';
import { FieldsService } from './fields.service';
import type { EntityDto } from './entity-meta';
import './entities.openapi';

const E = ref('Entity');
const key = { key: S.str({ description: 'the field key' }) };

@ApiTags('entities')
@Controller()
export class EntitiesController {
  constructor(
    private readonly entities: EntitiesService,
    private readonly fields: FieldsService,
  ) {}

  @Get('apps/:appId/entities')
  @ApiOp({ summary: "The app's entities", ok: S.items(E) })
  async list(@Ctx() ctx: RequestContext, @Param('appId') appId: string): Promise<{ items: EntityDto[] }> {
    return { items: await this.entities.list(ctx, appId) };
  }

  @Post('apps/:appId/entities')
  @ApiOp({
    summary: 'Create an entity (a real table) with its first fields',
    status: 201,
    ok: E,
    errors: [409],
    body: S.obj({ key: S.str({ pattern: '^[a-z][a-z0-9_]{0,47}$' }), name: S.str(), displayField: S.str(), fields: S.arr(ref('FieldInput')) }, ['key', 'name']),
  })
  create(@Ctx() ctx: RequestContext, @Param('appId') appId: string, @Body() body: unknown): Promise<EntityDto> {
    return this.entities.create(ctx, appId, body);
  }

  @Get('entities/:entityId')
  @ApiOp({ summary: 'An entity with its fields and removed fields', ok: E })
  get(@Ctx() ctx: RequestContext, @Param('entityId') id: string): Promise<EntityDto> {
    return this.entities.getOrThrow(ctx, id);
  }

  @Patch('entities/:entityId')
  @ApiOp({
    summary: 'Entity settings: name, title field (displayField), default sort, recycle-bin retention',
    ok: E,
    body: S.obj({
      name: S.str(),
      displayField: S.nullable(S.str()),
      defaultSort: S.nullable(S.str({ maxLength: 200 })),
      recycleRetentionDays: S.nullable(S.int({ minimum: 1, maximum: 3650 })),
    }),
  })
  update(@Ctx() ctx: RequestContext, @Param('entityId') id: string, @Body() body: unknown): Promise<EntityDto> {
    return this.entities.update(ctx, id, body);
  }

  @Delete('entities/:entityId')
  @HttpCode(204)
  @ApiOp({ summary: 'Delete an entity', ok: null, errors: [409] })
  remove(@Ctx() ctx: RequestContext, @Param('entityId') id: string): Promise<void> {
    return this.entities.remove(ctx, id);
  }

  @Get('entities/:entityId/schema')
  @ApiOp({ summary: 'JSON Schema of a record create body for this entity version', ok: ref('JsonSchema') })
  schema(@Ctx() ctx: RequestContext, @Param('entityId') id: string): Promise<Record<string, unknown>> {
    return this.entities.recordSchema(ctx, id);
  }

  @Post('entities/:entityId/fields')
  @ApiOp({ summary: 'Add a field (a new column)', status: 201, ok: E, body: ref('FieldInput'), errors: [409] })
  addField(@Ctx() ctx: RequestContext, @Param('entityId') id: string, @Body() body: unknown): Promise<EntityDto> {
    return this.fields.addField(ctx, id, body);
  }

  @Patch('entities/:entityId/fields/:key')
  @ApiOp({
    summary: 'Change a field; refuses with row counts and sample ids when existing data does not fit',
    ok: E,
    params: key,
    body: ref('FieldChange'),
    errors: [409, 422],
  })
  updateField(@Ctx() ctx: RequestContext, @Param('entityId') id: string, @Param('key') key: string, @Body() body: unknown): Promise<EntityDto> {
    return this.fields.updateField(ctx, id, key, body);
  }

  @Delete('entities/:entityId/fields/:key')
  @ApiOp({ summary: 'Remove a field: hidden, data kept, restorable until purge', ok: E, params: key, errors: [409] })
  removeField(@Ctx() ctx: RequestContext, @Param('entityId') id: string, @Param('key') key: string): Promise<EntityDto> {
    return this.fields.removeField(ctx, id, key);
  }

  @Post('entities/:entityId/fields/:key/restore')
  @HttpCode(200)
  @ApiOp({ summary: 'Bring a removed field back with its data', ok: E, params: key, errors: [409] })
  restoreField(@Ctx() ctx: RequestContext, @Param('entityId') id: string, @Param('key') key: string): Promise<EntityDto> {
    return this.fields.restoreField(ctx, id, key);
  }

  @Post('entities/:entityId/fields/:key/purge')
  @HttpCode(200)
  @ApiOp({ summary: 'Drop a removed field and its data for good', ok: E, params: key, errors: [409] })
  purgeField(@Ctx() ctx: RequestContext, @Param('entityId') id: string, @Param('key') key: string): Promise<EntityDto> {
    return this.fields.purgeField(ctx, id, key);
  }
}
