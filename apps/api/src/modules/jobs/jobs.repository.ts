import { Injectable } from '@nestjs/common';
import { Db, type Executor } from '../../database/db';
import type { Delivery } from './jobs.types';

export interface NewJobRow {
  key: string;
  name: string;
  payload: string;
  runAt: string;
  maxAttempts: number;
  now: string;
}

export interface ClaimedJob {
  id: number;
  job_key: string;
  name: string;
  payload: string;
  attempts: number;
  max_attempts: number;
}

export interface JobStats {
  pending: number;
  due: number;
  queued: number;
  running: number;
  failed: number;
  oldestDueAt: string | null;
  oldestUndeliveredAt: string | null;
}

const ID_LIST_MAX = 500;

/** A pending row as the dispatcher reads it: what its delivery carries. */
export interface DueRow {
  id: number;
  delivery: number;
  job_key: string;
  name: string;
  payload: string;
  attempts: number;
  max_attempts: number;
}

/** All SQL of the job system: the jobs table (outbox and runs), schedules and worker heartbeats. */
@Injectable()
export class JobsRepository {
  constructor(private readonly db: Db) {}

  /** Inserts the row unless its key exists; answers the row id and whether it was new. */
  async insert(ex: Executor, row: NewJobRow): Promise<{ id: number; created: boolean }> {
    const conflict = ex.dialect === 'mysql' ? 'ON DUPLICATE KEY UPDATE id = id' : 'ON CONFLICT (job_key) DO NOTHING';
    const res = await ex.run(
      `INSERT INTO jobs (job_key, name, payload, status, run_at, max_attempts, created_at) VALUES (?, ?, ?, 'pending', ?, ?, ?) ${conflict}`,
      [row.key, row.name, row.payload, row.runAt, row.maxAttempts, row.now],
    );
    if (res.affected === 1 && res.insertId > 0) return { id: res.insertId, created: true };
    const found = await ex.query<{ id: number }>('SELECT id FROM jobs WHERE job_key = ?', [row.key]);
    return { id: Number(found[0]!.id), created: false };
  }

  /**
   * Ids of pending rows due by `now`, oldest first, and the due time of the first pending row
   * that is not (the dispatcher's next wake-up): one statement. `nextAt` is null when the rows
   * answered are all due (more may follow: the caller asks again) or no row is pending.
   */
  /** The due pending rows as they stand (at most `limit`), and the due time of the next one after them (null: none). */
  async due(now: string, limit: number): Promise<{ ids: number[]; rows: DueRow[]; nextAt: string | null }> {
    const rows = await this.db.query<DueRow & { run_at: string }>(
      `SELECT id, run_at, delivery, job_key, name, payload, attempts, max_attempts FROM jobs WHERE status = 'pending' ORDER BY run_at, id LIMIT ?`,
      [limit + 1],
    );
    const due: DueRow[] = [];
    for (const r of rows) {
      const at = String(r.run_at);
      if (at > now) return { ids: due.map((d) => d.id), rows: due, nextAt: at };
      if (due.length < limit) due.push({ ...r, id: Number(r.id) });
    }
    return { ids: due.map((d) => d.id), rows: due, nextAt: null };
  }

  /** The earliest run_at of pending rows (the dispatcher's next wake-up after a failed send), or null. */
  async nextDueAt(): Promise<string | null> {
    const rows = await this.db.query<{ at: string | null }>(`SELECT MIN(run_at) AS at FROM jobs WHERE status = 'pending'`);
    return rows[0]?.at ? String(rows[0].at) : null;
  }

