import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiOp, ref, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { APP_COLOR_PATTERN, APP_ICON_PATTERN, type AppDto, AppsService } from './apps.service';

const looks = { icon: S.nullable(S.str({ pattern: APP_ICON_PATTERN })), color: S.nullable(S.str({ pattern: APP_COLOR_PATTERN })) };

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
    body: S.obj({ key: S.str({ pattern: '^[a-z][a-z0-9_]{0,47}$' }), name: S.str({ maxLength: 200 }), description: S.str({ maxLength: 2000 }), ...looks }, [
      'key',
      'name',
    ]),
  })
  create(@Ctx() ctx: RequestContext, @Body() body: unknown): Promise<AppDto> {
    return this.apps.create(ctx, body);
  }

  @Put('order')
  @ApiOp({
    summary: 'Order the apps on the workspace home (workspace admins): every live app once',
    ok: S.items(A),
    body: S.obj({ appIds: S.arr(S.uuid()) }, ['appIds']),
  })
  async reorder(@Ctx() ctx: RequestContext, @Body() body: unknown): Promise<{ items: AppDto[] }> {
    return { items: await this.apps.reorder(ctx, body) };
  }

  @Get(':appId')
  @ApiOp({ summary: 'One app', ok: A })
  get(@Ctx() ctx: RequestContext, @Param('appId') id: string): Promise<AppDto> {
    return this.apps.getOrThrow(ctx, id);
  }

  @Patch(':appId')
  @ApiOp({
    summary: 'Rename, describe or restyle an app: name, description, icon, colour (its admins)',
    ok: A,
    body: S.obj({ name: S.str({ minLength: 1, maxLength: 200 }), description: S.str({ maxLength: 2000 }), ...looks }),
  })
  update(@Ctx() ctx: RequestContext, @Param('appId') id: string, @Body() body: unknown): Promise<AppDto> {
    return this.apps.update(ctx, id, body);
  }

  @Delete(':appId')
  @HttpCode(204)
  @ApiOp({ summary: 'Delete an app: it goes to the trash with its entities (GET /api/trash/apps)', ok: null, errors: [409] })
  remove(@Ctx() ctx: RequestContext, @Param('appId') id: string): Promise<void> {
    return this.apps.remove(ctx, id);
  }
}

/** The trash of apps (workspace admins): list and restore. */
@ApiTags('apps')
@Controller('trash/apps')
export class AppsTrashController {
  constructor(private readonly apps: AppsService) {}

  @Get()
  @ApiOp({ summary: 'Deleted apps, the latest first (workspace admins)', ok: S.items(A) })
  async list(@Ctx() ctx: RequestContext): Promise<{ items: AppDto[] }> {
    return { items: await this.apps.trash(ctx) };
  }

  @Post(':appId/restore')
  @HttpCode(200)
  @ApiOp({ summary: 'Restore an app from the trash, with the entities deleted with it', ok: A })
  restore(@Ctx() ctx: RequestContext, @Param('appId') id: string): Promise<AppDto> {
    return this.apps.restore(ctx, id);
  }
}
