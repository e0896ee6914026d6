import type { WorkflowGraph } from '@crm/workflow';
import { api, callOrThrow, type Schema } from '../../../api/typed-client';
import type { Field } from '../../apps/api/apps.api';

/** The staff side of workflows (docs/workflows.md): the inbox, tasks, instances, comments, notifications. */

export type InboxBox = 'todo' | 'done' | 'started' | 'cc';
export type TaskAction = 'approve' | 'reject' | 'complete' | 'return' | 'transfer' | 'addApprover';
export type FieldPermission = 'hidden' | 'visible' | 'editable' | 'required';

export type InboxItem = Schema<'InboxItem'>;
export type InboxCounts = Schema<'InboxCounts'>;
export type TimelineEntry = Schema<'WorkflowTimelineEntry'>;
export type WorkflowTask = Schema<'WorkflowTask'>;
/** The entity as the task or instance shows it: its name and the fields the viewer may see there. */
export type WorkflowEntity = Omit<Schema<'WorkflowEntity'>, 'fields'> & { fields: Field[] };
export type TaskDetail = Omit<Schema<'WorkflowTaskDetail'>, 'entity'> & { entity: WorkflowEntity };
export type WorkflowComment = Schema<'WorkflowComment'>;
/** The graph is the package's own type (the schema describes the same JSON). */
export type WorkflowInstance = Omit<Schema<'WorkflowInstance'>, 'graph' | 'entity'> & { graph: WorkflowGraph; entity: WorkflowEntity };
export type ActionResult = Schema<'WorkflowActionResult'>;
export type Notification = Schema<'Notification'>;

export interface InboxFilters {
  workflowId?: string;
  entityId?: string;
  submitterId?: string;
  /** One record of `entityId` (the record page). */
  recordId?: string;
  from?: string;
  to?: string;
}

const taskPath = (taskId: string) => ({ path: { taskId } });
const instancePath = (instanceId: string) => ({ path: { instanceId } });
/** Filters without their empty values (the server refuses an empty id). */
const present = <T extends object>(query: T): T => Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;

export function listInboxOrThrow(args: { box: InboxBox; filters: InboxFilters; cursor?: string | null; signal?: AbortSignal }) {
  const { recordId, ...filters } = args.filters;
  const query = present({ box: args.box, ...filters, recordId: recordId ? Number(recordId) : undefined, cursor: args.cursor ?? undefined, limit: 50 });
  return callOrThrow(api.GET('/api/workflow-inbox', { params: { query }, signal: args.signal }));
}

export function inboxCountsOrThrow(signal?: AbortSignal) {
  return callOrThrow(api.GET('/api/workflow-inbox/counts', { signal }));
}

export async function getTaskOrThrow(taskId: string, signal?: AbortSignal): Promise<TaskDetail> {
  return (await callOrThrow(api.GET('/api/workflow-tasks/{taskId}', { params: taskPath(taskId), signal }))) as TaskDetail;
}

export async function getInstanceOrThrow(instanceId: string, signal?: AbortSignal): Promise<WorkflowInstance> {
  return (await callOrThrow(api.GET('/api/workflow-instances/{instanceId}', { params: instancePath(instanceId), signal }))) as WorkflowInstance;
}

export function editTaskRecordOrThrow(args: { taskId: string; version?: number; values: Record<string, unknown> }) {
  return callOrThrow(
    api.PATCH('/api/workflow-tasks/{taskId}/record', {
      params: taskPath(args.taskId),
      body: { ...args.values, ...(args.version ? { version: args.version } : {}) },
    }),
  );
}

/** Body of every decision: an optional comment (and a signature image where the node asks for one). */
export interface DecisionBody {
  comment?: string;
  signature?: string;
  target?: 'previous' | 'start' | { nodeId: string };
  to?: string;
  members?: string[];
  position?: 'before' | 'after';
}

export function decideTaskOrThrow({ taskId, action, body }: { taskId: string; action: TaskAction; body: DecisionBody }): Promise<ActionResult> {
  const params = taskPath(taskId);
  const { comment, signature } = body;
  switch (action) {
    case 'approve':
      return callOrThrow(api.POST('/api/workflow-tasks/{taskId}/approve', { params, body: { comment, signature } }));
    case 'reject':
      return callOrThrow(api.POST('/api/workflow-tasks/{taskId}/reject', { params, body: { comment } }));
    case 'complete':
      return callOrThrow(api.POST('/api/workflow-tasks/{taskId}/complete', { params, body: { comment, signature } }));
    case 'return':
      return callOrThrow(api.POST('/api/workflow-tasks/{taskId}/return', { params, body: { comment, target: body.target } }));
    case 'transfer':
      return callOrThrow(api.POST('/api/workflow-tasks/{taskId}/transfer', { params, body: { comment, to: body.to ?? '' } }));
    case 'addApprover':
      return callOrThrow(
        api.POST('/api/workflow-tasks/{taskId}/add-approver', { params, body: { comment, members: body.members ?? [], position: body.position } }),
      );
  }
}

export type InstanceAction = 'withdraw' | 'resubmit' | 'urge';

export function instanceActionOrThrow({ instanceId, action, body }: { instanceId: string; action: InstanceAction; body: DecisionBody }): Promise<ActionResult> {
  const init = { params: instancePath(instanceId), body: { comment: body.comment } };
  switch (action) {
    case 'withdraw':
      return callOrThrow(api.POST('/api/workflow-instances/{instanceId}/withdraw', init));
    case 'resubmit':
      return callOrThrow(api.POST('/api/workflow-instances/{instanceId}/resubmit', init));
    case 'urge':
      return callOrThrow(api.POST('/api/workflow-instances/{instanceId}/urge', init));
  }
}

export function commentOrThrow(args: { instanceId: string; comment: string }) {
  return callOrThrow(api.POST('/api/workflow-instances/{instanceId}/comments', { params: instancePath(args.instanceId), body: { comment: args.comment } }));
}

export function listNotificationsOrThrow(signal?: AbortSignal) {
  return callOrThrow(api.GET('/api/notifications', { params: { query: { limit: 30 } }, signal }));
}

export function markNotificationsReadOrThrow(body: { ids?: number[]; all?: boolean }) {
  return callOrThrow(api.POST('/api/notifications/read', { body }));
}
