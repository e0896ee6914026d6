#!/usr/bin/env node
// Job system throughput (docs/jobs.md, docs/performance.md): jobs/s through the outbox and the
// queue (row written in a transaction, dispatched after commit, claimed with a compare-and-set,
// handler, marked done) beside BullMQ no-op jobs/s from the same run, same Redis, same
// concurrency, one process. Also the embedded mode (SQLite + in-process queue). Built code only.
//
//   node apps/api/bench/jobs-bench.mjs [--jobs N] [--concurrency C] [--mysql URL] [--redis URL] [--modes mysql,sqlite]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const API_DIR = resolve(here, '..');
const require = createRequire(join(API_DIR, 'package.json'));
require('reflect-metadata');
const { Inject, Injectable, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { Queue, Worker } = require('bullmq');
const Redis = require('ioredis');
const mysql = require('mysql2/promise');
const { parseConfigOrThrow } = require(`${API_DIR}/dist/common/config`);
const { KernelModule } = require(`${API_DIR}/dist/kernel.module`);
const { Db } = require(`${API_DIR}/dist/database/db`);
const { JobRegistry } = require(`${API_DIR}/dist/modules/jobs/job-registry`);
const { JobOutbox } = require(`${API_DIR}/dist/modules/jobs/job-outbox`);
const { JobsModule } = require(`${API_DIR}/dist/modules/jobs/jobs.module`);

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const JOBS = Number(opt('jobs', 5000));
const CONCURRENCY = Number(opt('concurrency', 8));
const MYSQL = opt('mysql', 'mysql://root@127.0.0.1:3306/crm_bench_jobs');
const REDIS = opt('redis', 'redis://127.0.0.1:6379');
const MODES = opt('modes', 'mysql,sqlite').split(',');
const BATCH = 100; // jobs per transaction when enqueuing

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function bullmqNoop(prefix) {
  const conn = new Redis(REDIS, { maxRetriesPerRequest: null });
  const wconn = new Redis(REDIS, { maxRetriesPerRequest: null });
  const queue = new Queue('noop', { connection: conn, prefix });
  let done = 0;
  let finished;
  const all = new Promise((ok) => (finished = ok));
  const worker = new Worker('noop', async () => {}, { connection: wconn, prefix, concurrency: CONCURRENCY });
  worker.on('completed', () => {
    if (++done === JOBS) finished();
  });
  await worker.waitUntilReady();
  const start = performance.now();
  for (let i = 0; i < JOBS; i += BATCH) {
    await queue.addBulk(Array.from({ length: Math.min(BATCH, JOBS - i) }, (_, j) => ({ name: 'noop', data: { id: i + j }, opts: { removeOnComplete: true } })));
  }
  await all;
  const seconds = (performance.now() - start) / 1000;
  await worker.close();
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  conn.disconnect();
  wconn.disconnect();
  return { jobs: JOBS, seconds, perSecond: JOBS / seconds };
}

class BenchJobs {
  constructor(registry) {
    this.registry = registry;
  }
  onModuleInit() {
    this.registry.register('bench.noop', async () => {});
  }
}
Inject(JobRegistry)(BenchJobs, undefined, 0);
Injectable()(BenchJobs);
class BenchJobsModule {}
Module({ imports: [JobsModule], providers: [BenchJobs] })(BenchJobsModule);

async function outboxRun(env) {
  const config = parseConfigOrThrow({ WEB_DIST: 'off', ADMIN_PASSWORD: 'bench-password-1', JOBS_CONSUME: 'on', JOBS_CONCURRENCY: String(CONCURRENCY), ...env });
  class BenchKernel {}
  Module({ imports: [KernelModule.forRoot(config), BenchJobsModule] })(BenchKernel);
  const app = await NestFactory.createApplicationContext(BenchKernel, { logger: false });
  const db = app.get(Db);
  const outbox = app.get(JobOutbox);
  const start = performance.now();
  for (let i = 0; i < JOBS; i += BATCH) {
    await db.transaction(async (tx) => {
      for (let j = i; j < Math.min(JOBS, i + BATCH); j++) await outbox.add(tx, { name: 'bench.noop', payload: { n: j } });
    });
  }
  const enqueueSeconds = (performance.now() - start) / 1000;
  for (;;) {
    const [row] = await db.query("SELECT COUNT(*) AS n FROM jobs WHERE name = 'bench.noop' AND status = 'done'");
    if (Number(row.n) >= JOBS) break;
    await sleep(50);
  }
  const seconds = (performance.now() - start) / 1000;
  const again = await db.query("SELECT last_error FROM jobs WHERE name = 'bench.noop' AND attempts <> 1");
  await app.close();
  return {
    jobs: JOBS,
    seconds,
    enqueueSeconds,
    perSecond: JOBS / seconds,
    rerun: again.length,
    rerunErrors: [...new Set(again.map((r) => String(r.last_error)))],
  };
}

async function dropMysql(url) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/';
  const c = await mysql.createConnection({ uri: u.toString() });
  await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await c.end();
}

const results = {
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  date: new Date().toISOString(),
  jobs: JOBS,
  concurrency: CONCURRENCY,
};
if (MODES.includes('mysql')) {
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  await dropMysql(MYSQL);
  results.bullmqNoop = await bullmqNoop(prefix);
  results.mysqlRedis = await outboxRun({ DATABASE_URL: MYSQL, REDIS_URL: REDIS, JOBS_REDIS_PREFIX: prefix });
  results.mysqlRedis.ratio = results.mysqlRedis.perSecond / results.bullmqNoop.perSecond;
  await dropMysql(MYSQL);
}
if (MODES.includes('sqlite')) {
  const dir = mkdtempSync(join(os.tmpdir(), 'crm-jobs-bench-'));
  results.sqliteInProcess = await outboxRun({ DATA_DIR: dir });
  if (results.bullmqNoop) results.sqliteInProcess.ratio = results.sqliteInProcess.perSecond / results.bullmqNoop.perSecond;
  rmSync(dir, { recursive: true, force: true });
}

const f = (n) => (n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: 0 }));
console.log(`\nJob system: ${JOBS} no-op jobs, concurrency ${CONCURRENCY}, one process (${results.machine}, ${results.date})`);
console.log('| path | jobs/s | seconds | ratio to BullMQ no-op | jobs run more than once |');
console.log('|---|---|---|---|---|');
if (results.bullmqNoop)
  console.log(
    `| BullMQ no-op (baseline: addBulk + Worker, Redis only) | ${f(results.bullmqNoop.perSecond)} | ${results.bullmqNoop.seconds.toFixed(1)} | 1.00 | – |`,
  );
if (results.mysqlRedis)
  console.log(
    `| outbox + BullMQ (MariaDB + Redis) | ${f(results.mysqlRedis.perSecond)} | ${results.mysqlRedis.seconds.toFixed(1)} | ${results.mysqlRedis.ratio.toFixed(2)} | ${results.mysqlRedis.rerun} |`,
  );
if (results.sqliteInProcess)
  console.log(
    `| outbox + in-process (SQLite) | ${f(results.sqliteInProcess.perSecond)} | ${results.sqliteInProcess.seconds.toFixed(1)} | ${results.sqliteInProcess.ratio?.toFixed(2) ?? '–'} | ${results.sqliteInProcess.rerun} |`,
  );
console.log(JSON.stringify(results));
process.exit(0);
