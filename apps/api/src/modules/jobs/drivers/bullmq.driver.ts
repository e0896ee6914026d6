import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { Delivery, DeliveryConsumer, QueuedJob, QueueDriver } from '../jobs.types';

export const QUEUE_NAME = 'jobs';
const jobIdOf = (d: Delivery) => `${d.id}-${d.delivery}`;

/** A message back to a delivery; the row it carries only when whole (the claim checks it against the database). */
function deliveryOf(data: Record<string, unknown>): Delivery {
  const d: Delivery = { id: Number(data.id), delivery: Number(data.delivery) };
  const j = data.job as Partial<QueuedJob> | undefined;
  if (
    j &&
    typeof j.name === 'string' &&
    typeof j.key === 'string' &&
    typeof j.payload === 'string' &&
    Number.isInteger(j.attempts) &&
    Number.isInteger(j.maxAttempts)
  )
    d.job = j as QueuedJob;
  return d;
}

/**
 * Redis + BullMQ: deliveries are BullMQ jobs (id `<row>-<delivery>`, data = the two numbers and the row as queued),
 * consumed by every worker process. BullMQ's own retries and delays are not used: the row
 * decides retries and due times, so a Redis that loses its data loses nothing (the sweeper
 * sees `holds` answer false and the row is sent again).
 */
export class BullmqDriver implements QueueDriver {
  readonly kind = 'bullmq' as const;
  private readonly log = new Logger('Jobs');
  private readonly producerConnection: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;

  constructor(
    private readonly url: string,
    private readonly prefix: string,
  ) {
    // Fail fast while Redis is down: the rows stay in the outbox and the dispatcher retries.
    this.producerConnection = new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      retryStrategy: (n) => Math.min(n * 200, 2000),
    });
    this.producerConnection.on('error', () => undefined);
    this.queue = new Queue(QUEUE_NAME, { connection: this.producerConnection, prefix, skipVersionCheck: true });
    this.queue.on('error', () => undefined);
  }

  async send(deliveries: readonly Delivery[]): Promise<void> {
    if (this.producerConnection.status !== 'ready') throw new Error(`Redis is ${this.producerConnection.status}`);
    await this.queue.addBulk(
      deliveries.map((d) => ({
        name: 'run',
        data: { id: d.id, delivery: d.delivery, ...(d.job ? { job: d.job } : {}) },
        opts: { jobId: jobIdOf(d), removeOnComplete: true, removeOnFail: true, attempts: 1 },
      })),
    );
  }

  async holds(d: Delivery): Promise<boolean> {
    if (this.producerConnection.status !== 'ready') throw new Error(`Redis is ${this.producerConnection.status}`);
    const state = await this.queue.getJobState(jobIdOf(d));
    return state === 'waiting' || state === 'active' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children';
  }

  async consume(fn: DeliveryConsumer, concurrency: number): Promise<void> {
    this.workerConnection = new Redis(this.url, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 2000) });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker(QUEUE_NAME, async (job) => fn(deliveryOf(job.data as Record<string, unknown>)), {
      connection: this.workerConnection,
      prefix: this.prefix,
      concurrency,
      skipVersionCheck: true,
      // A delivery whose process died is the sweeper's to repair from the row; BullMQ need not re-run it.
      maxStalledCount: 1,
    });
    this.worker.on('error', (err) => this.log.debug(`BullMQ worker: ${err.message}`));
  }

  async depth(): Promise<number | null> {
    if (this.producerConnection.status !== 'ready') return null;
    try {
      return await this.queue.getWaitingCount();
    } catch {
      return null;
    }
  }

  async stop(graceMs: number): Promise<void> {
    const within = (p: Promise<unknown>, ms: number) =>
      Promise.race([p.then(() => true), new Promise<boolean>((ok) => setTimeout(() => ok(false), ms).unref())]);
    if (this.worker && !(await within(this.worker.close(), graceMs))) await within(this.worker.close(true), 2000).catch(() => undefined);
    // Commands waiting for a Redis that is away must not hold the process: their rows stay in the database.
    await within(this.queue.close(), 2000).catch(() => undefined);
    this.producerConnection.disconnect();
    this.workerConnection?.disconnect();
  }
}
