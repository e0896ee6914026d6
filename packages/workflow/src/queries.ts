import type { InstanceState, Task } from './engine/state';
import { settingsOf } from './node-types/registry';
import type { FieldPermission } from './settings';
import type { WorkflowGraph } from './types';

/** The pending tasks of an instance (what the inboxes show). */
export function openTasks(state: InstanceState): Task[] {
  return state.tasks.filter((t) => t.status === 'pending');
}

/**
 * What the assignee of a task may do with each field while the task is pending (the node's
 * field permissions; fields not listed are visible). Empty for a task that is not pending.
 */
export function fieldPermissionsAt({ graph, state, taskId }: { graph: WorkflowGraph; state: InstanceState; taskId: string }): Record<string, FieldPermission> {
  const task = state.tasks.find((t) => t.id === taskId);
  const node = task && graph.nodes.find((n) => n.id === task.nodeId);
  if (!task || task.status !== 'pending' || !node) return {};
  return { ...(settingsOf<{ fields?: Record<string, FieldPermission> }>(node).fields ?? {}) };
}
