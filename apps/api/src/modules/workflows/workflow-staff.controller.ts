import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { ApiOp, ref, S } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { WorkflowInstancesService } from './workflow-instances.service';
import { type TaskAction, WorkflowTasksService } from './workflow-tasks.service';
import './workflow-staff.openapi';

const commentBody = S.obj({ comment: S.str({ maxLength: 2000 }), signature: S.str({ description: 'data:image/png;base64,… (≤ 128 KiB)' }) });
const after = ref('WorkflowActionResult');
const decided = [409];

/** A decision may carry an `Idempotency-Key` (a repeat with the same key is the same decision); it is optional. */
const IdempotencyKey = () => ApiHeader({ name: 'idempotency-key', required: false, description: 'the same key again answers as the first decision did' });

/** The staff side of workflows: the inbox, tasks and their decisions, instances, the submitter's and admins' actions. */
@ApiTags('workflow runtime')
@Controller()
export class WorkflowStaffController {
  constructor(
    private readonly tasks: WorkflowTasksService,
    private readonly instances: WorkflowInstancesService,
  ) {}

  @Get('workflow-inbox')
  @ApiOp({
    summary: 'My inbox: `todo` (my pending tasks), `done` (decided by me), `started` (instances I submitted), `cc` (copied to me); newest first',
    query: {
      box: { schema: S.str({ enum: ['todo', 'done', 'started', 'cc'] }) },
      workflowId: { schema: S.uuid() },
      entityId: { schema: S.uuid() },
      submitterId: { schema: S.uuid() },
      recordId: { schema: S.int({ minimum: 1 }), description: 'one record of `entityId` (the record page)' },
      from: { schema: S.time(), description: 'at or after (ISO)' },
      to: { schema: S.time(), description: 'before (ISO)' },
      cursor: { schema: S.str() },
      limit: { schema: S.int({ minimum: 1, maximum: 200 }) },
    },
    ok: S.page(ref('InboxItem')),
  })
  inbox(@Ctx() ctx: RequestContext, @Query() q: Record<string, unknown>) {
    return this.tasks.inbox(ctx, q);
  }

  @Get('workflow-inbox/counts')
  @ApiOp({ summary: 'Badge numbers in one query: my pending tasks, cc lines, running instances I started, unread notifications', ok: ref('InboxCounts') })
  counts(@Ctx() ctx: RequestContext) {
    return this.tasks.counts(ctx);
  }

  @Post('workflow-tasks/batch-approve')
  @HttpCode(200)
  @ApiOp({
    summary: 'Approve several of my tasks; each answers on its own',
    body: S.obj({ taskIds: S.arr(S.str(), { maxItems: 100 }), comment: S.str({ maxLength: 2000 }) }, ['taskIds']),
    ok: S.obj(
      { approved: S.int(), results: S.arr(S.obj({ taskId: S.str(), ok: S.bool(), status: S.str(), code: S.str(), detail: S.str() }, ['taskId', 'ok'])) },
      ['approved', 'results'],
    ),
  })
  batch(@Ctx() ctx: RequestContext, @Body() body: unknown) {
    return this.tasks.batchApprove(ctx, body);
  }

  @Get('workflow-tasks/:taskId')
  @ApiOp({ summary: 'My task: the record as the node shows it, the fields I may edit, the actions I may take, the timeline', ok: ref('WorkflowTaskDetail') })
  task(@Ctx() ctx: RequestContext, @Param('taskId') taskId: string) {
    return this.tasks.detail(ctx, taskId);
  }

  @Patch('workflow-tasks/:taskId/record')
  @ApiOp({
    summary: "Edit the record's fields the task's node unlocks (403 FIELD_NOT_WRITABLE naming any other), through the write pipeline",
    body: S.obj({ version: S.int() }, [], { additionalProperties: true }),
    ok: ref('RecordValues'),
    errors: [409],
  })
  edit(@Ctx() ctx: RequestContext, @Param('taskId') taskId: string, @Body() body: unknown) {
    return this.tasks.editRecord(ctx, taskId, body);
  }

  @Post('workflow-tasks/:taskId/approve')
  @HttpCode(200)
  @ApiOp({
    summary: 'Approve my task (a second time: 409 ALREADY_DECIDED); `signature` where the node asks for one',
    body: commentBody,
    bodyOptional: true,
    ok: after,
    errors: decided,
  })
  @IdempotencyKey()
  approve(@Ctx() ctx: RequestContext, @Param('taskId') id: string, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    return this.tasks.decide(ctx, id, 'approve', body, key);
  }

  @Post('workflow-tasks/:taskId/reject')
  @HttpCode(200)
  @ApiOp({ summary: 'Reject my task', body: commentBody, bodyOptional: true, ok: after, errors: decided })
  @IdempotencyKey()
  reject(@Ctx() ctx: RequestContext, @Param('taskId') id: string, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    return this.tasks.decide(ctx, id, 'reject', body, key);
  }

  @Post('workflow-tasks/:taskId/complete')
  @HttpCode(200)
  @ApiOp({ summary: 'Hand in my fill-in task', body: commentBody, bodyOptional: true, ok: after, errors: decided })
  @IdempotencyKey()
  complete(@Ctx() ctx: RequestContext, @Param('taskId') id: string, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    return this.tasks.decide(ctx, id, 'complete', body, key);
  }

