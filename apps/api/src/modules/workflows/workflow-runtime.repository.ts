import type { Task, TimelineEntry } from '@crm/workflow';
import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';

export interface InstanceRow {
  id: string;
  workspace_id: string;
  workflow_id: string;
  version: number;
  entity_id: string;
  record_id: number;
  submitter_id: string;
  status: string;
  state: string;
  rev: number;
  started_at: string;
  updated_at: string;
  ended_at: string | null;
  error: string | null;
  /** The entity's current metadata version, read with the instance (null: the entity is gone); absent on rows not read by `instance`. */
  entity_version?: number | null;
}

export interface TaskRow {
  id: string;
  instance_id: string;
  workspace_id: string;
  workflow_id: string;
  entity_id: string;
  record_id: number;
  node_id: string;
  kind: string;
  assignee_id: string;
  submitter_id: string;
  status: string;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

export interface TimelineRow {
  id: number;
  at: string;
  kind: string;
  node_id: string | null;
  task_id: string | null;
  actor_id: string | null;
  comment: string | null;
  detail: string | null;
}

/** A task close as the transition's compare-and-set may carry it. */
export type TaskClose = Pick<Task, 'id' | 'status' | 'decidedBy'> & { at: string };

/** A timeline line to write: the engine's entry, its instance and its time as stored. */
export type TimelineLine = TimelineEntry & { storageAt: string; instanceId: string; workspaceId: string };

const I_COLS = 'id, workspace_id, workflow_id, version, entity_id, record_id, submitter_id, status, state, rev, started_at, updated_at, ended_at, error';
export const T_COLS =
  'id, instance_id, workspace_id, workflow_id, entity_id, record_id, node_id, kind, assignee_id, submitter_id, status, created_at, decided_at, decided_by';

const aliases = (cols: string, prefix: string) => cols.split(', ').map((k) => [k, `${prefix}_${k}`] as const);
const T_ALIASES = aliases(T_COLS, 't');
const I_ALIASES = aliases(I_COLS, 'i');
const TASK_WITH_INSTANCE = `SELECT ${[...T_ALIASES, ...I_ALIASES].map(([k, a]) => `${a[0]}.${k} AS ${a}`).join(', ')}, (SELECT e.version FROM entities e WHERE e.id = i.entity_id AND e.workspace_id = i.workspace_id AND e.status = 'active' AND e.deleted_at IS NULL) AS entity_version FROM workflow_tasks t LEFT JOIN workflow_instances i ON i.id = t.instance_id AND i.workspace_id = t.workspace_id WHERE t.id = ? AND t.workspace_id = ?`;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Instances, tasks, node runs, timeline lines, cc lines and comments: the runtime's SQL. */
@Injectable()
export class WorkflowRuntimeRepository {
  constructor(readonly db: Db) {}

  /** The instance with its entity's metadata version in the same statement (EntityRuntime.atVersionOrThrow needs no look-up of its own). */
  async instance(workspaceId: string, id: string, exec: Executor = this.db): Promise<InstanceRow | null> {
    const rows = await exec.query<InstanceRow>(
      `SELECT ${I_COLS}, (SELECT e.version FROM entities e WHERE e.id = i.entity_id AND e.workspace_id = i.workspace_id AND e.status = 'active' AND e.deleted_at IS NULL) AS entity_version FROM workflow_instances i WHERE i.id = ? AND i.workspace_id = ?`,
      [id, workspaceId],
    );
    const row = rows[0];
    if (!row) return null;
    row.entity_version = row.entity_version === null || row.entity_version === undefined ? null : Number(row.entity_version);
    return row;
  }

  /** A task and its instance (with the entity's version, as `instance` reads it) in one statement; the instance is null when gone. */
  async taskWithInstance(workspaceId: string, taskId: string): Promise<{ task: TaskRow; row: InstanceRow | null } | null> {
    const rows = await this.db.query<Record<string, unknown>>(TASK_WITH_INSTANCE, [taskId, workspaceId]);
    const r = rows[0];
    if (!r) return null;
    const pick = (cols: readonly (readonly [string, string])[]) => {
      const o: Record<string, unknown> = {};
      for (const [k, alias] of cols) o[k] = r[alias];
      return o;
    };
    const task = pick(T_ALIASES) as unknown as TaskRow;
    if (r.i_id === null || r.i_id === undefined) return { task, row: null };
    const row = pick(I_ALIASES) as unknown as InstanceRow;
    row.entity_version = r.entity_version === null || r.entity_version === undefined ? null : Number(r.entity_version);
    return { task, row };
  }

