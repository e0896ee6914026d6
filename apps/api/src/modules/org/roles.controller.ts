import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type RoleDetailDto, type RoleDto, RolesService } from './roles.service';
import { ApiAnswer, ref, S } from '../../common/openapi';
import './org.openapi';

const userIds = { type: 'array', items: { type: 'string' } };

@ApiTags('roles')
@Controller('roles')
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Get()
  @ApiOperation({ summary: 'Roles of the workspace with member counts' })
  @ApiAnswer(S.items(ref('Role')))
  async list(@Ctx() ctx: RequestContext): Promise<{ items: RoleDto[] }> {
    return { items: await this.roles.list(ctx) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One role with its member ids' })
  @ApiAnswer(ref('Role'))
  get(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<RoleDetailDto> {
    return this.roles.getOrThrow(ctx, id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a role (workspace admins); names are unique, case-insensitively' })
  @ApiBody({ schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, userIds } } })
  @ApiAnswer(ref('Role'), { status: 201, errors: [409] })
  create(@Ctx() ctx: RequestContext, @Body() body: unknown): Promise<RoleDetailDto> {
    return this.roles.create(ctx, body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a role (workspace admins)' })
  @ApiBody({ schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } })
  @ApiAnswer(ref('Role'), { errors: [409] })
  rename(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown): Promise<RoleDetailDto> {
    return this.roles.rename(ctx, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a role and its memberships (workspace admins)' })
  @ApiAnswer(null)
  remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.roles.remove(ctx, id);
  }

  @Put(':id/members')
  @ApiOperation({ summary: "Replace the role's members (workspace admins); a member may have several roles" })
  @ApiBody({ schema: { type: 'object', required: ['userIds'], properties: { userIds } } })
  @ApiAnswer(ref('Role'))
  setMembers(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown): Promise<RoleDetailDto> {
    return this.roles.setMembers(ctx, id, body);
  }
}
