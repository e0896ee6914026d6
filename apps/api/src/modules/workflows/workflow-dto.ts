import type { FieldPermission } from '@crm/workflow';
import { storageToIso } from '../../common/ids';
import { fieldDto } from '../entities/entity-meta';
import type { CompiledEntity } from '../entities/entity-runtime.service';
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

/**
 * The entity as a task or instance shows it: its name and the definitions of the fields the
 * viewer may see there (hidden ones left out). An assignee may have no right to read the entity
 * itself (GET /entities/:id answers 404), yet the task must show the record's fields by label.
 */
export const workflowEntityDto = (c: CompiledEntity, permissions: Record<string, FieldPermission> = {}) => ({
  id: c.meta.id,
  name: c.meta.name,
  displayField: c.meta.displayField,
  fields: c.meta.fields.filter((f) => permissions[f.key] !== 'hidden').map(fieldDto),
});
