import { parseGraphOrThrow, validateGraph, type WorkflowGraph } from '@crm/workflow';
import { ApiError } from '../../../api/client';
import { starterGraph } from '../model/graph-edit';
import type { DesignProblem } from '../model/validation';

/**
 * The designer's calls. Until the workflow design API is on main they run against a store in this
 * tab (localStorage), shaped like the API's answers (WorkflowDetail, WorkflowVersion), so wiring
 * the server is this one file.
 */

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

export interface WorkflowDetail {
  id: string;
  entityId: string;
  name: string;
  publishedVersion: number | null;
  draftVersion: number | null;
  draft: WorkflowVersion | null;
  versions: WorkflowVersionSummary[];
}

interface Stored {
  id: string;
  entityId: string;
  name: string;
  versions: WorkflowVersion[];
}

const KEY = 'crm.workflows.local';

function load(): Record<string, Stored> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, Stored>;
  } catch {
    return {};
  }
}

function store(all: Record<string, Stored>): void {
  localStorage.setItem(KEY, JSON.stringify(all));
}

const summary = ({ graph: _g, problems: _p, ...rest }: WorkflowVersion): WorkflowVersionSummary => rest;

function detail(w: Stored): WorkflowDetail {
  const draft = w.versions.find((v) => v.status === 'draft') ?? null;
  return {
    id: w.id,
    entityId: w.entityId,
    name: w.name,
    publishedVersion: w.versions.find((v) => v.status === 'published')?.version ?? null,
    draftVersion: draft?.version ?? null,
    draft,
    versions: [...w.versions].reverse().map(summary),
  };
}

function notFound(): ApiError {
  return new ApiError({ message: 'Workflow not found', code: 'WORKFLOW_NOT_FOUND', status: 404 });
}

function newVersion(version: number, graph: WorkflowGraph): WorkflowVersion {
  const now = new Date().toISOString();
  const problems = validateGraph({ graph });
  return { version, status: 'draft', problemCount: problems.length, createdAt: now, updatedAt: now, publishedAt: null, retiredAt: null, graph, problems };
}

/** A workflow of the entity; the first open of an id creates it (start → approval → end). */
export async function getWorkflowOrThrow(args: { workflowId: string; entityId: string }): Promise<WorkflowDetail> {
  const all = load();
  let w = all[args.workflowId];
  if (!w) {
    w = { id: args.workflowId, entityId: args.entityId, name: '', versions: [newVersion(1, starterGraph())] };
    all[w.id] = w;
    store(all);
  }
  return detail(w);
}

/** Saves the draft (a new draft version when only published ones exist); answers it with its problems. */
export async function saveDraftOrThrow(args: { workflowId: string; graph: WorkflowGraph }): Promise<WorkflowDetail> {
  const graph = parseGraphOrThrow(args.graph);
  const all = load();
  const w = all[args.workflowId];
  if (!w) throw notFound();
  const draft = w.versions.find((v) => v.status === 'draft');
  const next = newVersion(draft?.version ?? w.versions.length + 1, graph);
  w.versions = draft ? w.versions.map((v) => (v === draft ? { ...next, createdAt: draft.createdAt } : v)) : [...w.versions, next];
  store(all);
  return detail(w);
}

/** Publishes the draft; refused (400 INVALID_GRAPH with `problems`) while it has any. */
export async function publishOrThrow(args: { workflowId: string }): Promise<{ version: number; retired: number[] }> {
  const all = load();
  const w = all[args.workflowId];
  const draft = w?.versions.find((v) => v.status === 'draft');
  if (!w || !draft) throw notFound();
  if (draft.problems.length) throw new ApiError({ message: 'The draft has problems', code: 'INVALID_GRAPH', status: 400, body: { problems: draft.problems } });
  const now = new Date().toISOString();
  const retired = w.versions.filter((v) => v.status === 'published').map((v) => v.version);
  w.versions = w.versions.map((v) =>
    v === draft ? { ...v, status: 'published', publishedAt: now } : v.status === 'published' ? { ...v, status: 'retired', retiredAt: now } : v,
  );
  store(all);
  return { version: draft.version, retired };
}

export async function getVersionOrThrow(args: { workflowId: string; version: number }): Promise<WorkflowVersion> {
  const v = load()[args.workflowId]?.versions.find((x) => x.version === args.version);
  if (!v) throw new ApiError({ message: 'Version not found', code: 'NOT_FOUND', status: 404 });
  return v;
}
