import { Body, Controller, Get, HttpCode, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { clientIpOf, type CrmRequest, Ctx, Public, type RequestContext } from '../../common/request-context';
import { AccountService } from './account.service';
import { AuthService, CSRF_COOKIE, type Me, SESSION_COOKIE } from './auth.service';
import { ApiAnswer, ApiOp, defineSchemas, ref, S } from '../../common/openapi';
import { PROFILE_LANGUAGES, ProfileService } from './profile.service';

defineSchemas({
  Me: S.obj(
    {
      user: S.obj(
        {
          id: S.uuid(),
          email: S.nullable(S.str()),
          name: S.str(),
          isAdmin: S.bool(),
          language: S.nullable(S.str({ enum: [...PROFILE_LANGUAGES], description: 'the UI language of my profile; null: the browser decides' })),
        },
        ['id', 'email', 'name', 'isAdmin', 'language'],
      ),
      workspace: S.obj({ id: S.uuid(), name: S.str() }, ['id', 'name']),
    },
    ['user', 'workspace'],
  ),
});

const linkBody = {
  schema: {
    type: 'object',
    required: ['token', 'password'],
    properties: { token: { type: 'string', description: 'The last part of the link' }, password: { type: 'string', minLength: 8 } },
  },
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly account: AccountService,
    private readonly profile: ProfileService,
  ) {}

  @Public()
  @Post('login')
  @ApiOperation({ summary: 'Sign in', security: [] })
  @HttpCode(200)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['email', 'password'],
      properties: {
        email: { type: 'string', description: 'Email or username' },
        username: { type: 'string', description: 'Alternative to email' },
        password: { type: 'string' },
      },
    },
  })
  @ApiAnswer(ref('Me'), { public: true, errors: [429] })
  async login(
    @Body() body: { email?: unknown; username?: unknown; password?: unknown } | undefined,
    @Req() req: CrmRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Me> {
    const { token, csrf, expiresAt, me } = await this.auth.loginOrThrow({
      email: body?.email ?? body?.username,
      password: body?.password,
      ip: clientIpOf(req),
      requestId: req.requestId ?? '',
    });
    res.cookie(SESSION_COOKIE, token, this.auth.cookieOptions(expiresAt));
    res.cookie(CSRF_COOKIE, csrf, this.auth.cookieOptions(expiresAt, false));
    return me;
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends this session' })
  @ApiAnswer(null)
  async logout(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(ctx);
    res.clearCookie(SESSION_COOKIE, this.auth.cookieOptions());
    res.clearCookie(CSRF_COOKIE, this.auth.cookieOptions(undefined, false));
  }

  @Post('logout-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'End every session of the signed-in member, on every device' })
  @ApiAnswer(S.obj({ sessionsEnded: S.int() }, ['sessionsEnded']))
  async logoutAll(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: Response): Promise<{ sessionsEnded: number }> {
    const n = await this.auth.logoutEverywhere(ctx);
    res.clearCookie(SESSION_COOKIE, this.auth.cookieOptions());
    res.clearCookie(CSRF_COOKIE, this.auth.cookieOptions(undefined, false));
    return { sessionsEnded: n };
  }

  @Public()
  @Post('invite/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invite: set a password; the member becomes active (the link works once, for 7 days)', security: [] })
  @ApiBody(linkBody)
  @ApiAnswer(S.obj({ userId: S.uuid(), email: S.nullable(S.str()), username: S.nullable(S.str()) }, ['userId', 'email', 'username']), { public: true })
  acceptInvite(@Body() body: unknown, @Req() req: CrmRequest): Promise<{ userId: string; email: string | null; username: string | null }> {
    return this.account.acceptLink('invite', body, { ip: clientIpOf(req), requestId: req.requestId ?? '' });
  }

  @Public()
  @Post('reset')
  @HttpCode(200)
  @ApiOperation({ summary: "Set a new password through a reset link (works once, for 24 hours); ends the member's sessions", security: [] })
  @ApiBody(linkBody)
  @ApiAnswer(S.obj({ userId: S.uuid(), email: S.nullable(S.str()), username: S.nullable(S.str()) }, ['userId', 'email', 'username']), { public: true })
  resetPassword(@Body() body: unknown, @Req() req: CrmRequest): Promise<{ userId: string; email: string | null; username: string | null }> {
    return this.account.acceptLink('reset', body, { ip: clientIpOf(req), requestId: req.requestId ?? '' });
  }

  @Post('password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change my password (wrong current password: 401); ends my other sessions' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['currentPassword', 'newPassword'],
      properties: { currentPassword: { type: 'string' }, newPassword: { type: 'string', minLength: 8 } },
    },
  })
  @ApiAnswer(S.obj({ sessionsEnded: S.int() }, ['sessionsEnded']))
  changePassword(@Ctx() ctx: RequestContext, @Body() body: unknown): Promise<{ sessionsEnded: number }> {
    return this.account.changePassword(ctx, body);
  }

  @Get('me')
  @ApiOperation({ summary: 'Who is signed in' })
  @ApiAnswer(ref('Me'))
  me(@Ctx() ctx: RequestContext): Promise<Me> {
    return this.profile.me(ctx);
  }

  @Patch('me')
  @ApiOp({
    summary: 'Change my profile: display name, UI language (null: follow the browser)',
    ok: ref('Me'),
    body: S.obj({ name: S.str({ minLength: 1, maxLength: 200 }), language: S.nullable(S.str({ enum: [...PROFILE_LANGUAGES] })) }),
  })
  updateMe(@Ctx() ctx: RequestContext, @Body() body: unknown): Promise<Me> {
    return this.profile.updateMe(ctx, body);
  }
}
