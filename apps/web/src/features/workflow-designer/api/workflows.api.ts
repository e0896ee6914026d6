import type { WorkflowGraph } from '@crm/workflow';
import { apiRequestOrThrow } from '../../../api/client';
import type { DesignProblem } from '../model/validation';

/** The designer's calls to the workflow design API (docs/workflows.md; apps/api workflows module). */

export type VersionStatus = 'draft' | 'published' | 'retired';

export interface WorkflowVersionSummary {
  version: number;
  status: VersionStatus;
  problemCount: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  retiredAt: string | null;
}

export interface WorkflowVersion extends WorkflowVersionSummary {
  graph: WorkflowGraph;
  problems: DesignProblem[];
}

export interface Workflow {
  id: string;
  entityId: string;
  name: string;
  description: string;
  startOn: 'create' | 'manual';
  publishedVersion: number | null;
  draftVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowDetail {
  id: string;
  entityId: string;
  name: string;
  publishedVersion: number | null;
  draftVersion: number | null;
  draft: WorkflowVersion | null;
  versions: WorkflowVersionSummary[];
}

const enc = encodeURIComponent;

export async function listWorkflowsOrThrow(entityId: string, signal?: AbortSignal): Promise<Workflow[]> {
  return (await apiRequestOrThrow<{ items: Workflow[] }>(`/entities/${enc(entityId)}/workflows`, { signal })).items;
}

/** A new workflow with its first draft: the graph given (the designer's start → approval → end). */
export function createWorkflowOrThrow(args: { entityId: string; name: string; startOn: 'create' | 'manual'; graph: WorkflowGraph }): Promise<WorkflowDetail> {
  const { entityId, ...body } = args;
  return apiRequestOrThrow(`/entities/${enc(entityId)}/workflows`, { method: 'POST', body });
}

export function getWorkflowOrThrow(args: { workflowId: string; signal?: AbortSignal }): Promise<WorkflowDetail> {
  return apiRequestOrThrow(`/workflows/${enc(args.workflowId)}`, { signal: args.signal });
}

/** Saves the draft (a new draft version when only published ones exist); answers it with its problems. */
export function saveDraftOrThrow(args: { workflowId: string; graph: WorkflowGraph }): Promise<WorkflowDetail> {
  return apiRequestOrThrow(`/workflows/${enc(args.workflowId)}/draft`, { method: 'PUT', body: { graph: args.graph } });
}

/** Publishes the draft; refused (400 INVALID_GRAPH with `problems`) while it has any. */
export function publishOrThrow(args: { workflowId: string }): Promise<{ version: number; retired: number[] }> {
  return apiRequestOrThrow(`/workflows/${enc(args.workflowId)}/publish`, { method: 'POST' });
}

export function getVersionOrThrow(args: { workflowId: string; version: number; signal?: AbortSignal }): Promise<WorkflowVersion> {
  return apiRequestOrThrow(`/workflows/${enc(args.workflowId)}/versions/${args.version}`, { signal: args.signal });
}
