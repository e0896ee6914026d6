import type { WorkflowGraph } from '@crm/workflow';
import { api, callOrThrow } from '../../../api/client';

/** The staff side of workflows (docs/workflows.md): the inbox, tasks, instances, comments, notifications. */

export type InboxBox = 'todo' | 'done' | 'started' | 'cc';
export type TaskAction = 'approve' | 'reject' | 'complete' | 'return' | 'transfer' | 'addApprover';
export type FieldPermission = 'hidden' | 'visible' | 'editable' | 'required';

export interface InboxItem {
  instanceId: string;
  workflowId: string;
  workflowName: string;
  entityId: string;
  recordId: number;
  submitterId: string;
  instanceStatus: string;
  startedAt: string;
  at: string;
  nodeId: string | null;
  task: { id: string; nodeId: string; kind: string; status: string; createdAt: string; decidedAt: string | null } | null;
}

export interface InboxFilters {
  workflowId?: string;
  entityId?: string;
  submitterId?: string;
  /** One record of `entityId` (the record page). */
  recordId?: string;
  from?: string;
  to?: string;
}

export interface InboxCounts {
  todo: number;
  cc: number;
  started: number;
  unread: number;
}

export interface TimelineEntry {
  id: number;
  at: string;
  kind: string;
  nodeId: string | null;
  taskId: string | null;
  actorId: string | null;
  comment: string | null;
  detail: Record<string, unknown> | null;
}

export interface WorkflowTask {
  id: string;
  instanceId: string;
  workflowId: string;
  entityId: string;
  recordId: number;
  nodeId: string;
  kind: 'approval' | 'fill' | 'resubmit';
  assigneeId: string;
  submitterId: string;
  status: string;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

export interface TaskDetail {
  task: WorkflowTask;
  instance: { id: string; workflowId: string; version: number; status: string; submitterId: string; startedAt: string };
  node: { id: string; type: string; name: string; mode: string | null; requireSignature: boolean } | null;
  record: Record<string, unknown> | null;
  fields: Record<string, FieldPermission>;
  editable: string[];
  actions: TaskAction[];
  returnTargets: string[];
  timeline: TimelineEntry[];
}

export interface WorkflowComment {
  id: string;
  taskId: string | null;
  authorId: string;
  body: string;
  signature: string | null;
  createdAt: string;
}

export interface WorkflowInstance {
  id: string;
  workflowId: string;
  version: number;
  entityId: string;
  recordId: number;
  submitterId: string;
  status: string;
  error: string | null;
  startedAt: string;
  endedAt: string | null;
  path: string[];
  currentNodes: string[];
  graph: WorkflowGraph;
  tasks: WorkflowTask[];
  timeline: TimelineEntry[];
  comments: WorkflowComment[];
  canAdmin: boolean;
}

export interface ActionResult {
  instanceId: string;
  status: string;
  openTasks: { id: string; nodeId: string; assigneeId: string; kind: string }[];
}

export interface Notification {
  id: number;
  kind: string;
  sourceType: string;
  sourceId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const enc = encodeURIComponent;

type Answer = Promise<{ data?: unknown; error?: unknown; response: Response }>;
type Method = 'GET' | 'POST' | 'PATCH';
// The staff routes are not in the generated client on this branch yet: until they are, these
// calls go through the same client (cookies, CSRF, language, problem details) without path types.
const untyped = api as unknown as Record<
  Method,
  (path: string, init: { params?: { query?: Record<string, unknown> }; body?: unknown; signal?: AbortSignal }) => Answer
>;

function apiRequestOrThrow<T>(
  path: string,
  options: { method?: Method; query?: Record<string, unknown>; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const query = options.query && Object.fromEntries(Object.entries(options.query).filter(([, v]) => v !== undefined && v !== null));
  return callOrThrow(
    untyped[options.method ?? 'GET'](`/api${path}`, { params: query ? { query } : undefined, body: options.body, signal: options.signal }),
  ) as Promise<T>;
}

export function listInboxOrThrow(args: { box: InboxBox; filters: InboxFilters; cursor?: string | null; signal?: AbortSignal }): Promise<Page<InboxItem>> {
  return apiRequestOrThrow('/workflow-inbox', { query: { box: args.box, ...args.filters, cursor: args.cursor ?? undefined, limit: 50 }, signal: args.signal });
}

export function inboxCountsOrThrow(signal?: AbortSignal): Promise<InboxCounts> {
  return apiRequestOrThrow('/workflow-inbox/counts', { signal });
}

export function getTaskOrThrow(taskId: string, signal?: AbortSignal): Promise<TaskDetail> {
  return apiRequestOrThrow(`/workflow-tasks/${enc(taskId)}`, { signal });
}

export function getInstanceOrThrow(instanceId: string, signal?: AbortSignal): Promise<WorkflowInstance> {
  return apiRequestOrThrow(`/workflow-instances/${enc(instanceId)}`, { signal });
}

export function editTaskRecordOrThrow(args: { taskId: string; version?: number; values: Record<string, unknown> }): Promise<Record<string, unknown>> {
  return apiRequestOrThrow(`/workflow-tasks/${enc(args.taskId)}/record`, {
    method: 'PATCH',
    body: { ...args.values, ...(args.version ? { version: args.version } : {}) },
  });
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

const TASK_PATHS: Record<TaskAction, string> = {
  approve: 'approve',
  reject: 'reject',
  complete: 'complete',
  return: 'return',
  transfer: 'transfer',
  addApprover: 'add-approver',
};

export function decideTaskOrThrow(args: { taskId: string; action: TaskAction; body: DecisionBody }): Promise<ActionResult> {
  return apiRequestOrThrow(`/workflow-tasks/${enc(args.taskId)}/${TASK_PATHS[args.action]}`, { method: 'POST', body: args.body });
}

export type InstanceAction = 'withdraw' | 'resubmit' | 'urge';

export function instanceActionOrThrow(args: { instanceId: string; action: InstanceAction; body: DecisionBody }): Promise<ActionResult> {
  return apiRequestOrThrow(`/workflow-instances/${enc(args.instanceId)}/${args.action}`, { method: 'POST', body: args.body });
}

export function commentOrThrow(args: { instanceId: string; comment: string }): Promise<WorkflowComment> {
  return apiRequestOrThrow(`/workflow-instances/${enc(args.instanceId)}/comments`, { method: 'POST', body: { comment: args.comment } });
}

export function listNotificationsOrThrow(signal?: AbortSignal): Promise<Page<Notification>> {
  return apiRequestOrThrow('/notifications', { query: { limit: 30 }, signal });
}

export function markNotificationsReadOrThrow(body: { ids?: number[]; all?: boolean }): Promise<{ marked: number; unread: number }> {
  return apiRequestOrThrow('/notifications/read', { method: 'POST', body });
}
