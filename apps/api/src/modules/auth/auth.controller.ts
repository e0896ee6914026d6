import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type CrmRequest, Ctx, Public, type RequestContext } from '../../common/request-context';
import { AuthService, CSRF_COOKIE, type Me, SESSION_COOKIE } from './auth.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @ApiOperation({ summary: 'Sign in', security: [] })
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', required: ['email', 'password'], properties: { email: { type: 'string' }, password: { type: 'string' } } } })
  @ApiOkResponse({ description: 'Signed in; sets the httpOnly `sid` cookie' })
  async login(@Body() body: { email?: unknown; password?: unknown } | undefined, @Req() req: CrmRequest, @Res({ passthrough: true }) res: Response): Promise<Me> {
    const { token, csrf, expiresAt, me } = await this.auth.loginOrThrow({ email: body?.email, password: body?.password, ip: req.ip ?? '', requestId: req.requestId ?? '' });
    res.cookie(SESSION_COOKIE, token, this.auth.cookieOptions(expiresAt));
    res.cookie(CSRF_COOKIE, csrf, this.auth.cookieOptions(expiresAt, false));
    return me;
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(ctx);
    res.clearCookie(SESSION_COOKIE, this.auth.cookieOptions());
    res.clearCookie(CSRF_COOKIE, this.auth.cookieOptions(undefined, false));
  }

  @Post('logout-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'End every session of the signed-in member, on every device' })
  async logoutAll(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response): Promise<{ sessionsEnded: number }> {
    const n = await this.auth.logoutEverywhere(ctx);
    res.clearCookie(SESSION_COOKIE, this.auth.cookieOptions());
    res.clearCookie(CSRF_COOKIE, this.auth.cookieOptions(undefined, false));
    return { sessionsEnded: n };
  }

  @Get('me')
  me(@Ctx() ctx: RequestContext): Me {
    const a = ctx.actor;
    return { user: { id: a.userId, email: a.email, name: a.name, isAdmin: a.isAdmin }, workspace: { id: a.workspaceId, name: a.workspaceName } };
  }
}