  @Post('workflow-tasks/:taskId/return')
  @HttpCode(200)
  @ApiOp({
    summary: 'Return (回退) to the previous node, the start, or any earlier node passed (`{ "nodeId": … }`)',
    body: S.obj({ target: { oneOf: [S.str({ enum: ['previous', 'start'] }), S.obj({ nodeId: S.str() }, ['nodeId'])] }, comment: S.str() }),
    bodyOptional: true,
    ok: after,
    errors: decided,
  })
  ret(@Ctx() ctx: RequestContext, @Param('taskId') id: string, @Body() body: unknown) {
    return this.tasks.decide(ctx, id, 'return' as TaskAction, body);
  }

  @Post('workflow-tasks/:taskId/transfer')
  @HttpCode(200)
  @ApiOp({ summary: 'Transfer (转交) my task to another member', body: S.obj({ to: S.uuid(), comment: S.str() }, ['to']), ok: after, errors: decided })
  transfer(@Ctx() ctx: RequestContext, @Param('taskId') id: string, @Body() body: unknown) {
    return this.tasks.decide(ctx, id, 'transfer', body);
  }

  @Post('workflow-tasks/:taskId/add-approver')
  @HttpCode(200)
  @ApiOp({
    summary: 'Add approvers (加签) before me (my task waits for them) or after me',
    body: S.obj({ members: S.arr(S.uuid(), { maxItems: 20 }), position: S.str({ enum: ['before', 'after'] }), comment: S.str() }, ['members']),
    ok: after,
    errors: decided,
  })
  addApprover(@Ctx() ctx: RequestContext, @Param('taskId') id: string, @Body() body: unknown) {
    return this.tasks.decide(ctx, id, 'addApprover', body);
  }

  @Get('workflow-instances/:instanceId')
  @ApiOp({ summary: 'An instance: status, the graph of its version and the path taken, tasks, timeline, comments', ok: ref('WorkflowInstance') })
  instance(@Ctx() ctx: RequestContext, @Param('instanceId') id: string) {
    return this.instances.detail(ctx, id);
  }

  @Post('workflow-instances/:instanceId/withdraw')
  @HttpCode(200)
  @ApiOp({ summary: 'Withdraw (撤回) my submission, as the nodes’ withdraw policies allow', body: commentBody, bodyOptional: true, ok: after, errors: decided })
  withdraw(@Ctx() ctx: RequestContext, @Param('instanceId') id: string, @Body() body: unknown) {
    return this.instances.submitterAction(ctx, id, 'withdraw', body);
  }

  @Post('workflow-instances/:instanceId/resubmit')
  @HttpCode(200)
  @ApiOp({ summary: 'Submit again after a return to the start or a withdraw', body: commentBody, bodyOptional: true, ok: after, errors: decided })
  resubmit(@Ctx() ctx: RequestContext, @Param('instanceId') id: string, @Body() body: unknown) {
    return this.instances.submitterAction(ctx, id, 'resubmit', body);
  }

  @Post('workflow-instances/:instanceId/urge')
  @HttpCode(200)
  @ApiOp({ summary: 'Urge (催办) the pending assignees (they are notified)', body: commentBody, bodyOptional: true, ok: after, errors: decided })
  urge(@Ctx() ctx: RequestContext, @Param('instanceId') id: string, @Body() body: unknown) {
    return this.instances.submitterAction(ctx, id, 'urge', body);
  }

  @Post('workflow-instances/:instanceId/comments')
  @ApiOp({
    summary: 'Comment on an instance: text (≤ 2000 characters) or a signature image (≤ 128 KiB)',
    body: commentBody,
    ok: ref('WorkflowComment'),
    status: 201,
  })
  comment(@Ctx() ctx: RequestContext, @Param('instanceId') id: string, @Body() body: unknown) {
    return this.instances.comment(ctx, id, body);
  }

  @Post('workflow-instances/:instanceId/reassign')
  @HttpCode(200)
  @ApiOp({
    summary: 'Admin: give a pending task to another member',
    body: S.obj({ taskId: S.str(), to: S.uuid(), comment: S.str() }, ['taskId', 'to']),
    ok: after,
    errors: decided,
  })
  reassign(@Ctx() ctx: RequestContext, @Param('instanceId') id: string, @Body() body: unknown) {
    return this.instances.adminAction(ctx, id, 'reassign', body);
  }

  @Post('workflow-instances/:instanceId/end')
  @HttpCode(200)
  @ApiOp({ summary: 'Admin: end a running instance', body: commentBody, bodyOptional: true, ok: after, errors: decided })
  end(@Ctx() ctx: RequestContext, @Param('instanceId') id: string, @Body() body: unknown) {
    return this.instances.adminAction(ctx, id, 'end', body);
  }

  @Post('workflow-instances/:instanceId/reactivate')
  @HttpCode(200)
  @ApiOp({
    summary: 'Admin: run a finished, rejected, ended or failed instance again at a node (default: where it stopped)',
    body: S.obj({ nodeId: S.str(), comment: S.str() }),
    bodyOptional: true,
    ok: after,
    errors: decided,
  })
  reactivate(@Ctx() ctx: RequestContext, @Param('instanceId') id: string, @Body() body: unknown) {
    return this.instances.adminAction(ctx, id, 'reactivate', body);
  }
}
