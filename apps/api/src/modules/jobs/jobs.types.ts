import type { Executor } from '../../database/db';

/** A job to do, as a feature asks for it. Payloads carry ids, not data: the handler reads the truth. */
export interface JobRequest {
  /** A job type registered with `JobRegistry.register` (e.g. `workflow.timer`). */
  name: string;
  /** Small JSON of ids (at most 16 KiB). */
  payload?: Record<string, unknown>;
  /**
   * The idempotency key: a second request with the same key adds nothing (e.g.
   * `workflow.timer:<task id>:<deadline>`). Default: a fresh id, i.e. every request is a new job.
   */
  key?: string;
  /** Not before this time (delayed work: deadlines, waits, reminders). */
  runAt?: Date;
  /** Not before this many milliseconds from now; ignored when runAt is given. */
  delayMs?: number;
  /** Runs of a failing handler before the job is given up as failed (default 5). */
  maxAttempts?: number;
}

/** What `enqueue` / `outbox.add` answer: the row id, and whether this call created it. */
export interface Enqueued {
  id: number;
  key: string;
  created: boolean;
}

/** What a handler is given for one run of a job. */
export interface JobContext {
  readonly id: number;
  readonly name: string;
  readonly key: string;
  readonly payload: Record<string, unknown>;
  /** 1 for the first run; more after a failure or a lost worker. */
  readonly attempt: number;
  /**
   * A key for external receivers (webhooks): the same for every run of this job, so a receiver
   * that dedupes on it sees the effect once.
   */
  readonly idempotencyKey: string;
  /** Aborted when the process is shutting down past its grace period, or the claim was lost. */
  readonly signal: AbortSignal;
  /**
   * Runs fn in one transaction together with marking this job done (a compare-and-set on the
   * claim): the database effect and the completion commit together or not at all, so a job run
   * twice changes the database once. Throws JobClaimLostError (and rolls back) when the claim was
   * taken back meanwhile. A handler without database effects need not call it.
   */
  complete<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
}

export type JobHandler = (ctx: JobContext) => Promise<void>;

export interface JobTypeOptions {
  /** Default attempts for jobs of this type. */
  maxAttempts?: number;
}

/** A periodic job: fires from exactly one process per due time. */
export interface ScheduleSpec {
  /** Unique name of the schedule; also the job name it enqueues unless `job` says otherwise. */
  name: string;
  /** Either a fixed period in milliseconds, or a cron expression (5 or 6 fields, UTC). */
  everyMs?: number;
  cron?: string;
  /** The job type it enqueues (default `name`) and its payload. */
  job?: string;
  payload?: Record<string, unknown>;
}

/** One message the queue carries: the row and which delivery of it this is. */
export interface Delivery {
  id: number;
  delivery: number;
  /**
   * The row as the dispatcher queued it (type, key, payload, attempts so far): with it the claim
   * is one compare-and-set that also checks `attempts`, and reads nothing back. Without it (or
   * when the row moved meanwhile) the claim reads the row after its compare-and-set.
   */
  job?: QueuedJob;
}

export interface QueuedJob {
  name: string;
  key: string;
  payload: string;
  attempts: number;
  maxAttempts: number;
}

/** How a driver hands deliveries to this process's runner. */
export type DeliveryConsumer = (d: Delivery) => Promise<void>;

/**
 * A queue driver delivers rows the database already holds; it is never the truth. Drivers:
 * in-process (memory, the embedded default) and BullMQ (Redis).
 */
export interface QueueDriver {
  readonly kind: 'in-process' | 'bullmq';
  /** Hands deliveries to the queue; throws when the queue is unreachable (the rows stay due). */
  send(deliveries: readonly Delivery[]): Promise<void>;
  /** Whether the queue still holds (waiting or active) this delivery; used to find lost ones. */
  holds(d: Delivery): Promise<boolean>;
  /** Starts consuming into fn (only in consuming processes). */
  consume(fn: DeliveryConsumer, concurrency: number): Promise<void>;
  /** Deliveries waiting in the queue (not yet started), or null when the queue is unreachable. */
  depth(): Promise<number | null>;
  /** Stops taking new deliveries and waits for the running ones (at most graceMs). */
  stop(graceMs: number): Promise<void>;
}

export const QUEUE_DRIVER = Symbol('QUEUE_DRIVER');
