import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiOp, defineSchemas, ref, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { parseRecordIdOrThrow } from '../records/records-query.service';
import { COMMENT_MAX, CommentsService, MENTIONS_MAX } from './comments.service';

defineSchemas({
  RecordComment: S.obj(
    {
      id: S.uuid(),
      authorId: S.uuid(),
      body: S.str({ maxLength: COMMENT_MAX }),
      mentions: S.arr(S.uuid(), { description: 'members @mentioned (each got a `mentioned` notification)' }),
      createdAt: S.time(),
    },
    ['id', 'authorId', 'body', 'mentions', 'createdAt'],
  ),
});

const C = ref('RecordComment');
const params = { id: S.int({ minimum: 1, description: 'record id' }) };

/** Comments on a record: whoever may read the record reads and adds them; the author deletes their own. */
@ApiTags('comments')
@Controller('entities/:entityId/records/:id/comments')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Get()
  @ApiOp({
    summary: "A record's comments, oldest first (keyset cursor)",
    ok: S.page(C),
    params,
    query: { cursor: { schema: S.str() }, limit: { schema: S.int({ minimum: 1, maximum: 200 }), description: 'default 50' } },
  })
  list(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string, @Query() q: Record<string, unknown>) {
    return this.comments.list(ctx, entityId, parseRecordIdOrThrow(id), q);
  }

  @Post()
  @ApiOp({
    summary: 'Comment on a record; each member in `mentions` gets an in-app notification (`mentioned`)',
    status: 201,
    ok: C,
    params,
    body: S.obj(
      {
        body: S.str({ minLength: 1, maxLength: COMMENT_MAX }),
        mentions: S.arr(S.uuid(), {
          maxItems: MENTIONS_MAX,
          description: 'ids of active members of the workspace who may read the record (400 `cannot_read` at `/mentions/<i>` naming one who may not)',
        }),
      },
      ['body'],
    ),
  })
  add(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string, @Body() body: unknown) {
    return this.comments.add(ctx, entityId, parseRecordIdOrThrow(id), body);
  }

  @Get('mentionable')
  @ApiOp({
    summary: 'Members a comment on this record may @mention: active, not you, able to read the record; `q` searches name, email and user name (at most 20)',
    ok: S.items(S.obj({ id: S.uuid(), name: S.str(), email: S.nullable(S.str()) }, ['id', 'name', 'email'])),
    params,
    query: { q: { schema: S.str({ maxLength: 100 }) } },
  })
  mentionable(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string, @Query() q: Record<string, unknown>) {
    return this.comments.mentionable(ctx, entityId, parseRecordIdOrThrow(id), q);
  }

  @Delete(':commentId')
  @HttpCode(204)
  @ApiOp({ summary: 'Delete your own comment (403 for anyone else’s)', ok: null, params: { ...params, commentId: S.uuid() } })
  remove(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('id') id: string, @Param('commentId') commentId: string): Promise<void> {
    return this.comments.remove(ctx, entityId, parseRecordIdOrThrow(id), commentId);
  }
}