  /**
   * Moves pending rows to queued (a compare-and-set: of several dispatchers, one wins each row)
   * and answers the deliveries this call won.
   */
  async markQueued(ids: readonly number[], token: string, now: string, read?: readonly DueRow[]): Promise<Delivery[]> {
    if (ids.length === 0) return [];
    const list = ids.slice(0, ID_LIST_MAX);
    const marks = list.map(() => '?').join(', ');
    const res = await this.db.run(
      `UPDATE jobs SET status = 'queued', delivery = delivery + 1, claim_token = ?, dispatched_at = ? WHERE status = 'pending' AND id IN (${marks})`,
      [token, now, ...list],
    );
    // Every row won, and `due` read them pending a moment ago: the deliveries are those rows, one delivery on (no read back).
    // A row that went round (queued, run, failed, pending) in between carries a stale delivery; its claim then fails and the sweeper re-dispatches it.
    const byId = read && res.affected === list.length ? new Map(read.map((r) => [Number(r.id), r])) : null;
    const known = byId && list.every((id) => byId.has(id)) ? list.map((id) => byId.get(id)!) : null;
    const won = known
      ? known.map((r) => ({ ...r, delivery: Number(r.delivery) + 1 }))
      : await this.db.query<DueRow>(
          `SELECT id, delivery, job_key, name, payload, attempts, max_attempts FROM jobs WHERE status = 'queued' AND claim_token = ? AND id IN (${marks})`,
          [token, ...list],
        );
    return won.map((r) => ({
      id: Number(r.id),
      delivery: Number(r.delivery),
      job: { name: r.name, key: r.job_key, payload: r.payload, attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts) },
    }));
  }

  /** Puts queued rows the queue did not take back to pending (the queue was unreachable). */
  async unqueue(deliveries: readonly Delivery[]): Promise<void> {
    for (const d of deliveries) {
      await this.db.run(`UPDATE jobs SET status = 'pending', claim_token = NULL WHERE id = ? AND status = 'queued' AND delivery = ?`, [d.id, d.delivery]);
    }
  }

  /** Lost deliveries (the queue no longer holds them) become due again at once. */
  async requeueLost(deliveries: readonly Delivery[], now: string): Promise<void> {
    for (const d of deliveries) {
      await this.db.run(`UPDATE jobs SET status = 'pending', claim_token = NULL, run_at = ? WHERE id = ? AND status = 'queued' AND delivery = ?`, [
        now,
        d.id,
        d.delivery,
      ]);
    }
  }

  /**
   * The claim: one compare-and-set. A queued row of this delivery, or a running row whose lease
   * ran out (its worker died), becomes running under a fresh token. A second delivery of the
   * same job, or one of a finished job, changes nothing and answers null.
   */
  async claim(d: Delivery, token: string, worker: string, now: string, leaseUntil: string): Promise<ClaimedJob | null> {
    if (d.job) {
      // The row as queued: still queued for this delivery with the same attempts, it is the row the delivery carries.
      const fast = await this.db.run(
        `UPDATE jobs SET status = 'running', attempts = attempts + 1, claim_token = ?, claimed_by = ?, lease_until = ?
          WHERE id = ? AND status = 'queued' AND delivery = ? AND attempts = ?`,
        [token, worker, leaseUntil, d.id, d.delivery, d.job.attempts],
      );
      if (fast.affected === 1)
        return { id: d.id, job_key: d.job.key, name: d.job.name, payload: d.job.payload, attempts: d.job.attempts + 1, max_attempts: d.job.maxAttempts };
    }
    const res = await this.db.run(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, claim_token = ?, claimed_by = ?, lease_until = ?
        WHERE id = ? AND ((status = 'queued' AND delivery = ?) OR (status = 'running' AND lease_until < ?))`,
      [token, worker, leaseUntil, d.id, d.delivery, now],
    );
    if (res.affected !== 1) return null;
    const rows = await this.db.query<ClaimedJob>('SELECT id, job_key, name, payload, attempts, max_attempts FROM jobs WHERE id = ? AND claim_token = ?', [
      d.id,
      token,
    ]);
    return rows[0] ? { ...rows[0], id: Number(rows[0].id), attempts: Number(rows[0].attempts), max_attempts: Number(rows[0].max_attempts) } : null;
  }

  /** Marks the claimed job done; false when the claim is no longer ours (nothing changed). */
  async finish(ex: Executor, id: number, token: string, now: string): Promise<boolean> {
    const res = await ex.run(
      `UPDATE jobs SET status = 'done', finished_at = ?, lease_until = NULL, last_error = NULL WHERE id = ? AND status = 'running' AND claim_token = ?`,
      [now, id, token],
    );
    return res.affected === 1;
  }

  /** A failed run: back to pending at retryAt, or failed for good when retryAt is null. */
  async fail(id: number, token: string, error: string, retryAt: string | null, now: string): Promise<boolean> {
    const res =
      retryAt === null
        ? await this.db.run(
            `UPDATE jobs SET status = 'failed', finished_at = ?, lease_until = NULL, last_error = ? WHERE id = ? AND status = 'running' AND claim_token = ?`,
            [now, error, id, token],
          )
        : await this.db.run(
            `UPDATE jobs SET status = 'pending', run_at = ?, lease_until = NULL, claim_token = NULL, last_error = ? WHERE id = ? AND status = 'running' AND claim_token = ?`,
            [retryAt, error, id, token],
          );
    return res.affected === 1;
  }

  /** Extends the lease of a running job; false when the claim was lost. */
  async heartbeat(id: number, token: string, leaseUntil: string): Promise<boolean> {
    const res = await this.db.run(`UPDATE jobs SET lease_until = ? WHERE id = ? AND status = 'running' AND claim_token = ?`, [leaseUntil, id, token]);
    return res.affected === 1;
  }

  /** Running rows whose lease ran out (the worker died or hung): the sweeper hands them back. */
  async expiredClaims(now: string, limit: number): Promise<{ id: number; attempts: number; max_attempts: number; claim_token: string }[]> {
    const rows = await this.db.query<{ id: number; attempts: number; max_attempts: number; claim_token: string }>(
      `SELECT id, attempts, max_attempts, claim_token FROM jobs WHERE status = 'running' AND lease_until < ? ORDER BY lease_until LIMIT ?`,
      [now, limit],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts), max_attempts: Number(r.max_attempts) }));
  }

  /** Releases an expired claim: due again at once, or failed when its attempts are used up. */
  async releaseExpired(id: number, token: string, now: string, giveUp: boolean): Promise<boolean> {
    const res = giveUp
      ? await this.db.run(
          `UPDATE jobs SET status = 'failed', finished_at = ?, lease_until = NULL, last_error = 'worker lost (lease expired) on the last attempt' WHERE id = ? AND status = 'running' AND claim_token = ? AND lease_until < ?`,
          [now, id, token, now],
        )
      : await this.db.run(
          `UPDATE jobs SET status = 'pending', run_at = ?, lease_until = NULL, claim_token = NULL, last_error = 'worker lost (lease expired)' WHERE id = ? AND status = 'running' AND claim_token = ? AND lease_until < ?`,
          [now, id, token, now],
        );
    return res.affected === 1;
  }

  /** Queued rows handed to the queue before `before` (candidates for a lost delivery). */
  async queuedBefore(before: string, limit: number): Promise<Delivery[]> {
    const rows = await this.db.query<{ id: number; delivery: number }>(
      `SELECT id, delivery FROM jobs WHERE status = 'queued' AND dispatched_at < ? ORDER BY dispatched_at LIMIT ?`,
      [before, limit],
    );
    return rows.map((r) => ({ id: Number(r.id), delivery: Number(r.delivery) }));
  }

  /** Counts and ages for the health route. */
  async stats(now: string): Promise<JobStats> {
    const rows = await this.db.query<{ status: string; n: number; oldest: string | null; due: number }>(
      `SELECT status, COUNT(*) AS n, MIN(CASE WHEN run_at <= ? THEN run_at END) AS oldest, SUM(CASE WHEN run_at <= ? THEN 1 ELSE 0 END) AS due
        FROM jobs WHERE status IN ('pending', 'queued', 'running', 'failed') GROUP BY status`,
      [now, now],
    );
    const by = new Map(rows.map((r) => [r.status, r]));
    const n = (s: string) => Number(by.get(s)?.n ?? 0);
    const oldest = [by.get('pending')?.oldest, by.get('queued')?.oldest].filter((x): x is string => !!x).sort()[0] ?? null;
    return {
      pending: n('pending'),
      due: Number(by.get('pending')?.due ?? 0),
      queued: n('queued'),
      running: n('running'),
      failed: n('failed'),
      oldestDueAt: oldest ? String(oldest) : null,
      oldestUndeliveredAt: by.get('pending')?.oldest ? String(by.get('pending')!.oldest) : null,
    };
  }

  /** Deletes up to `limit` jobs done before `before` (failed ones stay for an operator); answers how many. */
  async purgeDone(before: string, limit: number): Promise<number> {
    const ids = await this.db.query<{ id: number }>(`SELECT id FROM jobs WHERE status = 'done' AND finished_at < ? LIMIT ?`, [before, limit]);
    if (ids.length === 0) return 0;
    const res = await this.db.run(
      `DELETE FROM jobs WHERE status = 'done' AND id IN (${ids.map(() => '?').join(', ')})`,
      ids.map((r) => Number(r.id)),
    );
    return res.affected;
  }

  /** One job row, for tests and operators. */
  async find(id: number): Promise<Record<string, unknown> | null> {
    const rows = await this.db.query('SELECT * FROM jobs WHERE id = ?', [id]);
    return rows[0] ?? null;
  }

  // schedules

  /** Creates the schedule row, or updates its spec (keeping the due time unless the spec changed). */
  async upsertSchedule(name: string, spec: string, nextRunAt: string): Promise<void> {
    const rows = await this.db.query<{ spec: string }>('SELECT spec FROM job_schedules WHERE name = ?', [name]);
    if (rows.length === 0) {
      const conflict = this.db.dialect === 'mysql' ? 'ON DUPLICATE KEY UPDATE name = name' : 'ON CONFLICT (name) DO NOTHING';
      await this.db.run(`INSERT INTO job_schedules (name, spec, next_run_at) VALUES (?, ?, ?) ${conflict}`, [name, spec, nextRunAt]);
    } else if (rows[0]!.spec !== spec) {
      await this.db.run('UPDATE job_schedules SET spec = ?, next_run_at = ? WHERE name = ? AND spec = ?', [spec, nextRunAt, name, rows[0]!.spec]);
    }
  }

  async dueSchedules(now: string): Promise<{ name: string; next_run_at: string }[]> {
    const rows = await this.db.query<{ name: string; next_run_at: string }>('SELECT name, next_run_at FROM job_schedules WHERE next_run_at <= ?', [now]);
    return rows.map((r) => ({ name: r.name, next_run_at: String(r.next_run_at) }));
  }

  /** Advances a schedule from `due` to `next` (compare-and-set); true for the one process that wins. */
  async advanceSchedule(tx: Executor, name: string, due: string, next: string, now: string): Promise<boolean> {
    const res = await tx.run('UPDATE job_schedules SET next_run_at = ?, last_fired_at = ? WHERE name = ? AND next_run_at = ?', [next, now, name, due]);
    return res.affected === 1;
  }

  // worker heartbeats (readiness)

  async beat(id: string, role: string, driver: string, running: number, now: string, startedAt: string): Promise<void> {
    const res = await this.db.run('UPDATE job_workers SET seen_at = ?, running = ? WHERE id = ?', [now, running, id]);
    if (res.affected === 0) {
      await this.db.run('INSERT INTO job_workers (id, role, driver, started_at, seen_at, running) VALUES (?, ?, ?, ?, ?, ?)', [
        id,
        role,
        driver,
        startedAt,
        now,
        running,
      ]);
    }
  }

  async forget(id: string): Promise<void> {
    await this.db.run('DELETE FROM job_workers WHERE id = ?', [id]);
  }

  /** Consumers seen since `since`; older rows (crashed processes) are removed. */
  async liveWorkers(since: string): Promise<{ id: string; role: string; driver: string; started_at: string; seen_at: string; running: number }[]> {
    await this.db.run('DELETE FROM job_workers WHERE seen_at < ?', [since]);
    const rows = await this.db.query<{ id: string; role: string; driver: string; started_at: string; seen_at: string; running: number }>(
      'SELECT id, role, driver, started_at, seen_at, running FROM job_workers ORDER BY started_at',
    );
    return rows.map((r) => ({ ...r, running: Number(r.running) }));
  }
}
