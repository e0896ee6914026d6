import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, type RequestContext } from '../../common/request-context';
import { EntitiesService } from './entities.service';
import { FieldsService } from './fields.service';
import type { EntityDto } from './entity-meta';

const fieldSchema = {
  type: 'object',
  required: ['key', 'label', 'type'],
  properties: {
    key: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,47}$' },
    label: { type: 'string' },
    type: { type: 'string', description: 'See docs/fields.md for the types and their settings' },
    required: { type: 'boolean' },
    unique: { type: 'boolean' },
    indexed: { type: 'boolean' },
    settings: { type: 'object' },
  },
};

@ApiTags('entities')
@Controller()
export class EntitiesController {
  constructor(
    private readonly entities: EntitiesService,
    private readonly fields: FieldsService,
  ) {}

  @Get('apps/:appId/entities')
  async list(@Ctx() ctx: RequestContext, @Param('appId') appId: string): Promise<{ items: EntityDto[] }> {
    return { items: await this.entities.list(ctx, appId) };
  }

  @Post('apps/:appId/entities')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['key', 'name'],
      properties: { key: { type: 'string' }, name: { type: 'string' }, displayField: { type: 'string' }, fields: { type: 'array', items: fieldSchema } },
    },
  })
  create(@Ctx() ctx: RequestContext, @Param('appId') appId: string, @Body() body: unknown): Promise<EntityDto> {
    return this.entities.create(ctx, appId, body);
  }

  @Get('entities/:entityId')
  get(@Ctx() ctx: RequestContext, @Param('entityId') id: string): Promise<EntityDto> {
    return this.entities.getOrThrow(ctx, id);
  }

  @Patch('entities/:entityId')
  @ApiBody({ schema: { type: 'object', properties: { name: { type: 'string' }, displayField: { type: 'string', nullable: true } } } })
  update(@Ctx() ctx: RequestContext, @Param('entityId') id: string, @Body() body: unknown): Promise<EntityDto> {
    return this.entities.update(ctx, id, body);
  }

  @Delete('entities/:entityId')
  @HttpCode(204)
  remove(@Ctx() ctx: RequestContext, @Param('entityId') id: string): Promise<void> {
    return this.entities.remove(ctx, id);
  }

  @Get('entities/:entityId/schema')
  @ApiOperation({ summary: 'JSON Schema of a record create body for this entity version' })
  schema(@Ctx() ctx: RequestContext, @Param('entityId') id: string): Promise<Record<string, unknown>> {
    return this.entities.recordSchema(ctx, id);
  }

  @Post('entities/:entityId/fields')
  @ApiBody({ schema: fieldSchema })
  addField(@Ctx() ctx: RequestContext, @Param('entityId') id: string, @Body() body: unknown): Promise<EntityDto> {
    return this.fields.addField(ctx, id, body);
  }

  @Patch('entities/:entityId/fields/:key')
  @ApiOperation({ summary: 'Change a field; refuses with row counts and sample ids when existing data does not fit' })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        label: { type: 'string' },
        type: { type: 'string' },
        required: { type: 'boolean' },
        unique: { type: 'boolean' },
        indexed: { type: 'boolean' },
        settings: { type: 'object' },
      },
    },
  })
  updateField(@Ctx() ctx: RequestContext, @Param('entityId') id: string, @Param('key') key: string, @Body() body: unknown): Promise<EntityDto> {
    return this.fields.updateField(ctx, id, key, body);
  }

  @Delete('entities/:entityId/fields/:key')
  @ApiOperation({ summary: 'Remove a field: hidden, data kept, restorable until purge' })
  removeField(@Ctx() ctx: RequestContext, @Param('entityId') id: string, @Param('key') key: string): Promise<EntityDto> {
    return this.fields.removeField(ctx, id, key);
  }

  @Post('entities/:entityId/fields/:key/restore')
  @HttpCode(200)
  restoreField(@Ctx() ctx: RequestContext, @Param('entityId') id: string, @Param('key') key: string): Promise<EntityDto> {
    return this.fields.restoreField(ctx, id, key);
  }

  @Post('entities/:entityId/fields/:key/purge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Drop a removed field and its data for good' })
  purgeField(@Ctx() ctx: RequestContext, @Param('entityId') id: string, @Param('key') key: string): Promise<EntityDto> {
    return this.fields.purgeField(ctx, id, key);
  }
}
