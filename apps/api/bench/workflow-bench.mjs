#!/usr/bin/env node
// Workflow runtime throughput (docs/performance.md, "Workflow runtime"): N instances through a
// 4-node approval graph (a condition branch, an all-must-agree approval of two, a set-fields
// action, the end) end to end: records created through the API start instances (outbox →
// workflow.start jobs), both approvals sent over HTTP, the action run as a job, the end. On
// MariaDB + Redis the jobs run in 2 `apps/worker` processes; on the embedded default (SQLite)
// in the API process. Beside it, from the same run: BullMQ no-op jobs/s (same Redis) and the
// raw SQL transaction one transition needs (claim, decide, advance, outbox) sent by mysql2.
// Built code only (`npm run build` first).
//
//   node apps/api/bench/workflow-bench.mjs [--instances N] [--concurrency C] [--mysql URL] [--redis URL] [--modes mysql,sqlite]
//     [--worker-node-args "--cpu-prof --cpu-prof-dir=/tmp/prof"]   (profile the workers; `node --cpu-prof` on this script profiles the API)
//     [--api-dist DIR] [--worker-dist DIR]   (A/B: another build's apps/api/dist and apps/worker/dist, copied outside the repository; the worker then loads @crm/api from DIR)
//     [--inbox-only]   (start the N instances, measure the inbox of a member with N open tasks, stop: `--instances 10000 --inbox-only` is the inbox target without the decision phase)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const API_DIR = resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const API_DIST = resolve(opt('api-dist', join(API_DIR, 'dist')));
const WORKER_DIST = resolve(opt('worker-dist', resolve(API_DIR, '../worker/dist')));
const WORKER_MAIN = join(WORKER_DIST, 'main.js');
// A build outside the repository finds its packages through NODE_PATH: @crm/api is the given API build, the rest the repository's.
const WORKER_NODE_PATH = (() => {
  if (!args.includes('--api-dist') && !args.includes('--worker-dist')) return undefined;
  const nm = mkdtempSync(join(os.tmpdir(), 'crm-wf-bench-nm-'));
  mkdirSync(join(nm, '@crm', 'api'), { recursive: true });
  symlinkSync(API_DIST, join(nm, '@crm', 'api', 'dist'));
  return [nm, resolve(API_DIR, '../../node_modules')].join(':');
})();
const require = createRequire(join(API_DIR, 'package.json'));
if (WORKER_NODE_PATH) {
  // This process loads the other build too: its requires resolve through the same NODE_PATH.
  process.env.NODE_PATH = WORKER_NODE_PATH;
  require('node:module').Module._initPaths();
}
require('reflect-metadata');
const { Queue, Worker } = require('bullmq');
const Redis = require('ioredis');
const mysql = require('mysql2/promise');
const { parseConfigOrThrow } = require(`${API_DIST}/common/config`);
const { createServer } = require(`${API_DIST}/server`);
const { Db } = require(`${API_DIST}/database/db`);
const N = Number(opt('instances', 2000));
const CONCURRENCY = Number(opt('concurrency', 16));
const MYSQL = opt('mysql', 'mysql://root@127.0.0.1:3306/crm_bench_wf');
const REDIS = opt('redis', 'redis://127.0.0.1:6379');
const MODES = opt('modes', 'mysql,sqlite').split(',');
const INBOX_ONLY = args.includes('--inbox-only');
const WORKER_NODE_ARGS = (opt('worker-node-args', '') ?? '').split(' ').filter(Boolean);
const WORKERS = 2;
const PASSWORD = 'bench-password-1';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const p95 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? 0;
};

// The load generator runs in the API's process, so its cost lands on the API's one thread: node:http on
// keep-alive sockets, not fetch (undici's streams and headers took ≈ 2.5 s of that thread's ≈ 20 s of CPU
// in a 2 000-instance run on 2026-12-07). Both builds of an A/B pair get the same client.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

class Client {
  constructor(base) {
    this.base = new URL(base);
    this.jar = new Map();
  }
  req(method, path, body) {
    const headers = { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (method !== 'GET' && this.jar.get('csrf')) headers['x-csrf-token'] = this.jar.get('csrf');
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const r = http.request({ host: this.base.hostname, port: this.base.port, method, path, headers, agent }, (res) => {
        for (const sc of res.headers['set-cookie'] ?? []) {
          const [pair] = sc.split(';');
          const [k, ...v] = pair.split('=');
          this.jar.set(k.trim(), v.join('='));
        }
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode >= 300) return reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
          try {
            resolve(text ? JSON.parse(text) : null);
          } catch (err) {
            reject(err);
          }
        });
      });
      r.on('error', reject);
      r.end(payload);
    });
  }
}

