import { DomainError } from '@crm/schema';
import type { GraphIssue } from './types';

export const WorkflowErrorCode = {
  /** The graph has problems; `issues` names each on its node. */
  INVALID_GRAPH: 'INVALID_GRAPH',
  /** The event names a task the instance does not have. */
  TASK_NOT_FOUND: 'TASK_NOT_FOUND',
  /** The task was already decided, cancelled or is not yet active. */
  TASK_NOT_PENDING: 'TASK_NOT_PENDING',
  /** The actor is not the task's assignee (or not the submitter, for submitter events). */
  NOT_ASSIGNEE: 'NOT_ASSIGNEE',
  /** The node does not allow this action (return, transfer, add approver, withdraw). */
  ACTION_NOT_ALLOWED: 'ACTION_NOT_ALLOWED',
  /** The instance is not running (finished, rejected, ended, failed) or not finished (reactivate). */
  INSTANCE_NOT_RUNNING: 'INSTANCE_NOT_RUNNING',
  INSTANCE_NOT_FINISHED: 'INSTANCE_NOT_FINISHED',
  /** A return target the instance has not passed on this path, or a node that cannot be returned to. */
  INVALID_RETURN_TARGET: 'INVALID_RETURN_TARGET',
  /** An event whose fields do not fit (unknown member, transfer to oneself, unknown node). */
  INVALID_EVENT: 'INVALID_EVENT',
  /** A version status change that is not allowed (publish a graph with problems, edit a published version). */
  INVALID_VERSION_CHANGE: 'INVALID_VERSION_CHANGE',
} as const;
export type WorkflowErrorCode = (typeof WorkflowErrorCode)[keyof typeof WorkflowErrorCode];

/** An event or version change the workflow refuses; never a server fault. */
export class WorkflowError extends DomainError<WorkflowErrorCode> {
  readonly issues?: GraphIssue[];

  constructor(args: { code: WorkflowErrorCode; message: string; details?: Record<string, unknown>; issues?: GraphIssue[] }) {
    super(args);
    if (args.issues) this.issues = args.issues;
  }
}
