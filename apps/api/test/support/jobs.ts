import { resolve } from 'node:path';
import { Inject, Injectable, Module, type INestApplicationContext, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseConfigOrThrow } from '../../src/common/config';
import { Db } from '../../src/database/db';
import { KernelModule } from '../../src/kernel.module';
import { JobDispatcher } from '../../src/modules/jobs/job-dispatcher';
import { JobOutbox } from '../../src/modules/jobs/job-outbox';
import { JobRegistry } from '../../src/modules/jobs/job-registry';
import { JobRunner } from '../../src/modules/jobs/job-runner';
import { JobScheduler } from '../../src/modules/jobs/job-scheduler';
import { JobSweeper } from '../../src/modules/jobs/job-sweeper';
import { JobsModule } from '../../src/modules/jobs/jobs.module';
import { JobsRepository } from '../../src/modules/jobs/jobs.repository';
import { JobsService } from '../../src/modules/jobs/jobs.service';
import { QUEUE_DRIVER, type QueueDriver } from '../../src/modules/jobs/jobs.types';
import { type Spawned, spawnNode } from './spawn';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const handlers = require('./jobs-test-handlers.cjs') as {
  registerTestJobs(r: JobRegistry, env?: Record<string, string | undefined>): void;
  createEffectsTable(db: Db): Promise<void>;
};

/** Fast timings for tests: 1 s leases and sweeps, 100 ms polls. */
export const FAST_JOBS_ENV = { JOBS_LEASE_SECONDS: '1', JOBS_SWEEP_SECONDS: '1', JOBS_POLL_MS: '100', JOBS_SHUTDOWN_GRACE_SECONDS: '5' };

/** The driver these tests run: BullMQ when REDIS_URL is set (with MariaDB in CI), the in-process queue otherwise. */
export const usingRedis = !!process.env.REDIS_URL;

export interface Kernel {
  app: INestApplicationContext;
  db: Db;
  outbox: JobOutbox;
  repo: JobsRepository;
  runner: JobRunner;
  sweeper: JobSweeper;
  scheduler: JobScheduler;
  dispatcher: JobDispatcher;
  driver: QueueDriver;
  jobs: JobsService;
  effects(tag?: string): Promise<{ job_id: number; tag: string; attempt: number; pid: number }[]>;
  close(): Promise<void>;
}

let testEnv: Record<string, string | undefined> = {};

@Injectable()
class TestJobs implements OnModuleInit {
  constructor(
    @Inject(JobRegistry) private readonly registry: JobRegistry,
    @Inject(Db) private readonly db: Db,
  ) {}

  async onModuleInit(): Promise<void> {
    await handlers.createEffectsTable(this.db);
    handlers.registerTestJobs(this.registry, testEnv);
  }
}

@Module({ imports: [JobsModule], providers: [TestJobs] })
class TestJobsModule {}

/** The kernel in this process (the API's job system without HTTP), with the test job types. */
export async function startKernel(env: Record<string, string>): Promise<Kernel> {
  testEnv = env;
  const config = parseConfigOrThrow({
    WEB_DIST: 'off',
    ADMIN_PASSWORD: 'admin-password-1',
    JOBS_CONSUME: 'on',
    ...FAST_JOBS_ENV,
    ...(usingRedis ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  });
  @Module({ imports: [KernelModule.forRoot(config), TestJobsModule] })
  class TestKernel {}
  const app = await NestFactory.createApplicationContext(TestKernel, { logger: false });
  const db = app.get(Db);
  return {
    app,
    db,
    outbox: app.get(JobOutbox),
    repo: app.get(JobsRepository),
    runner: app.get(JobRunner),
    sweeper: app.get(JobSweeper),
    scheduler: app.get(JobScheduler),
    dispatcher: app.get(JobDispatcher),
    driver: app.get<QueueDriver>(QUEUE_DRIVER),
    jobs: app.get(JobsService),
    effects: (tag) =>
      tag === undefined
        ? db.query('SELECT job_id, tag, attempt, pid FROM test_job_effects ORDER BY job_id')
        : db.query('SELECT job_id, tag, attempt, pid FROM test_job_effects WHERE tag = ? ORDER BY job_id', [tag]),
    close: () => app.close(),
  };
}

/** Polls until fn answers true (or fails the test with the message after timeoutMs). */
export async function until(fn: () => Promise<boolean>, message: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await fn())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out: ${message}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const CHILD = resolve(__dirname, 'jobs-child.cjs');

/** A real worker process (apps/worker, built) with the test job types. */
export function spawnWorker(env: Record<string, string>): Spawned {
  const all = {
    NODE_ENV: 'production',
    WEB_DIST: 'off',
    ADMIN_PASSWORD: 'admin-password-1',
    ...FAST_JOBS_ENV,
    ...(usingRedis ? { REDIS_URL: process.env.REDIS_URL! } : {}),
    ...env,
  };
  return spawnNode(CHILD, all, 'worker', 60_000);
}
