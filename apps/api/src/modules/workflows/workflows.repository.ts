import type { VersionStatus } from '@crm/workflow';
import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';

export interface WorkflowRow {
  id: string;
  workspace_id: string;
  entity_id: string;
  name: string;
  description: string;
  start_on: 'create' | 'manual';
  published_version: number | null;
  draft_version: number | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
}

export interface VersionRow {
  workflow_id: string;
  version: number;
  status: VersionStatus;
  graph: string;
  issues: string;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
  published_at: string | null;
  published_by: string | null;
  retired_at: string | null;
}

const WF_COLS = 'id, workspace_id, entity_id, name, description, start_on, published_version, draft_version, created_at, created_by, updated_at';
const V_COLS = 'workflow_id, version, status, graph, issues, created_at, created_by, updated_at, updated_by, published_at, published_by, retired_at';
const V_SUMMARY = 'workflow_id, version, status, issues, created_at, created_by, updated_at, updated_by, published_at, published_by, retired_at';

/** Workflow definitions and versions: the designer's SQL. */
@Injectable()
export class WorkflowsRepository {
  constructor(readonly db: Db) {}

  async list(workspaceId: string, entityId: string): Promise<WorkflowRow[]> {
    return this.db.query<WorkflowRow>(`SELECT ${WF_COLS} FROM workflows WHERE workspace_id = ? AND entity_id = ? ORDER BY name, id LIMIT 500`, [
      workspaceId,
      entityId,
    ]);
  }

  async find(workspaceId: string, id: string, exec: Executor = this.db, lock = false): Promise<WorkflowRow | null> {
    const forUpdate = lock && exec.dialect === 'mysql' ? ' FOR UPDATE' : '';
    const rows = await exec.query<WorkflowRow>(`SELECT ${WF_COLS} FROM workflows WHERE workspace_id = ? AND id = ?${forUpdate}`, [workspaceId, id]);
    return rows[0] ?? null;
  }

  /** The published workflows that start on a record created in the entity (the record-write hook's one query). */
  async startingOnCreate(exec: Executor, workspaceId: string, entityId: string): Promise<{ id: string; published_version: number }[]> {
    return exec.query(
      "SELECT id, published_version FROM workflows WHERE workspace_id = ? AND entity_id = ? AND start_on = 'create' AND published_version IS NOT NULL",
      [workspaceId, entityId],
    );
  }

  /**
   * Moves the entity's metadata version: what starts on a create of its records changed. Record
   * writes key their look-up of `startingOnCreate` by that version (workflow-jobs.ts), on every
   * node, and it costs what a field change costs (the entity is compiled again once).
   */
  async startsChanged(tx: Executor, entityId: string, at: string): Promise<void> {
    await tx.run('UPDATE entities SET version = version + 1, updated_at = ? WHERE id = ?', [at, entityId]);
  }

  async otherStartingOnCreate(exec: Executor, workspaceId: string, entityId: string, exceptId: string): Promise<string | null> {
    const rows = await exec.query<{ name: string }>("SELECT name FROM workflows WHERE workspace_id = ? AND entity_id = ? AND start_on = 'create' AND id <> ?", [
      workspaceId,
      entityId,
      exceptId,
    ]);
    return rows[0]?.name ?? null;
  }

  async insert(tx: Executor, row: WorkflowRow): Promise<void> {
    await tx.run(`INSERT INTO workflows (${WF_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      row.id,
      row.workspace_id,
      row.entity_id,
      row.name,
      row.description,
      row.start_on,
      row.published_version,
      row.draft_version,
      row.created_at,
      row.created_by,
      row.updated_at,
    ]);
  }

  async update(tx: Executor, id: string, patch: { name: string; description: string; start_on: string; updated_at: string }): Promise<void> {
    await tx.run('UPDATE workflows SET name = ?, description = ?, start_on = ?, updated_at = ? WHERE id = ?', [
      patch.name,
      patch.description,
      patch.start_on,
      patch.updated_at,
      id,
    ]);
  }

  async setVersions(tx: Executor, id: string, v: { published: number | null; draft: number | null; at: string }): Promise<void> {
    await tx.run('UPDATE workflows SET published_version = ?, draft_version = ?, updated_at = ? WHERE id = ?', [v.published, v.draft, v.at, id]);
  }

  async instanceCount(workflowId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM workflow_instances WHERE workflow_id = ?', [workflowId]);
    return Number(rows[0]?.n ?? 0);
  }

  async delete(tx: Executor, id: string): Promise<void> {
    await tx.run('DELETE FROM workflow_versions WHERE workflow_id = ?', [id]);
    await tx.run('DELETE FROM workflows WHERE id = ?', [id]);
  }

  async versions(workflowId: string, exec: Executor = this.db): Promise<Omit<VersionRow, 'graph'>[]> {
    return exec.query(`SELECT ${V_SUMMARY} FROM workflow_versions WHERE workflow_id = ? ORDER BY version DESC LIMIT 1000`, [workflowId]);
  }

  async version(workflowId: string, version: number, exec: Executor = this.db): Promise<VersionRow | null> {
    const rows = await exec.query<VersionRow>(`SELECT ${V_COLS} FROM workflow_versions WHERE workflow_id = ? AND version = ?`, [workflowId, version]);
    return rows[0] ?? null;
  }

  async maxVersion(tx: Executor, workflowId: string): Promise<number> {
    const rows = await tx.query<{ v: number | null }>('SELECT MAX(version) AS v FROM workflow_versions WHERE workflow_id = ?', [workflowId]);
    return Number(rows[0]?.v ?? 0);
  }

  async insertVersion(tx: Executor, row: Omit<VersionRow, 'published_at' | 'published_by' | 'retired_at'> & { workspace_id: string }): Promise<void> {
    await tx.run(
      'INSERT INTO workflow_versions (workflow_id, version, workspace_id, status, graph, issues, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [row.workflow_id, row.version, row.workspace_id, row.status, row.graph, row.issues, row.created_at, row.created_by, row.updated_at, row.updated_by],
    );
  }

  async updateDraft(tx: Executor, workflowId: string, version: number, v: { graph: string; issues: string; at: string; by: string }): Promise<void> {
    await tx.run(
      "UPDATE workflow_versions SET graph = ?, issues = ?, updated_at = ?, updated_by = ? WHERE workflow_id = ? AND version = ? AND status = 'draft'",
      [v.graph, v.issues, v.at, v.by, workflowId, version],
    );
  }

  async markPublished(tx: Executor, workflowId: string, version: number, at: string, by: string): Promise<void> {
    await tx.run("UPDATE workflow_versions SET status = 'published', published_at = ?, published_by = ? WHERE workflow_id = ? AND version = ?", [
      at,
      by,
      workflowId,
      version,
    ]);
  }

  async markRetired(tx: Executor, workflowId: string, versions: number[], at: string): Promise<void> {
    for (const v of versions)
      await tx.run("UPDATE workflow_versions SET status = 'retired', retired_at = ? WHERE workflow_id = ? AND version = ?", [at, workflowId, v]);
  }
}
