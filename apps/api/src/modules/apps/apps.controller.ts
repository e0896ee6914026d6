import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiOp, ref, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type AppDto, AppsService } from './apps.service';

const A = ref('App');

@ApiTags('apps')
@Controller('apps')
export class AppsController {
  constructor(private readonly apps: AppsService) {}

  @Get()
  @ApiOp({ summary: 'The apps you can open (admins: all)', ok: S.items(A) })
  async list(@Ctx() ctx: RequestContext): Promise<{ items: AppDto[] }> {
    return { items: await this.apps.list(ctx) };
  }

  @Post()
  @ApiOp({
    summary: 'Create an app (workspace admins)',
    status: 201,
    ok: A,
    errors: [409],
    body: S.obj({ key: S.str({ pattern: '^[a-z][a-z0-9_]{0,47}$' }), name: S.str({ maxLength: 200 }), description: S.str({ maxLength: 2000 }) }, [
      'key',
      'name',
    ]),
  })
  create(@Ctx() ctx: RequestContext, @Body() body: unknown): Promise<AppDto> {
    return this.apps.create(ctx, body);
  }

  @Get(':appId')
  @ApiOp({ summary: 'One app', ok: A })
  get(@Ctx() ctx: RequestContext, @Param('appId') id: string): Promise<AppDto> {
    return this.apps.getOrThrow(ctx, id);
  }

  @Patch(':appId')
  @ApiOp({
    summary: 'Rename or describe an app (its admins)',
    ok: A,
    body: S.obj({ name: S.str({ minLength: 1, maxLength: 200 }), description: S.str({ maxLength: 2000 }) }),
  })
  update(@Ctx() ctx: RequestContext, @Param('appId') id: string, @Body() body: unknown): Promise<AppDto> {
    return this.apps.update(ctx, id, body);
  }

  @Delete(':appId')
  @HttpCode(204)
  @ApiOp({ summary: 'Delete an app', ok: null, errors: [409] })
  remove(@Ctx() ctx: RequestContext, @Param('appId') id: string): Promise<void> {
    return this.apps.remove(ctx, id);
  }
}
