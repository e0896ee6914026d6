import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type CrmRequest, Ctx, Public, type RequestContext } from '../../common/request-context';
import { AuthService, type Me, SESSION_COOKIE } from './auth.service';

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
    const { token, expiresAt, me } = await this.auth.loginOrThrow({ email: body?.email, password: body?.password, ip: req.ip ?? '' });
    res.cookie(SESSION_COOKIE, token, this.auth.cookieOptions(expiresAt));
    return me;
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(ctx.actor);
    res.clearCookie(SESSION_COOKIE, this.auth.cookieOptions());
  }

  @Get('me')
  async me(@Req() req: CrmRequest): Promise<Me> {
    const token = (req.cookies as Record<string, string>)[SESSION_COOKIE];
    return (await this.auth.actorForToken(token))!.me;
  }
}