  async instancesOfRecord(workspaceId: string, entityId: string, recordId: number): Promise<InstanceRow[]> {
    return this.db.query<InstanceRow>(
      `SELECT ${I_COLS} FROM workflow_instances WHERE workspace_id = ? AND entity_id = ? AND record_id = ? ORDER BY started_at DESC LIMIT 50`,
      [workspaceId, entityId, recordId],
    );
  }

  /** New instances in one statement. */
  async insertInstances(tx: Executor, rows: readonly InstanceRow[]): Promise<void> {
    if (!rows.length) return;
    const params: unknown[] = [];
    for (const row of rows)
      params.push(
        row.id,
        row.workspace_id,
        row.workflow_id,
        row.version,
        row.entity_id,
        row.record_id,
        row.submitter_id,
        row.status,
        row.state,
        row.rev,
        row.started_at,
        row.updated_at,
        row.ended_at,
        row.error,
      );
    await tx.run(`INSERT INTO workflow_instances (${I_COLS}) VALUES ${rows.map(() => `(${placeholders(14)})`).join(', ')}`, params);
  }

  /**
   * The compare-and-set every transition commits with: false when another writer moved the
   * instance first. `close`: on MySQL the transition's first task close goes in the same
   * statement (a two-table `UPDATE`, the instance first: one round trip fewer per decision).
   */
  async updateInstanceIfRev(
    tx: Executor,
    id: string,
    rev: number,
    v: { state: string; status: string; updated_at: string; ended_at: string | null; error: string | null },
    close?: TaskClose,
  ): Promise<boolean> {
    if (close && tx.dialect === 'mysql') {
      // STRAIGHT_JOIN keeps the instance row locked before the task row, as the two statements did.
      const both = await tx.run(
        'UPDATE workflow_instances i STRAIGHT_JOIN workflow_tasks t SET i.state = ?, i.status = ?, i.rev = i.rev + 1, i.updated_at = ?, i.ended_at = ?, i.error = ?, t.status = ?, t.decided_at = ?, t.decided_by = ? WHERE i.id = ? AND i.rev = ? AND t.id = ?',
        [v.state, v.status, v.updated_at, v.ended_at, v.error, close.status, close.at, close.decidedBy ?? null, id, rev, close.id],
      );
      // Both rows matched (each is one primary key): done. None: a lost race, or no row of the task (then as two statements).
      if (both.affected > 0) return true;
    }
    const r = await tx.run(
      'UPDATE workflow_instances SET state = ?, status = ?, rev = rev + 1, updated_at = ?, ended_at = ?, error = ? WHERE id = ? AND rev = ?',
      [v.state, v.status, v.updated_at, v.ended_at, v.error, id, rev],
    );
    if (r.affected !== 1) return false;
    if (close) await this.closeTask(tx, close, close.at);
    return true;
  }

  /**
   * Inserts the tasks of one transition in one statement; a task that exists already (加签-before
   * announces a queued task again) is set back to its new status, undecided.
   */
  async upsertTasks(tx: Executor, rows: readonly TaskRow[]): Promise<void> {
    if (!rows.length) return;
    const conflict =
      tx.dialect === 'mysql'
        ? 'ON DUPLICATE KEY UPDATE status = VALUES(status), decided_at = NULL, decided_by = NULL'
        : 'ON CONFLICT (id) DO UPDATE SET status = excluded.status, decided_at = NULL, decided_by = NULL';
    const params: unknown[] = [];
    for (const row of rows)
      params.push(
        row.id,
        row.instance_id,
        row.workspace_id,
        row.workflow_id,
        row.entity_id,
        row.record_id,
        row.node_id,
        row.kind,
        row.assignee_id,
        row.submitter_id,
        row.status,
        row.created_at,
        row.decided_at,
        row.decided_by,
      );
    await tx.run(`INSERT INTO workflow_tasks (${T_COLS}) VALUES ${rows.map(() => `(${placeholders(14)})`).join(', ')} ${conflict}`, params);
  }

  async closeTask(tx: Executor, task: Pick<Task, 'id' | 'status' | 'decidedAt' | 'decidedBy'>, at: string): Promise<void> {
    await tx.run('UPDATE workflow_tasks SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?', [task.status, at, task.decidedBy ?? null, task.id]);
  }

  async task(workspaceId: string, id: string, exec: Executor = this.db): Promise<TaskRow | null> {
    const rows = await exec.query<TaskRow>(`SELECT ${T_COLS} FROM workflow_tasks WHERE id = ? AND workspace_id = ?`, [id, workspaceId]);
    return rows[0] ?? null;
  }

  async tasksOfInstance(instanceId: string): Promise<TaskRow[]> {
    return this.db.query<TaskRow>(`SELECT ${T_COLS} FROM workflow_tasks WHERE instance_id = ? ORDER BY created_at, id`, [instanceId]);
  }

