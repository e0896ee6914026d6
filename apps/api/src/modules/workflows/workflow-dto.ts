import { storageToIso } from '../../common/ids';
import type { TaskRow, TimelineRow } from './workflow-runtime.repository';

export const taskDto = (t: TaskRow) => ({
  id: t.id,
  instanceId: t.instance_id,
  workflowId: t.workflow_id,
  entityId: t.entity_id,
  recordId: Number(t.record_id),
  nodeId: t.node_id,
  kind: t.kind,
  assigneeId: t.assignee_id,
  submitterId: t.submitter_id,
  status: t.status,
  createdAt: storageToIso(t.created_at),
  decidedAt: storageToIso(t.decided_at),
  decidedBy: t.decided_by,
});

export const timelineDto = (l: TimelineRow) => ({
  id: Number(l.id),
  at: storageToIso(l.at),
  kind: l.kind,
  nodeId: l.node_id,
  taskId: l.task_id,
  actorId: l.actor_id,
  comment: l.comment,
  detail: l.detail ? (JSON.parse(l.detail) as Record<string, unknown>) : null,
});
