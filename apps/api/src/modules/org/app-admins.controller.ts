import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type AppAdminsDto, AppAdminsService } from './app-admins.service';
import { ApiAnswer, ref } from '../../common/openapi';
import './org.openapi';

@ApiTags('apps')
@Controller('apps/:appId/admins')
export class AppAdminsController {
  constructor(private readonly admins: AppAdminsService) {}

  @Get()
  @ApiOperation({ summary: 'Admins of an app' })
  @ApiAnswer(ref('AppAdmins'))
  get(@Ctx() ctx: RequestContext, @Param('appId') appId: string): Promise<AppAdminsDto> {
    return this.admins.get(ctx, appId);
  }

  @Put()
  @ApiOperation({ summary: 'Replace the admins of an app (workspace admins)' })
  @ApiBody({ schema: { type: 'object', required: ['userIds'], properties: { userIds: { type: 'array', items: { type: 'string' } } } } })
  @ApiAnswer(ref('AppAdmins'))
  set(@Ctx() ctx: RequestContext, @Param('appId') appId: string, @Body() body: unknown): Promise<AppAdminsDto> {
    return this.admins.set(ctx, appId, body);
  }
}
