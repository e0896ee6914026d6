import type { WorkflowGraph } from '@crm/workflow';
import { api, callOrThrow, type Schema } from '../../../api/client';
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

// The API documents graphs with the package's schema and problems' messages as { en, zh-CN }:
// its answers are read as the designer's types (WorkflowGraph, DesignProblem) here, in one place.
const asDetail = (d: Schema<'WorkflowDetail'>) => d as unknown as WorkflowDetail;

export async function listWorkflowsOrThrow(entityId: string, signal?: AbortSignal): Promise<Workflow[]> {
  return (await callOrThrow(api.GET('/api/entities/{entityId}/workflows', { params: { path: { entityId } }, signal }))).items as Workflow[];
}

/** A new workflow with its first draft: the graph given (the designer's start → approval → end). */
export async function createWorkflowOrThrow(args: {
  entityId: string;
  name: string;
  startOn: 'create' | 'manual';
  graph: WorkflowGraph;
}): Promise<WorkflowDetail> {
  const { entityId, graph, ...rest } = args;
  const body = { ...rest, graph: graph as unknown as Schema<'WorkflowGraph'> };
  return asDetail(await callOrThrow(api.POST('/api/entities/{entityId}/workflows', { params: { path: { entityId } }, body })));
}

export async function getWorkflowOrThrow(args: { workflowId: string; signal?: AbortSignal }): Promise<WorkflowDetail> {
  return asDetail(await callOrThrow(api.GET('/api/workflows/{workflowId}', { params: { path: { workflowId: args.workflowId } }, signal: args.signal })));
}

/** Saves the draft (a new draft version when only published ones exist); answers it with its problems. */
export async function saveDraftOrThrow(args: { workflowId: string; graph: WorkflowGraph }): Promise<WorkflowDetail> {
  const body = { graph: args.graph as unknown as Schema<'WorkflowGraph'> };
  return asDetail(await callOrThrow(api.PUT('/api/workflows/{workflowId}/draft', { params: { path: { workflowId: args.workflowId } }, body })));
}

/** Publishes the draft; refused (400 INVALID_GRAPH with `problems`) while it has any. */
export function publishOrThrow(args: { workflowId: string }): Promise<{ version: number; retired: number[] }> {
  return callOrThrow(api.POST('/api/workflows/{workflowId}/publish', { params: { path: { workflowId: args.workflowId } } }));
}

export async function getVersionOrThrow(args: { workflowId: string; version: number; signal?: AbortSignal }): Promise<WorkflowVersion> {
  const v = await callOrThrow(
    api.GET('/api/workflows/{workflowId}/versions/{version}', {
      params: { path: { workflowId: args.workflowId, version: args.version } },
      signal: args.signal,
    }),
  );
  return v as unknown as WorkflowVersion;
}
