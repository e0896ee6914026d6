import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiOp, defineSchemas, ref, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type SearchGroup, type SearchQuery, SearchService } from './search.service';

defineSchemas({
  SearchResults: S.obj(
    {
      groups: S.arr(
        S.obj(
          {
            entityId: S.str(),
            entityName: S.str(),
            items: S.arr(S.obj({ id: S.int({ minimum: 1 }), title: S.str(), matched: S.arr(S.str()) }, ['id', 'title', 'matched'])),
            nextCursor: S.nullable(S.str()),
          },
          ['entityId', 'entityName', 'items', 'nextCursor'],
        ),
      ),
    },
    ['groups'],
  ),
});

@ApiTags('search')
@Controller('apps/:appId')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('search')
  @ApiOp({
    summary: 'Search the text fields you may read across the records of an app you may view, grouped by entity (newest first)',
    ok: ref('SearchResults'),
    query: {
      q: { schema: S.str({ minLength: 1, maxLength: 100 }), required: true, description: 'text to find (case-insensitive, anywhere in a field)' },
      limit: { schema: S.int({ minimum: 1, maximum: 20 }), description: 'hits per entity, default 5' },
      entityId: { schema: S.str(), description: 'only this entity (to page it with cursor)' },
      cursor: { schema: S.str(), description: 'the nextCursor of that entity’s group' },
    },
  })
  find(@Ctx() ctx: RequestContext, @Param('appId') appId: string, @Query() q: SearchQuery): Promise<{ groups: SearchGroup[] }> {
    return this.search.search(ctx, appId, q);
  }
}
