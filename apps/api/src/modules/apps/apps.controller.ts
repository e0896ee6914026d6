import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type AppDto, AppsService } from './apps.service';

const appBody = {
  schema: {
    type: 'object',
    required: ['key', 'name'],
    properties: { key: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,47}$' }, name: { type: 'string' }, description: { type: 'string' } },
  },
};

@ApiTags('apps')
@Controller('apps')
export class AppsController {
  constructor(private readonly apps: AppsService) {}

  @Get()
  async list(@Ctx() ctx: RequestContext): Promise<{ items: AppDto[] }> {
    return { items: await this.apps.list(ctx) };
  }

  @Post()
  @ApiBody(appBody)
  create(@Ctx() ctx: RequestContext, @Body() body: unknown): Promise<AppDto> {
    return this.apps.create(ctx, body);
  }

  @Get(':appId')
  get(@Ctx() ctx: RequestContext, @Param('appId') id: string): Promise<AppDto> {
    return this.apps.getOrThrow(ctx, id);
  }

  @Patch(':appId')
  @ApiBody({ schema: { type: 'object', properties: { name: { type: 'string' }, description: { type: 'string' } } } })
  update(@Ctx() ctx: RequestContext, @Param('appId') id: string, @Body() body: unknown): Promise<AppDto> {
    return this.apps.update(ctx, id, body);
  }

  @Delete(':appId')
  @HttpCode(204)
  remove(@Ctx() ctx: RequestContext, @Param('appId') id: string): Promise<void> {
    return this.apps.remove(ctx, id);
  }
}
