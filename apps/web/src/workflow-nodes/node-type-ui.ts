import type { FieldDefinition } from '@crm/schema';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '@crm/workflow';
import type { ComponentType, CSSProperties } from 'react';

/** People and groups the assignee pickers offer (empty while they load). */
export interface Directory {
  members: { id: string; name: string; email?: string | null }[];
  roles: { id: string; name: string }[];
  departments: { id: string; name: string; depth?: number }[];
}

/** What a node's settings panel knows besides its own node. */
export interface DesignContext {
  /** The fields of the workflow's entity. */
  fields: readonly FieldDefinition[];
  directory: Directory;
  graph: WorkflowGraph;
  readOnly: boolean;
  /** Messages of this node's problems whose settings path starts with `pointer` (`/assignees`, `/fields/amount`). */
  problemsAt(pointer: string): string[];
  /** Messages of the problems of one connection. */
  edgeProblems(edgeId: string): string[];
  editEdge(edgeId: string, patch: Partial<Omit<WorkflowEdge, 'id' | 'from'>>): void;
}

export interface NodePanelProps<S = Record<string, unknown>> {
  node: WorkflowNode;
  settings: S;
  onSettings(next: S): void;
  ctx: DesignContext;
}

/**
 * The browser side of one node type (its definition is in packages/workflow): the palette and
 * canvas icon and the settings panel. Labels and descriptions come from the definition.
 */
export interface NodeTypeUi {
  icon: ComponentType<{ style?: CSSProperties; 'aria-hidden'?: boolean }>;
  // Each panel narrows the settings to its type's; the registry holds them side by side.
  Panel: ComponentType<NodePanelProps<any>>;
}
