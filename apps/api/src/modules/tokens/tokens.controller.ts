import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type TokenDto, TokensService } from './tokens.service';
import { ApiAnswer, defineSchemas, ref, S } from '../../common/openapi';

const TOKEN_PROPS = {
  id: S.uuid(),
  name: S.str(),
  userId: S.uuid(),
  appIds: S.nullable(S.arr(S.uuid())),
  readOnly: S.bool(),
  createdAt: S.time(),
  expiresAt: S.nullable(S.time()),
  lastUsedAt: S.nullable(S.time()),
  revokedAt: S.nullable(S.time()),
};
const TOKEN_REQUIRED = Object.keys(TOKEN_PROPS);
defineSchemas({ Token: S.obj(TOKEN_PROPS, TOKEN_REQUIRED) });

@ApiTags('tokens')
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @ApiOperation({
    summary: 'Create an API token (signed-in session only)',
    description:
      'The secret (`crm_…`) is in this answer only; it is stored as a hash. Use it as `Authorization: Bearer crm_…`; it acts with your permissions, narrowed to `appIds` and to reads when `readOnly`.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        appIds: { type: 'array', items: { type: 'string' } },
        readOnly: { type: 'boolean' },
        expiresAt: { type: 'string', format: 'date-time' },
      },
    },
  })
  @ApiAnswer(S.obj({ ...TOKEN_PROPS, token: S.str({ description: 'crm_…: shown this once' }) }, [...TOKEN_REQUIRED, 'token']), { status: 201 })
  create(@Ctx() ctx: RequestContext, @Body() body: unknown): Promise<TokenDto & { token: string }> {
    return this.tokens.create(ctx, body);
  }

  @Get()
  @ApiOperation({ summary: 'My API tokens (never the secret), with last use; admins may pass userId' })
  @ApiQuery({ name: 'userId', required: false })
  @ApiAnswer(S.items(ref('Token')))
  async list(@Ctx() ctx: RequestContext, @Query('userId') userId?: string): Promise<{ items: TokenDto[] }> {
    return { items: await this.tokens.list(ctx, userId || undefined) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API token (mine; admins: any of the workspace); it stops at once' })
  @ApiAnswer(null)
  revoke(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.tokens.revoke(ctx, id);
  }
}
