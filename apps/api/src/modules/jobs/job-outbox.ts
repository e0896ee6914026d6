import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors';
import { nowStorage } from '../../common/ids';
import { Db, type Executor } from '../../database/db';
import { JobDispatcher } from './job-dispatcher';
import { JobRegistry } from './job-registry';
import { JobsRepository } from './jobs.repository';
import type { Enqueued, JobRequest } from './jobs.types';

const PAYLOAD_MAX = 16 * 1024;
const KEY_MAX = 191;

/**
 * The outbox: how a feature asks for work. `add(tx, job)` writes the job row in the caller's
 * transaction (e.g. a record-event `inTransaction` subscriber, or a workflow decision), so the
 * job exists if and only if the change committed; after commit the dispatcher hands it to the
 * queue. `enqueue(job)` is the same in a transaction of its own.
 */
@Injectable()
export class JobOutbox {
  constructor(
    private readonly db: Db,
    private readonly repo: JobsRepository,
    private readonly registry: JobRegistry,
    private readonly dispatcher: JobDispatcher,
  ) {}

  async add(tx: Executor, job: JobRequest): Promise<Enqueued> {
    const row = this.rowOrThrow(job);
    const { id, created } = await this.repo.insert(tx, row);
    // The row as inserted goes with the kick: the dispatcher sends it without reading the due rows first.
    const pending = { id, delivery: 0, job_key: row.key, name: row.name, payload: row.payload, attempts: 0, max_attempts: row.maxAttempts };
    if (created) tx.afterCommit(() => this.dispatcher.kick(new Date(row.runAt.replace(' ', 'T') + 'Z'), pending));
    return { id, key: row.key, created };
  }

  enqueue(job: JobRequest): Promise<Enqueued> {
    return this.db.transaction((tx) => this.add(tx, job));
  }

  private rowOrThrow(job: JobRequest) {
    const type = this.registry.getOrThrow(job.name);
    const payload = JSON.stringify(job.payload ?? {});
    if (Buffer.byteLength(payload) > PAYLOAD_MAX) {
      throw new AppError(
        'JOB_PAYLOAD_TOO_LARGE',
        `Job "${job.name}": payload is ${Buffer.byteLength(payload)} bytes, at most ${PAYLOAD_MAX}; carry ids, not data`,
      );
    }
    const key = job.key ?? `${job.name}:${randomUUID()}`;
    if (key.length === 0 || key.length > KEY_MAX) throw new AppError('INVALID_JOB', `Job "${job.name}": key must be 1-${KEY_MAX} characters`);
    const maxAttempts = job.maxAttempts ?? type.maxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100)
      throw new AppError('INVALID_JOB', `Job "${job.name}": maxAttempts must be 1-100`);
    const now = new Date();
    const runAt = job.runAt ?? new Date(now.getTime() + Math.max(0, job.delayMs ?? 0));
    if (Number.isNaN(runAt.getTime())) throw new AppError('INVALID_JOB', `Job "${job.name}": runAt is not a valid date`);
    return { key, name: job.name, payload, runAt: nowStorage(runAt), maxAttempts, now: nowStorage(now) };
  }
}
