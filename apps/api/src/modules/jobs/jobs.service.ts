import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { nowStorage } from '../../common/ids';
import { Db } from '../../database/db';
import { JobDispatcher } from './job-dispatcher';
import { JobRunner } from './job-runner';
import { JobScheduler } from './job-scheduler';
import { JobSweeper } from './job-sweeper';
import { JobsRepository } from './jobs.repository';
import { QUEUE_DRIVER, type QueueDriver } from './jobs.types';

const ageSeconds = (at: string | null, now: number) => (at ? Math.max(0, Math.round((now - Date.parse(at.replace(' ', 'T') + 'Z')) / 1000)) : 0);

export interface JobsHealth {
  driver: 'in-process' | 'bullmq';
  ready: boolean;
  /** Processes consuming jobs, seen within three heartbeats. */
  consumers: { id: string; role: string; driver: string; startedAt: string; seenAt: string; running: number }[];
  /** Deliveries waiting in the queue (null: the queue is unreachable). */
  queueDepth: number | null;
  /** Jobs due and not finished (pending or queued). */
  due: number;
  /** Seconds since the oldest due, unfinished job was due. */
  oldestJobAgeSeconds: number;
  /** Due rows not yet handed to the queue, and the age of the oldest. */
  outboxBacklog: number;
  outboxOldestAgeSeconds: number;
  running: number;
  failed: number;
  /** Delayed jobs not yet due. */
  scheduled: number;
}

/**
 * The job system's life cycle in this process. Every process dispatches after its own commits;
 * a consuming process (the worker; the API without REDIS_URL, or with JOBS_CONSUME=on) also
 * polls for due rows, runs handlers, sweeps, fires schedules and reports a heartbeat.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Jobs');
  readonly consuming: boolean;
  private beat: NodeJS.Timeout | null = null;
  private readonly startedAt = nowStorage();

  constructor(
    private readonly repo: JobsRepository,
    private readonly dispatcher: JobDispatcher,
    private readonly runner: JobRunner,
    private readonly sweeper: JobSweeper,
    private readonly scheduler: JobScheduler,
    @Inject(QUEUE_DRIVER) private readonly driver: QueueDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const c = config.jobs;
    this.consuming = c.consume === 'on' || (c.consume === 'auto' && (c.role === 'worker' || !config.redisUrl));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.consuming) {
      // Producers hand their own commits to Redis at once; with the in-process driver and no consumer here, rows wait for a consuming process.
      if (this.driver.kind === 'bullmq') this.dispatcher.start(0);
      return;
    }
    await this.scheduler.install();
    await this.driver.consume((d) => this.runner.run(d), this.config.jobs.concurrency);
    this.runner.startHeartbeat();
    await this.sweeper.sweep().catch((err) => this.log.warn(`First sweep failed: ${(err as Error).message}`));
    this.sweeper.start();
    this.scheduler.start();
    this.dispatcher.start(this.config.jobs.pollMs);
    await this.reportAlive();
    this.beat = setInterval(() => void Db.background(() => this.reportAlive()), this.heartbeatMs());
    this.log.log(`Consuming jobs (${this.driver.kind}, concurrency ${this.config.jobs.concurrency}) as ${this.runner.workerId}`);
  }

  /** SIGTERM: stop taking work, let running handlers finish within the grace period, then leave. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.beat) clearInterval(this.beat);
    await this.scheduler.stop();
    await this.sweeper.stop();
    await this.dispatcher.stop();
    // The API's whole drain must end within SHUTDOWN_TIMEOUT_SECONDS (main.ts); leave it room to close the app.
    const grace =
      this.config.jobs.role === 'api'
        ? Math.min(this.config.jobs.shutdownGraceMs, Math.max(0, this.config.shutdown.timeoutSeconds * 1000 - 3000))
        : this.config.jobs.shutdownGraceMs;
    const abortTimer = setTimeout(() => this.runner.abortAll(), grace).unref();
    await this.driver.stop(grace);
    clearTimeout(abortTimer);
    this.runner.stopHeartbeat();
    if (this.consuming) await this.repo.forget(this.runner.workerId).catch(() => undefined);
    if (this.runner.active > 0) this.log.warn(`${this.runner.active} job(s) still running at shutdown; the sweeper repairs them after their lease`);
  }

  async health(): Promise<JobsHealth> {
    const now = Date.now();
    const [stats, workers, depth] = await Promise.all([
      this.repo.stats(nowStorage(new Date(now))),
      this.repo.liveWorkers(nowStorage(new Date(now - 3 * this.heartbeatMs()))),
      this.driver.depth().catch(() => null),
    ]);
    const consumers = workers.map((w) => ({ id: w.id, role: w.role, driver: w.driver, startedAt: w.started_at, seenAt: w.seen_at, running: w.running }));
    return {
      driver: this.driver.kind,
      ready: consumers.length > 0 && (this.driver.kind === 'in-process' || depth !== null),
      consumers,
      queueDepth: depth,
      due: stats.due + stats.queued,
      oldestJobAgeSeconds: ageSeconds(stats.oldestDueAt, now),
      outboxBacklog: stats.due,
      outboxOldestAgeSeconds: ageSeconds(stats.oldestUndeliveredAt, now),
      running: stats.running,
      failed: stats.failed,
      scheduled: stats.pending - stats.due,
    };
  }

  private heartbeatMs(): number {
    return Math.max(1000, Math.min(this.config.jobs.sweepMs, 10_000));
  }

  private async reportAlive(): Promise<void> {
    try {
      await this.repo.beat(this.runner.workerId, this.config.jobs.role, this.driver.kind, this.runner.active, nowStorage(), this.startedAt);
    } catch {
      /* the database is briefly unreachable: the next beat reports */
    }
  }
}
