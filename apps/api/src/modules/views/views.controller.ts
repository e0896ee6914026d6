import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiOp, ref, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type ViewDto, ViewsService } from './views.service';

import './views.openapi';

const V = ref('View');
const body = (required: string[]) =>
  S.obj(
    {
      name: S.str({ minLength: 1, maxLength: 200 }),
      kind: S.str({ enum: ['table', 'kanban', 'calendar'] }),
      config: ref('ViewConfig'),
      shared: S.bool({ description: 'admins only: every member who can see the entity gets the view' }),
      position: S.int({ minimum: 0, maximum: 10_000 }),
    },
    required,
  );

@ApiTags('views')
@Controller()
export class ViewsController {
  constructor(private readonly views: ViewsService) {}

  @Get('entities/:entityId/views')
  @ApiOp({ summary: 'Saved views of an entity: the shared ones, then your own', ok: S.items(V) })
  list(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string): Promise<{ items: ViewDto[] }> {
    return this.views.list(ctx, entityId);
  }

  @Post('entities/:entityId/views')
  @ApiOp({ summary: 'Save a view (your own; `shared` for admins)', status: 201, ok: V, body: body(['name']) })
  create(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() b: unknown): Promise<ViewDto> {
    return this.views.create(ctx, entityId, b);
  }

  @Patch('views/:viewId')
  @ApiOp({ summary: 'Change a view (yours, or a shared one as an admin)', ok: V, body: body([]) })
  update(@Ctx() ctx: RequestContext, @Param('viewId') id: string, @Body() b: unknown): Promise<ViewDto> {
    return this.views.update(ctx, id, b);
  }

  @Delete('views/:viewId')
  @HttpCode(204)
  @ApiOp({ summary: 'Delete a view (yours, or a shared one as an admin)', ok: null })
  remove(@Ctx() ctx: RequestContext, @Param('viewId') id: string): Promise<void> {
    return this.views.remove(ctx, id);
  }
}
