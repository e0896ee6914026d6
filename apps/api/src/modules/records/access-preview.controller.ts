import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ACTIONS } from '@crm/access';
import { ApiOp, defineSchemas, ref, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type AccessPreviewDto, AccessPreviewService, type MyAccessDto } from './access-preview.service';
import './records.openapi';

const scopeTerm = S.obj({ kind: S.str({ enum: ['own', 'department', 'condition'] }), condition: ref('Condition') }, ['kind']);
defineSchemas({
  AccessPreview: S.obj(
    {
      member: S.obj({ id: S.uuid(), name: S.str(), status: S.str({ enum: ['active', 'invited', 'disabled'] }), isAdmin: S.bool() }, [
        'id',
        'name',
        'status',
        'isAdmin',
      ]),
      administers: S.bool({ description: 'workspace admin or admin of this app: everything, unscoped' }),
      visible: S.bool({ description: 'the entity shows up for the member at all' }),
      groups: S.arr(S.obj({ id: S.uuid(), name: S.str() }, ['id', 'name'])),
      actions: S.arr(
        S.obj(
          {
            action: S.str({ enum: [...ACTIONS] }),
            allowed: S.bool(),
            scope: S.obj({ kind: S.str({ enum: ['none', 'all', 'terms'] }), terms: S.arr(scopeTerm) }, ['kind']),
          },
          ['action', 'allowed', 'scope'],
        ),
      ),
      fields: S.arr(
        S.obj({ key: S.str(), label: S.str(), readable: S.bool(), editableOnCreate: S.bool(), editableOnEdit: S.bool() }, [
          'key',
          'label',
          'readable',
          'editableOnCreate',
          'editableOnEdit',
        ]),
      ),
      records: S.nullable(S.obj({ items: S.arr(ref('Record')), count: S.int(), capped: S.bool() }, ['items', 'count', 'capped'])),
    },
    ['member', 'administers', 'visible', 'groups', 'actions', 'fields', 'records'],
  ),
  MyAccess: S.obj(
    {
      administers: S.bool({ description: 'workspace admin or admin of this app: every action, unscoped' }),
      actions: S.obj(Object.fromEntries(ACTIONS.map((a) => [a, S.bool()])), [...ACTIONS], {
        description: 'per action, whether the caller may do it on some record (a row scope may still narrow it to some records)',
      }),
    },
    ['administers', 'actions'],
  ),
});

@ApiTags('permissions')
@Controller('entities/:entityId')
export class AccessPreviewController {
  constructor(private readonly previews: AccessPreviewService) {}

  @Get('my-access')
  @ApiOp({
    summary:
      'What the caller may do with this entity’s records (the web app shows New, Edit, Delete, Import, Export by it); 404 when the entity is not theirs to see',
    ok: ref('MyAccess'),
  })
  mine(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string): Promise<MyAccessDto> {
    return this.previews.mine(ctx, entityId);
  }

  @Get('access-preview')
  @ApiOp({
    summary:
      'View as member (app admins): what a member would see of this entity and may change — actions with their row scope, fields, the first records — computed by the permission code itself',
    ok: ref('AccessPreview'),
    query: {
      memberId: { schema: S.uuid(), required: true, description: 'the member to look through' },
      limit: { schema: S.int({ minimum: 1, maximum: 100 }), description: 'records to show, default 20' },
    },
  })
  preview(
    @Ctx() ctx: RequestContext,
    @Param('entityId') entityId: string,
    @Query('memberId') memberId?: string,
    @Query('limit') limit?: string,
  ): Promise<AccessPreviewDto> {
    return this.previews.preview(ctx, entityId, memberId, limit);
  }
}
