import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ACTIONS, PRESETS } from '@crm/access';
import { Ctx, type RequestContext } from '../../common/request-context';
import { PermissionGroupsService } from './permission-groups.service';
import { ApiAnswer, defineSchemas, ref, S } from '../../common/openapi';

const groupSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    preset: { oneOf: [{ type: 'string', enum: [...PRESETS] }, { type: 'null' }] },
    members: { type: 'array', items: { type: 'string' } },
    departments: { type: 'array', items: { type: 'string' } },
    roles: { type: 'array', items: { type: 'string' } },
    actions: { type: 'array', items: { type: 'string', enum: [...ACTIONS] } },
    rowScope: {
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['all', 'own', 'department', 'condition'] },
        condition: { type: 'object', additionalProperties: true, description: 'json-logic; values may be $user, $user_departments, $today, $now' },
      },
    },
    fields: { type: 'object', additionalProperties: { type: 'object', properties: { visible: { type: 'boolean' }, editable: { type: 'boolean' } } } },
  },
};

defineSchemas({
  PermissionGroupInput: groupSchema as never,
  PermissionGroup: {
    ...groupSchema,
    required: ['id', 'name', 'preset', 'members', 'departments', 'roles', 'actions', 'rowScope', 'fields'],
    properties: { id: S.uuid(), ...groupSchema.properties },
  } as never,
});

@ApiTags('permissions')
@Controller()
export class PermissionGroupsController {
  constructor(private readonly groups: PermissionGroupsService) {}

  @Get('entities/:entityId/permission-groups')
  @ApiOperation({ summary: 'Permission groups of an entity (app admins)' })
  @ApiAnswer(S.items(ref('PermissionGroup')))
  async list(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string) {
    return { items: await this.groups.list(ctx, entityId) };
  }

  @Post('entities/:entityId/permission-groups')
  @ApiOperation({ summary: 'Add a permission group: a preset (submit_only, manage_own, view_all, manage_all) or custom actions, row scope and field rules' })
  @ApiBody({ schema: ref('PermissionGroupInput') as never })
  @ApiAnswer(ref('PermissionGroup'), { status: 201, errors: [409] })
  create(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.groups.create(ctx, entityId, body);
  }

  @Patch('permission-groups/:id')
  @ApiOperation({ summary: 'Change a permission group (app admins)' })
  @ApiBody({ schema: ref('PermissionGroupInput') as never })
  @ApiAnswer(ref('PermissionGroup'), { errors: [409] })
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown) {
    return this.groups.update(ctx, id, body);
  }

  @Delete('permission-groups/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a permission group (app admins)' })
  @ApiAnswer(null)
  remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.groups.remove(ctx, id);
  }
}
