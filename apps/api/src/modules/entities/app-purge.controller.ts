import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiOp, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { AppPurgeService } from './app-purge.service';

/** Deleting an app from the trash forever (workspace admins): its entities' tables are dropped. */
@ApiTags('apps')
@Controller('trash/apps')
export class AppPurgeController {
  constructor(private readonly purge: AppPurgeService) {}

  @Post(':appId/purge')
  @HttpCode(204)
  @ApiOp({
    summary: "Delete an app in the trash forever, with its entities' records and tables; confirm with the app's key",
    ok: null,
    errors: [409],
    body: S.obj({ key: S.str({ maxLength: 48 }) }, ['key']),
  })
  purgeForever(@Ctx() ctx: RequestContext, @Param('appId') id: string, @Body() body: unknown): Promise<void> {
    return this.purge.purgeOrThrow(ctx, id, body);
  }
}
