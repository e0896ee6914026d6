import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { nowStorage } from '../../common/ids';
import { Db, type Executor } from '../../database/db';
import { JobRegistry } from './job-registry';
import { type ClaimedJob, JobsRepository } from './jobs.repository';
import type { Delivery, JobContext } from './jobs.types';

/** The claim of a job was taken back (lease expired, sweeper re-dispatched it): this run's effects must not commit. */
export class JobClaimLostError extends Error {
  constructor(id: number) {
    super(`Job ${id}: the claim was lost (lease expired); this run's effects were rolled back`);
    this.name = 'JobClaimLostError';
  }
}

const ERROR_MAX = 2000;

/** Retry delay after the n-th failed attempt: 1 s, 2 s, 4 s … at most 10 minutes. */
export const retryDelayMs = (attempt: number): number => Math.min(600_000, 1000 * 2 ** Math.max(0, attempt - 1));

interface Running {
  job: ClaimedJob;
  token: string;
  abort: AbortController;
}

/**
 * Runs one delivery: claim (compare-and-set in the database), the handler, then done / retry /
 * failed — each a compare-and-set on the claim token, so a run whose claim was taken back
 * changes nothing. A heartbeat extends the lease of running jobs; a worker that dies stops
 * beating and the sweeper hands its jobs to another run.
 */
@Injectable()
export class JobRunner {
  private readonly log = new Logger('Jobs');
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<number, Running>();
  private beat: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly repo: JobsRepository,
    private readonly registry: JobRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get active(): number {
    return this.running.size;
  }

  startHeartbeat(): void {
    const every = Math.max(200, Math.floor(this.config.jobs.leaseMs / 3));
    this.beat = setInterval(() => void Db.background(() => this.extendLeases()), every);
  }

  stopHeartbeat(): void {
    if (this.beat) clearInterval(this.beat);
    this.beat = null;
  }

  /** Aborts the signal of every running handler (shutdown past its grace period). */
  abortAll(): void {
    for (const r of this.running.values()) r.abort.abort(new Error('worker shutting down'));
  }

  /** Runs one delivery; never throws (a failure is recorded on the row). */
  run(d: Delivery): Promise<void> {
    return Db.background(() => this.runDelivery(d));
  }

  private async runDelivery(d: Delivery): Promise<void> {
    const token = randomUUID();
    const now = Date.now();
    let job: ClaimedJob | null;
    try {
      job = await this.repo.claim(d, token, this.workerId, nowStorage(new Date(now)), nowStorage(new Date(now + this.config.jobs.leaseMs)));
    } catch (err) {
      this.log.warn(`Job ${d.id}: claim failed (${(err as Error).message}); the sweeper retries it`);
      return;
    }
    if (!job) return; // delivered twice, or already done: nothing to do
    const abort = new AbortController();
    const entry: Running = { job, token, abort };
    this.running.set(job.id, entry);
    try {
      const type = this.registry.get(job.name);
      if (!type) throw new Error(`no handler for job type "${job.name}" in this process`);
      let completed = false;
      const ctx: JobContext = {
        id: job.id,
        name: job.name,
        key: job.job_key,
        payload: JSON.parse(job.payload) as Record<string, unknown>,
        attempt: job.attempts,
        idempotencyKey: `job-${job.id}-${job.job_key}`.slice(0, 200),
        signal: abort.signal,
        complete: async <T>(fn: (tx: Executor) => Promise<T>): Promise<T> => {
          const result = await this.db.transaction(async (tx) => {
            if (!(await this.repo.finish(tx, job.id, token, nowStorage()))) throw new JobClaimLostError(job.id);
            return fn(tx);
          });
          completed = true;
          return result;
        },
      };
      await type.handler(ctx);
      if (!completed && !(await this.repo.finish(this.db, job.id, token, nowStorage()))) this.log.warn(`Job ${job.id}: finished after its claim was lost`);
    } catch (err) {
      await this.recordFailure(job, token, err);
    } finally {
      this.running.delete(job.id);
    }
  }

  private async recordFailure(job: ClaimedJob, token: string, err: unknown): Promise<void> {
    if (err instanceof JobClaimLostError) return this.log.warn(err.message);
    const message = (err instanceof Error ? err.message : String(err)).slice(0, ERROR_MAX);
    const giveUp = job.attempts >= job.max_attempts;
    const retryAt = giveUp ? null : nowStorage(new Date(Date.now() + retryDelayMs(job.attempts)));
    try {
      await this.repo.fail(job.id, token, message, retryAt, nowStorage());
      this.log.warn(`Job ${job.id} (${job.name}) attempt ${job.attempts}/${job.max_attempts} failed: ${message}${giveUp ? ' — given up' : ''}`);
    } catch (e) {
      this.log.warn(`Job ${job.id}: could not record its failure (${(e as Error).message}); the sweeper retries it`);
    }
  }

  private async extendLeases(): Promise<void> {
    const until = nowStorage(new Date(Date.now() + this.config.jobs.leaseMs));
    for (const r of [...this.running.values()]) {
      try {
        if (!(await this.repo.heartbeat(r.job.id, r.token, until))) r.abort.abort(new Error('claim lost'));
      } catch {
        /* the database is briefly unreachable: the lease still has two thirds left */
      }
    }
  }
}
