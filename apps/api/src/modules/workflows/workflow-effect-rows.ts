import type { Effect, EngineResult, InstanceState } from '@crm/workflow';
import { nowStorage } from '../../common/ids';
import type { NewNotification } from '../notifications/notifications.service';
import type { InstanceRow, TaskClose, TaskRow, TimelineLine } from './workflow-runtime.repository';

// The rows a transition's effects write (tasks, timeline lines, notifications), built without I/O.

/** One notification effect as a notify job carries it. */
export interface NotifyItem {
  key: string;
  kind: string;
  to: string[];
  nodeId?: string;
  taskId?: string;
}

/** What a workflow notification shows besides its instance. */
export type NotifiedInstance = { workflowId: string; entityId: string; recordId: number };
export const instanceOf = (row: InstanceRow): NotifiedInstance => ({ workflowId: row.workflow_id, entityId: row.entity_id, recordId: Number(row.record_id) });

/** The notification rows of notify items: one per member, deduped by `wf:<effect key>:<member>`. */
export function notificationRows(workspaceId: string, instanceId: string, instance: NotifiedInstance | undefined, items: NotifyItem[]): NewNotification[] {
  return items.flatMap((it) => {
    const data = { instanceId, ...(it.taskId ? { taskId: it.taskId } : {}), ...(it.nodeId ? { nodeId: it.nodeId } : {}), ...(instance ?? {}) };
    return it.to.map((memberId) => ({
      workspaceId,
      memberId,
      kind: it.kind,
      dedupeKey: `wf:${it.key}:${memberId}`,
      sourceType: 'workflow_instance',
      sourceId: instanceId,
      data,
    }));
  });
}

/** Rows of one or more transitions written together at the end of their transaction. */
export interface WriteBuffer {
  timeline: TimelineLine[];
  tasks: TaskRow[];
  notifications: NewNotification[];
}
export const newWriteBuffer = (): WriteBuffer => ({ timeline: [], tasks: [], notifications: [] });

/** The row of a task the engine created. */
export function taskRow(row: InstanceRow, task: Extract<Effect, { type: 'createTask' }>['task']): TaskRow {
  return {
    id: task.id,
    instance_id: row.id,
    workspace_id: row.workspace_id,
    workflow_id: row.workflow_id,
    entity_id: row.entity_id,
    record_id: Number(row.record_id),
    node_id: task.nodeId,
    kind: task.kind,
    assignee_id: task.assignee,
    submitter_id: row.submitter_id,
    status: task.status,
    created_at: nowStorage(new Date(task.createdAt)),
    decided_at: null,
    decided_by: null,
  };
}

/**
 * The first task close of a transition when nothing before it writes task rows (a new task
 * that a close follows keeps its order): the compare-and-set can carry it.
 */
export function foldableClose(result: EngineResult): Extract<Effect, { type: 'closeTask' }> | null {
  for (const e of result.effects) {
    if (e.type === 'createTask') return null;
    if (e.type === 'closeTask') return e;
  }
  return null;
}

/** The row values of a task close: who decided and when, from the new state. */
export function taskClose(state: InstanceState, e: Extract<Effect, { type: 'closeTask' }>, at: string): TaskClose {
  const t = state.tasks.find((x) => x.id === e.taskId);
  return { id: e.taskId, status: e.status, decidedBy: t?.decidedBy, at: t?.decidedAt ? nowStorage(new Date(t.decidedAt)) : at };
}
