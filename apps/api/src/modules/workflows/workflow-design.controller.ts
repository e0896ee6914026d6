import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiOp, ref, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { WorkflowDesignService } from './workflow-design.service';
import './workflows.openapi';

const version = { version: S.int({ minimum: 1 }) };

/** The workflow designer's routes (workspace admins and the entity's app admins). */
@ApiTags('workflows')
@Controller()
export class WorkflowDesignController {
  constructor(private readonly design: WorkflowDesignService) {}

  @Get('entities/:entityId/workflows')
  @ApiOp({ summary: 'The workflows of an entity (designers)', ok: S.items(ref('Workflow')) })
  list(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string) {
    return this.design.list(ctx, entityId);
  }

  @Post('entities/:entityId/workflows')
  @ApiOp({
    summary: 'A new workflow with its first draft (the graph given, or start → end); a graph with problems is saved with them',
    body: ref('WorkflowInput'),
    ok: ref('WorkflowDetail'),
    status: 201,
    errors: [409],
  })
  create(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.design.create(ctx, entityId, body);
  }

  @Get('workflows/:workflowId')
  @ApiOp({ summary: 'A workflow: its draft with its problems, and the version list', ok: ref('WorkflowDetail') })
  get(@Ctx() ctx: RequestContext, @Param('workflowId') id: string) {
    return this.design.get(ctx, id);
  }

  @Patch('workflows/:workflowId')
  @ApiOp({ summary: 'Rename a workflow, or change when it starts', body: ref('WorkflowInput'), ok: ref('WorkflowDetail'), errors: [409] })
  update(@Ctx() ctx: RequestContext, @Param('workflowId') id: string, @Body() body: unknown) {
    return this.design.update(ctx, id, body);
  }

  @Delete('workflows/:workflowId')
  @HttpCode(204)
  @ApiOp({ summary: 'Delete a workflow no instance ever ran on (409 WORKFLOW_IN_USE otherwise: retire it)', ok: null, errors: [409] })
  remove(@Ctx() ctx: RequestContext, @Param('workflowId') id: string) {
    return this.design.remove(ctx, id);
  }

  @Put('workflows/:workflowId/draft')
  @ApiOp({
    summary: 'Save the draft graph; its problems are stored and answered (a draft with problems saves, publishing refuses it)',
    body: S.obj({ graph: ref('WorkflowGraph') }, ['graph']),
    ok: ref('WorkflowDetail'),
  })
  saveDraft(@Ctx() ctx: RequestContext, @Param('workflowId') id: string, @Body() body: unknown) {
    return this.design.saveDraft(ctx, id, body);
  }

  @Post('workflows/:workflowId/validate')
  @HttpCode(200)
  @ApiOp({
    summary: 'The problems of a graph (the one sent, or the stored draft), each on its node or edge; nothing is stored',
    body: S.obj({ graph: ref('WorkflowGraph') }),
    bodyOptional: true,
    ok: S.obj({ valid: S.bool(), problems: S.arr(ref('GraphProblem')) }, ['valid', 'problems']),
    errors: [409],
  })
  validate(@Ctx() ctx: RequestContext, @Param('workflowId') id: string, @Body() body: unknown) {
    return this.design.validate(ctx, id, body);
  }

  @Post('workflows/:workflowId/publish')
  @HttpCode(200)
  @ApiOp({
    summary: 'Publish the draft (400 INVALID_GRAPH with `problems` while it has any); the published version is retired, running instances keep theirs',
    ok: S.obj({ version: S.int(), retired: S.arr(S.int()), publishedAt: S.time() }, ['version', 'retired', 'publishedAt']),
    errors: [409],
  })
  publish(@Ctx() ctx: RequestContext, @Param('workflowId') id: string) {
    return this.design.publish(ctx, id);
  }

  @Post('workflows/:workflowId/retire')
  @HttpCode(200)
  @ApiOp({
    summary: 'Retire the published version: new records start nothing; running instances finish on it',
    ok: S.obj({ retired: S.int() }, ['retired']),
    errors: [409],
  })
  retire(@Ctx() ctx: RequestContext, @Param('workflowId') id: string) {
    return this.design.retire(ctx, id);
  }

  @Get('workflows/:workflowId/versions')
  @ApiOp({ summary: 'The versions of a workflow, newest first', ok: S.items(ref('WorkflowVersionSummary')) })
  versions(@Ctx() ctx: RequestContext, @Param('workflowId') id: string) {
    return this.design.versions(ctx, id);
  }

  @Get('workflows/:workflowId/versions/:version')
  @ApiOp({
    summary: 'One version with its graph; `diffFrom` adds what changed since that version',
    query: { diffFrom: { schema: S.int({ minimum: 1 }), description: 'another version of the workflow' } },
    params: version,
    ok: ref('WorkflowVersion'),
  })
  version(@Ctx() ctx: RequestContext, @Param('workflowId') id: string, @Param('version') v: string, @Query('diffFrom') diffFrom?: string) {
    return this.design.version(ctx, id, v, diffFrom);
  }
}