/** Runs fn over items with `c` in flight. */
async function pool(items, c, fn) {
  let i = 0;
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

async function until(fn, what, ms = 30 * 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(200);
  }
}

function graph(a1, a2) {
  const task = (ids) => ({
    assignees: [{ kind: 'members', ids }],
    mode: 'all',
    fields: {},
    withdraw: 'none',
    whenNobody: 'admins',
    allowReturn: false,
    allowTransfer: false,
    allowAddApprover: false,
    requireSignature: false,
  });
  return {
    nodes: [
      { id: 'start', type: 'start', settings: { fields: {} } },
      { id: 'branch', type: 'branch', settings: {} },
      { id: 'all', type: 'approval', settings: task([a1, a2]) },
      { id: 'mark', type: 'action', settings: { action: { kind: 'setFields', values: { stage: 'approved' } }, onError: 'stop' } },
      { id: 'end', type: 'end', settings: { outcome: 'approved' } },
    ],
    edges: [
      { id: 'e1', from: 'start', to: 'branch' },
      { id: 'e2', from: 'branch', to: 'all', condition: { '>': [{ var: 'amount' }, 0] } },
      { id: 'e3', from: 'branch', to: 'end', isDefault: true },
      { id: 'e4', from: 'all', to: 'mark' },
      { id: 'e5', from: 'mark', to: 'end' },
    ],
  };
}

