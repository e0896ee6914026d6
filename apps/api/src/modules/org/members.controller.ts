import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type InviteResult, type MemberDto, MembersService, type ResetResult } from './members.service';
import { ApiAnswer, ref, S } from '../../common/openapi';
import './org.openapi';

const ids = { type: 'array', items: { type: 'string' } };

@ApiTags('members')
@Controller('members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @ApiOperation({
    summary: 'Members of the workspace with their departments and roles',
    description:
      'Without parameters the whole directory (nextCursor null). With `q` (in the name, email or user name, case-insensitive), `status`, `limit` (1–200, default 50) or `cursor`: one page by name, searched on the server (the member pickers).',
  })
  @ApiQuery({ name: 'q', required: false, schema: { type: 'string', maxLength: 100 } })
  @ApiQuery({ name: 'status', required: false, schema: { type: 'string', enum: ['active', 'invited', 'disabled'] } })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200 } })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' } })
  @ApiAnswer(S.page(ref('Member')))
  list(@Ctx() ctx: RequestContext, @Query() q: Record<string, unknown>): Promise<{ items: MemberDto[]; nextCursor: string | null }> {
    return this.members.search(ctx, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One member' })
  @ApiAnswer(ref('Member'))
  get(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<MemberDto> {
    return this.members.getOrThrow(ctx, id);
  }

  @Post()
  @ApiOperation({
    summary: 'Invite a member (workspace admins)',
    description:
      'With `password` the member is active at once; without, the member is `invited` and `inviteUrl` (shown once, valid 7 days) lets them set one. Links use PUBLIC_URL only.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name'],
      properties: {
        email: { type: 'string' },
        username: { type: 'string' },
        name: { type: 'string' },
        password: { type: 'string', minLength: 8 },
        isAdmin: { type: 'boolean' },
        departmentIds: ids,
        roleIds: ids,
      },
    },
  })
  @ApiAnswer(ref('InviteResult'), { status: 201, errors: [409] })
  invite(@Ctx() ctx: RequestContext, @Body() body: unknown): Promise<InviteResult> {
    return this.members.invite(ctx, body);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a member (workspace admins): name, admin flag, departments, roles, status; disabling ends their sessions and tokens at once',
  })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        isAdmin: { type: 'boolean' },
        departmentIds: ids,
        roleIds: ids,
        status: { type: 'string', enum: ['active', 'disabled'] },
      },
    },
  })
  @ApiAnswer(ref('Member'), { errors: [409] })
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown): Promise<MemberDto> {
    return this.members.update(ctx, id, body);
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOperation({ summary: "Reset a member's password (workspace admins): set `password`, or get a one-use `resetUrl` (24 hours); ends the member's sessions" })
  @ApiBody({ required: false, schema: { type: 'object', properties: { password: { type: 'string', minLength: 8 } } } })
  @ApiAnswer(ref('ResetResult'))
  resetPassword(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown): Promise<ResetResult> {
    return this.members.resetPassword(ctx, id, body);
  }
}
