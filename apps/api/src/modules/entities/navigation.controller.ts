import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiOp, ref } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type Navigation, NavigationService } from './navigation.service';

const NAV = ref('Navigation');

@ApiTags('apps')
@Controller('apps/:appId/navigation')
export class NavigationController {
  constructor(private readonly navigation: NavigationService) {}

  @Get()
  @ApiOp({ summary: "The app's menu: entities in groups and order (only those you may open; unplaced ones last)", ok: NAV })
  get(@Ctx() ctx: RequestContext, @Param('appId') appId: string): Promise<Navigation> {
    return this.navigation.getOrThrow(ctx, appId);
  }

  @Put()
  @ApiOp({ summary: "Replace the app's menu (its admins)", ok: NAV, body: NAV })
  replace(@Ctx() ctx: RequestContext, @Param('appId') appId: string, @Body() body: unknown): Promise<Navigation> {
    return this.navigation.replaceOrThrow(ctx, appId, body);
  }
}