function spawnWorker(env) {
  const nodePath = WORKER_NODE_PATH ? { NODE_PATH: WORKER_NODE_PATH } : {};
  const proc = spawn(process.execPath, [...WORKER_NODE_ARGS, WORKER_MAIN], {
    env: { ...process.env, ...nodePath, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
  proc.on('exit', (code) => code && code !== 0 && code !== null && console.error(`worker exited ${code}: ${err}`));
  return proc;
}

async function runtimeRun(env, withWorkers) {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'crm-wf-bench-'));
  const base = { DATA_DIR: dataDir, WEB_DIST: 'off', ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: PASSWORD, JOBS_POLL_MS: '200', ...env };
  const config = parseConfigOrThrow({ ...base, JOBS_CONSUME: withWorkers ? 'off' : 'on', JOBS_CONCURRENCY: String(CONCURRENCY) });
  const app = await createServer(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const db = app.get(Db);
  const admin = new Client(url);
  await admin.req('POST', '/api/auth/login', { email: 'admin@example.com', password: PASSWORD });
  const members = [];
  for (const name of ['a1', 'a2', 'rep']) {
    const email = `${name}.${randomBytes(3).toString('hex')}@example.com`;
    const made = await admin.req('POST', '/api/members', { name, email, password: PASSWORD, isAdmin: false, departmentIds: [], roleIds: [] });
    const c = new Client(url);
    await c.req('POST', '/api/auth/login', { email, password: PASSWORD });
    members.push({ id: made.member.id, c });
  }
  const [a1, a2, rep] = members;
  const appRow = await admin.req('POST', '/api/apps', { key: 'bench', name: 'Bench' });
  const entity = await admin.req('POST', `/api/apps/${appRow.id}/entities`, {
    key: 'contract',
    name: 'Contract',
    fields: [
      { key: 'title', label: 'Title', type: 'text' },
      { key: 'amount', label: 'Amount', type: 'number' },
      { key: 'stage', label: 'Stage', type: 'text' },
    ],
  });
  await admin.req('POST', `/api/entities/${entity.id}/permission-groups`, { preset: 'manage_all', members: [rep.id] });
  const wf = await admin.req('POST', `/api/entities/${entity.id}/workflows`, { name: 'Bench', graph: graph(a1.id, a2.id) });
  if (wf.draft.problems.length) throw new Error(JSON.stringify(wf.draft.problems));
  await admin.req('POST', `/api/workflows/${wf.id}/publish`);
  const workers = withWorkers ? Array.from({ length: WORKERS }, () => spawnWorker({ ...base, JOBS_CONCURRENCY: String(CONCURRENCY) })) : [];
  const count = async (sql, p = []) => Number((await db.query(sql, p))[0].n);

  // In-process runs count every statement of the run (API and jobs) by its shape.
  const shapes = new Map();
  if (!withWorkers)
    Db.tap = (sql) => {
      const k = sql
        .replace(/\s+/g, ' ')
        .replace(/\(\?(, \?)*\)(, \(\?(, \?)*\))*/g, '(…)')
        .slice(0, 110);
      shapes.set(k, (shapes.get(k) ?? 0) + 1);
    };
  const start = performance.now();
  for (let i = 0; i < N; i += 500)
    await rep.c.req('POST', `/api/entities/${entity.id}/records/bulk`, {
      records: Array.from({ length: Math.min(500, N - i) }, (_, j) => ({ title: `c${i + j}`, amount: 1000 + j })),
    });
  const created = performance.now();
  await until(
    async () => (await count("SELECT COUNT(*) AS n FROM workflow_tasks WHERE status = 'pending'")) >= 2 * N,
    'every instance waiting at the approval',
  );
  const started = performance.now();
  // The inbox of a member with N open tasks, while nothing else runs.
  const inbox = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await a1.c.req('GET', '/api/workflow-inbox?box=todo&limit=50');
    inbox.push(performance.now() - t);
  }
  if (INBOX_ONLY) {
    const openTasks = await count("SELECT COUNT(*) AS n FROM workflow_tasks WHERE status = 'pending' AND assignee_id = ?", [a1.id]);
    Db.tap = null;
    for (const w of workers) w.kill('SIGTERM');
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    return { instances: N, openTasks, startSeconds: (started - start) / 1000, inboxP95ms: p95(inbox), inboxMedianMs: [...inbox].sort((a, b) => a - b)[25] };
  }
  // Shuffled (seeded): the two approvals of one instance arrive at unrelated times, as in an office; the tests hold the same-instant race.
  const tasks = await db.query("SELECT id, assignee_id FROM workflow_tasks WHERE status = 'pending' ORDER BY id");
  let seed = 42;
  for (let i = tasks.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [tasks[i], tasks[j]] = [tasks[j], tasks[i]];
  }
  const latency = [];
  const t0 = performance.now();
  await pool(tasks, CONCURRENCY, async (t) => {
    const who = t.assignee_id === a1.id ? a1 : a2;
    const s = performance.now();
    await who.c.req('POST', `/api/workflow-tasks/${encodeURIComponent(t.id)}/approve`, {});
    latency.push(performance.now() - s);
  });
  await until(async () => (await count("SELECT COUNT(*) AS n FROM workflow_instances WHERE status <> 'running'")) >= N, 'every instance to finish');
  const end = performance.now();
  // The notifications of the last transitions are still jobs when the last instance ends: count the rows once every job settled.
  await until(async () => (await count("SELECT COUNT(*) AS n FROM jobs WHERE status NOT IN ('done', 'failed')")) === 0, 'every job to settle', 120_000);
  const settledSeconds = (performance.now() - start) / 1000;
  const transitions = await count('SELECT SUM(rev) AS n FROM workflow_instances');
  const check = {
    instances: await count('SELECT COUNT(*) AS n FROM workflow_instances'),
    approved: await count("SELECT COUNT(*) AS n FROM workflow_instances WHERE status = 'approved'"),
    tasksApproved: await count("SELECT COUNT(*) AS n FROM workflow_tasks WHERE status = 'approved'"),
    nodeRunsDone: await count("SELECT COUNT(*) AS n FROM workflow_node_runs WHERE status = 'done'"),
    recordsMarked: await count(
      `SELECT COUNT(*) AS n FROM ${(await db.query('SELECT table_name AS t FROM entities WHERE id = ?', [entity.id]))[0].t} WHERE deleted_at IS NULL`,
    ),
    finishedNotifications: await count("SELECT COUNT(*) AS n FROM notifications WHERE kind = 'finished'"),
    failedJobs: await count("SELECT COUNT(*) AS n FROM jobs WHERE status = 'failed'"),
    jobsRunTwice: await count('SELECT COUNT(*) AS n FROM jobs WHERE attempts > 1'),
  };
  Db.tap = null;
  const statements = [...shapes.values()].reduce((a, b) => a + b, 0);
  for (const w of workers) w.kill('SIGTERM');
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  const seconds = (end - start) / 1000;
  const decideSeconds = (end - t0) / 1000;
  return {
    instances: N,
    transitions,
    seconds,
    perSecond: transitions / seconds,
    startSeconds: (started - start) / 1000,
    createSeconds: (created - start) / 1000,
    settledSeconds,
    decisionPhasePerSecond: (2 * N + N) / decideSeconds,
    approveP95ms: p95(latency),
    inboxP95ms: p95(inbox),
    check,
    ...(statements
      ? {
          statementsPerInstance: statements / N,
          statementShapes: [...shapes].sort((a, b) => b[1] - a[1]).map(([sql, n]) => [Math.round((n / N) * 100) / 100, sql]),
        }
      : {}),
    lostOrDuplicated: check.approved !== N || check.tasksApproved !== 2 * N || check.nodeRunsDone !== N || check.finishedNotifications !== N,
  };
}

async function bullmqNoop(prefix, jobs) {
  const conn = new Redis(REDIS, { maxRetriesPerRequest: null });
  const queue = new Queue('noop', { connection: conn, prefix });
  let done = 0;
  let finished;
  const all = new Promise((ok) => (finished = ok));
  const ws = Array.from({ length: WORKERS }, () => {
    const w = new Worker('noop', async () => {}, { connection: new Redis(REDIS, { maxRetriesPerRequest: null }), prefix, concurrency: CONCURRENCY });
    w.on('completed', () => ++done === jobs && finished());
    return w;
  });
  await Promise.all(ws.map((w) => w.waitUntilReady()));
  const start = performance.now();
  for (let i = 0; i < jobs; i += 100)
    await queue.addBulk(Array.from({ length: Math.min(100, jobs - i) }, (_, j) => ({ name: 'noop', data: { id: i + j }, opts: { removeOnComplete: true } })));
  await all;
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(ws.map((w) => w.close()));
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  conn.disconnect();
  return { jobs, seconds, perSecond: jobs / seconds };
}

/** The SQL one transition needs, sent raw: claim the task, write the decided state with the rev compare-and-set, insert the next task, an outbox row. */
async function rawTransaction(url, count) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/';
  const admin = await mysql.createConnection({ uri: u.toString() });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  const pool = mysql.createPool({ uri: url, connectionLimit: CONCURRENCY });
  await pool.query('CREATE TABLE i (id VARCHAR(36) PRIMARY KEY, state MEDIUMTEXT NOT NULL, rev INT NOT NULL) ENGINE=InnoDB');
  await pool.query(
    'CREATE TABLE t (id VARCHAR(100) PRIMARY KEY, instance_id VARCHAR(36) NOT NULL, status VARCHAR(16) NOT NULL, KEY (instance_id)) ENGINE=InnoDB',
  );
  await pool.query(
    'CREATE TABLE o (id BIGINT AUTO_INCREMENT PRIMARY KEY, job_key VARCHAR(191) NOT NULL UNIQUE, payload TEXT NOT NULL, status VARCHAR(16) NOT NULL) ENGINE=InnoDB',
  );
  const state = JSON.stringify({
    tasks: Array.from({ length: 4 }, (_, k) => ({ id: `t${k}`, status: 'pending', assignee: randomBytes(18).toString('hex') })),
    path: ['start', 'branch', 'all'],
  });
  for (let k = 0; k < count; k += 500) {
    const rows = Array.from({ length: Math.min(500, count - k) }, (_, j) => [`i${k + j}`, state, 1]);
    await pool.query('INSERT INTO i (id, state, rev) VALUES ?', [rows]);
    await pool.query('INSERT INTO t (id, instance_id, status) VALUES ?', [rows.map((r) => [`${r[0]}:t1`, r[0], 'pending'])]);
  }
  const ids = Array.from({ length: count }, (_, k) => `i${k}`);
  const start = performance.now();
  await poolRun(ids, async (id) => {
    const c = await pool.getConnection();
    try {
      await c.beginTransaction();
      await c.query("UPDATE t SET status = 'approved' WHERE id = ? AND status = 'pending'", [`${id}:t1`]);
      const [[row]] = await c.query('SELECT state, rev FROM i WHERE id = ?', [id]);
      await c.query('UPDATE i SET state = ?, rev = rev + 1 WHERE id = ? AND rev = ?', [row.state, id, row.rev]);
      await c.query("INSERT INTO t (id, instance_id, status) VALUES (?, ?, 'pending')", [`${id}:t2`, id]);
      await c.query("INSERT INTO o (job_key, payload, status) VALUES (?, '{}', 'pending')", [`wf:${id}:e1`]);
      await c.commit();
    } finally {
      c.release();
    }
  });
  const seconds = (performance.now() - start) / 1000;
  await pool.end();
  return { transactions: count, seconds, perSecond: count / seconds };
}
const poolRun = (items, fn) => pool(items, CONCURRENCY, fn);