  /** Timeline lines (of one or more instances) in one statement, in the order given. */
  async insertTimeline(tx: Executor, lines: readonly TimelineLine[]): Promise<void> {
    if (!lines.length) return;
    const params: unknown[] = [];
    for (const l of lines) {
      const { at: _at, storageAt, instanceId, workspaceId, kind, nodeId, taskId, actor, comment, ...rest } = l;
      const detail = Object.keys(rest).length ? JSON.stringify(rest) : null;
      params.push(instanceId, workspaceId, storageAt, kind, nodeId ?? null, taskId ?? null, actor ?? null, comment?.slice(0, 2000) ?? null, detail);
    }
    await tx.run(
      `INSERT INTO workflow_timeline (instance_id, workspace_id, at, kind, node_id, task_id, actor_id, comment, detail) VALUES ${lines.map(() => `(${placeholders(9)})`).join(', ')}`,
      params,
    );
  }

  async timeline(instanceId: string): Promise<TimelineRow[]> {
    return this.db.query<TimelineRow>(
      'SELECT id, at, kind, node_id, task_id, actor_id, comment, detail FROM workflow_timeline WHERE instance_id = ? ORDER BY id LIMIT 2000',
      [instanceId],
    );
  }

  async insertNodeRun(
    tx: Executor,
    r: { key: string; instanceId: string; workspaceId: string; type: string; nodeId: string | null; at: string },
  ): Promise<void> {
    await tx.run(
      "INSERT INTO workflow_node_runs (effect_key, instance_id, workspace_id, type, node_id, status, result, created_at) VALUES (?, ?, ?, ?, ?, 'pending', NULL, ?)",
      [r.key, r.instanceId, r.workspaceId, r.type, r.nodeId, r.at],
    );
  }

  /** The node run's claim: pending → done once; a second run of the same job matches nothing. */
  async finishNodeRun(tx: Executor, key: string, result: unknown, at: string): Promise<boolean> {
    const r = await tx.run("UPDATE workflow_node_runs SET status = 'done', result = ?, finished_at = ? WHERE effect_key = ? AND status = 'pending'", [
      JSON.stringify(result ?? null),
      at,
      key,
    ]);
    return r.affected === 1;
  }

  async nodeRun(key: string, exec: Executor = this.db): Promise<{ status: string; result: string | null } | null> {
    const rows = await exec.query<{ status: string; result: string | null }>('SELECT status, result FROM workflow_node_runs WHERE effect_key = ?', [key]);
    return rows[0] ?? null;
  }

  async insertCc(tx: Executor, workspaceId: string, instanceId: string, nodeId: string, members: string[], at: string): Promise<void> {
    for (const m of members) {
      const exists = await tx.query('SELECT 1 AS x FROM workflow_cc WHERE instance_id = ? AND member_id = ? AND node_id = ?', [instanceId, m, nodeId]);
      if (!exists.length)
        await tx.run('INSERT INTO workflow_cc (instance_id, member_id, node_id, workspace_id, created_at) VALUES (?, ?, ?, ?, ?)', [
          instanceId,
          m,
          nodeId,
          workspaceId,
          at,
        ]);
    }
  }

  /** The cc nodes that copied the instance to a member. */
  async ccNodesOf(instanceId: string, memberId: string): Promise<string[]> {
    const rows = await this.db.query<{ node_id: string }>('SELECT DISTINCT node_id FROM workflow_cc WHERE instance_id = ? AND member_id = ?', [
      instanceId,
      memberId,
    ]);
    return rows.map((r) => r.node_id);
  }

  async isCc(instanceId: string, memberId: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 AS x FROM workflow_cc WHERE instance_id = ? AND member_id = ? LIMIT 1', [instanceId, memberId])).length > 0;
  }

  async insertComment(
    tx: Executor,
    c: { id: string; instanceId: string; workspaceId: string; taskId: string | null; authorId: string; body: string; signature: string | null; at: string },
  ): Promise<void> {
    await tx.run(
      'INSERT INTO workflow_comments (id, instance_id, workspace_id, task_id, author_id, body, signature, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [c.id, c.instanceId, c.workspaceId, c.taskId, c.authorId, c.body, c.signature, c.at],
    );
  }

  async comments(instanceId: string) {
    return this.db.query<{ id: string; task_id: string | null; author_id: string; body: string; signature: string | null; created_at: string }>(
      'SELECT id, task_id, author_id, body, signature, created_at FROM workflow_comments WHERE instance_id = ? ORDER BY created_at, id LIMIT 1000',
      [instanceId],
    );
  }
}
