import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiOp, defineSchemas, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { NotificationsService } from './notifications.service';

defineSchemas({
  Notification: S.obj(
    {
      id: S.int(),
      kind: S.str({ description: 'task, returned, finished, urged, cc, transferred, reminder, failed' }),
      sourceType: S.str({ description: 'workflow_instance' }),
      sourceId: S.nullable(S.str()),
      data: S.obj({}, [], { additionalProperties: true, description: 'ids to link to: instanceId, taskId, nodeId, workflowId, entityId, recordId' }),
      createdAt: S.time(),
      readAt: S.nullable(S.time()),
    },
    ['id', 'kind', 'sourceType', 'sourceId', 'data', 'createdAt', 'readAt'],
  ),
});

/** The signed-in member's own in-app notifications. */
@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOp({
    summary: 'My notifications, newest first (keyset: `before` = the last id seen)',
    query: {
      unread: { schema: S.str({ enum: ['true', 'false'] }) },
      before: { schema: S.int({ minimum: 1 }) },
      limit: { schema: S.int({ minimum: 1, maximum: 200 }) },
    },
    ok: S.page({ $ref: '#/components/schemas/Notification' }),
  })
  list(@Ctx() ctx: RequestContext, @Query() q: Record<string, unknown>) {
    return this.notifications.list(ctx, q);
  }

  @Get('unread-count')
  @ApiOp({ summary: 'How many of my notifications are unread (one query, always right)', ok: S.obj({ unread: S.int() }, ['unread']) })
  unread(@Ctx() ctx: RequestContext) {
    return this.notifications.unreadCount(ctx);
  }

  @Post('read')
  @HttpCode(200)
  @ApiOp({
    summary: 'Mark my notifications read: `ids`, or `all: true`',
    body: S.obj({ ids: S.arr(S.int()), all: S.bool() }),
    ok: S.obj({ marked: S.int(), unread: S.int() }, ['marked', 'unread']),
  })
  read(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.notifications.markRead(ctx, body);
  }
}
