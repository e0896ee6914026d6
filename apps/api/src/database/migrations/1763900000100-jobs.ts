import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/**
 * The job system's truth (docs/jobs.md). `jobs` is the outbox and the run in one row: written in
 * the transaction of the change that wants the work, handed to the queue after commit, claimed
 * with a compare-and-set on `status`/`claim_token`, repaired by the sweeper from `lease_until`.
 * `job_schedules` holds each periodic job's next due time; advancing it is the compare-and-set
 * that lets exactly one process fire a tick.
 */
export class Jobs1763900000100 implements MigrationInterface {
  name = 'Jobs1763900000100';

  async up(qr: QueryRunner): Promise<void> {
    const { ts, str, text, bigAuto, tail } = sqlTypes(qr);
    await qr.query(
      `CREATE TABLE jobs (id ${bigAuto}, job_key ${str(191)} NOT NULL, name ${str(100)} NOT NULL, payload ${text} NOT NULL,
        status ${str(16)} NOT NULL, run_at ${ts} NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL,
        delivery INTEGER NOT NULL DEFAULT 0, claim_token ${str(36)} NULL, claimed_by ${str(100)} NULL, lease_until ${ts} NULL,
        dispatched_at ${ts} NULL, created_at ${ts} NOT NULL, finished_at ${ts} NULL, last_error ${text} NULL)${tail}`,
    );
    await qr.query('CREATE UNIQUE INDEX ux_jobs_key ON jobs (job_key)');
    await qr.query('CREATE INDEX ix_jobs_status_run ON jobs (status, run_at)');
    await qr.query(
      `CREATE TABLE job_schedules (name ${str(100)} NOT NULL PRIMARY KEY, spec ${str(200)} NOT NULL, next_run_at ${ts} NOT NULL,
        last_fired_at ${ts} NULL)${tail}`,
    );
    await qr.query(
      `CREATE TABLE job_workers (id ${str(100)} NOT NULL PRIMARY KEY, role ${str(16)} NOT NULL, driver ${str(16)} NOT NULL,
        started_at ${ts} NOT NULL, seen_at ${ts} NOT NULL, running INTEGER NOT NULL DEFAULT 0)${tail}`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE job_workers');
    await qr.query('DROP TABLE job_schedules');
    await qr.query('DROP TABLE jobs');
  }
}