async function dropMysql(url) {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/';
  const c = await mysql.createConnection({ uri: u.toString() });
  await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await c.end();
}

const results = {
  apiDist: API_DIST,
  workerDist: WORKER_DIST,
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load ${os.loadavg()[0].toFixed(1)}`,
  date: new Date().toISOString(),
  instances: N,
  concurrency: CONCURRENCY,
};
if (MODES.includes('mysql')) {
  const prefix = `wfbench-${randomBytes(4).toString('hex')}`;
  await dropMysql(MYSQL);
  results.mysqlRedis = await runtimeRun({ DATABASE_URL: MYSQL, REDIS_URL: REDIS, JOBS_REDIS_PREFIX: prefix }, true);
  await dropMysql(MYSQL);
  if (!INBOX_ONLY) {
    results.bullmqNoop = await bullmqNoop(prefix, Math.max(2000, N));
    results.rawTransaction = await rawTransaction(`${MYSQL}_raw`, Math.max(2000, N));
    await dropMysql(`${MYSQL}_raw`);
    results.mysqlRedis.ratioToRaw = results.mysqlRedis.perSecond / results.rawTransaction.perSecond;
  }
}
if (MODES.includes('sqlite')) results.sqliteInProcess = await runtimeRun({}, false);

if (INBOX_ONLY) {
  console.log(`\nWorkflow inbox: a member with N open tasks, 50 requests of GET /api/workflow-inbox?box=todo&limit=50 (${results.machine}, ${results.date})`);
  console.log('| path | open tasks | start phase s | inbox p95 ms | inbox median ms |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [label, r] of [
    [`MariaDB + Redis, ${WORKERS} workers`, results.mysqlRedis],
    ['SQLite, in-process (embedded)', results.sqliteInProcess],
  ])
    if (r) console.log(`| ${label} | ${r.openTasks} | ${r.startSeconds.toFixed(1)} | ${r.inboxP95ms.toFixed(1)} | ${r.inboxMedianMs.toFixed(1)} |`);
  console.log(JSON.stringify(results));
  process.exit(0);
}
const f = (n) => (n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: 0 }));
const row = (label, r) =>
  `| ${label} | ${f(r.perSecond)} | ${r.seconds.toFixed(1)} | ${r.approveP95ms.toFixed(0)} | ${r.inboxP95ms.toFixed(0)} | ${r.lostOrDuplicated ? 'YES' : 'none'} |`;
console.log(`\nWorkflow runtime: ${N} instances × 4 transitions, concurrency ${CONCURRENCY} (${results.machine}, ${results.date})`);
console.log('| path | transitions/s | seconds | approve p95 ms (next task visible) | inbox p95 ms (N open tasks) | lost or duplicated |');
console.log('|---|---|---|---|---|---|');
if (results.mysqlRedis) console.log(row(`MariaDB + Redis, ${WORKERS} workers`, results.mysqlRedis));
if (results.sqliteInProcess) console.log(row('SQLite, in-process (embedded)', results.sqliteInProcess));
if (results.bullmqNoop)
  console.log(`| baseline: BullMQ no-op jobs/s, ${WORKERS} workers | ${f(results.bullmqNoop.perSecond)} | ${results.bullmqNoop.seconds.toFixed(1)} | | | |`);
if (results.rawTransaction)
  console.log(
    `| baseline: raw mysql2 transition transaction/s | ${f(results.rawTransaction.perSecond)} | ${results.rawTransaction.seconds.toFixed(1)} | | | ratio ${results.mysqlRedis.ratioToRaw.toFixed(2)} × |`,
  );
if (results.sqliteInProcess?.statementsPerInstance) {
  console.log(
    `\nSQLite run: ${results.sqliteInProcess.statementsPerInstance.toFixed(1)} statements per instance (4 transitions; the reads of the bench's own checks included), by shape:`,
  );
  for (const [n, sql] of results.sqliteInProcess.statementShapes.slice(0, 40)) console.log(`${String(n).padStart(7)}  ${sql}`);
}
console.log(JSON.stringify(results));
process.exit(0);
