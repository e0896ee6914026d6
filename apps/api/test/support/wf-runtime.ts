import type { Db } from '../../src/database/db';
import { nowStorage } from '../../src/common/ids';
import type { Client } from './harness';

/** Polls until fn returns something truthy (jobs run after commit); fails after `ms`. */
export async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

/** The pending tasks of a record's instances, straight from the database (what every inbox reads). */
export async function pendingTasks(
  db: Db,
  entityId: string,
  recordId: number,
  n: number,
): Promise<{ id: string; assignee_id: string; instance_id: string; node_id: string }[]> {
  return until(async () => {
    const rows = await db.query<{ id: string; assignee_id: string; instance_id: string; node_id: string }>(
      "SELECT id, assignee_id, instance_id, node_id FROM workflow_tasks WHERE entity_id = ? AND record_id = ? AND status = 'pending' ORDER BY id",
      [entityId, recordId],
    );
    return rows.length >= n ? rows : null;
  }, `${n} pending task(s) on record ${recordId}`);
}

export async function instanceOf(db: Db, entityId: string, recordId: number): Promise<{ id: string; status: string; version: number; state: string }> {
  return until(async () => {
    const rows = await db.query<{ id: string; status: string; version: number; state: string }>(
      'SELECT id, status, version, state FROM workflow_instances WHERE entity_id = ? AND record_id = ?',
      [entityId, recordId],
    );
    return rows[0];
  }, `the instance of record ${recordId}`);
}

export async function finished(db: Db, instanceId: string): Promise<{ status: string; state: string; version: number }> {
  return until(async () => {
    const r = (
      await db.query<{ status: string; state: string; version: number }>('SELECT status, state, version FROM workflow_instances WHERE id = ?', [instanceId])
    )[0];
    return r && r.status !== 'running' ? r : null;
  }, `instance ${instanceId} to finish`);
}

/** Brings every pending delayed job of a type due now (time passing, without waiting for it). */
export async function makeDue(db: Db, name: string): Promise<number> {
  return (await db.run("UPDATE jobs SET run_at = ? WHERE name = ? AND status = 'pending'", [nowStorage(new Date(Date.now() - 1000)), name])).affected;
}

export const approve = (c: Client, taskId: string, body: unknown = {}) => c.post(`/api/workflow-tasks/${encodeURIComponent(taskId)}/approve`, body);
