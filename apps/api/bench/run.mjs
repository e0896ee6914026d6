#!/usr/bin/env node
// Benchmark of the records API: bulk seed, single creates, filtered list (page 1 and a deep
// keyset page), as the admin and as a member whose row scope is "own or my department". Starts the built API (apps/api/dist/main.js) as a child process per database,
// drives it with autocannon from this process, writes a JSON report and prints a table.
//
//   node apps/api/bench/run.mjs [--records N] [--db sqlite|mysql|both] [--duration S] [--out DIR]
//
// Talks only to 127.0.0.1 (the API binds to it; MariaDB at mysql://root@127.0.0.1:3306).
// See docs/performance.md.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const API_DIR = resolve(here, '..');
const REPO = resolve(API_DIR, '../..');
const require = createRequire(join(API_DIR, 'package.json'));
const autocannon = require('autocannon');
const raw = await import('./raw.mjs');

// ---------------------------------------------------------------------------------------------
// Options

const USAGE =
  'Usage: node apps/api/bench/run.mjs [--records N] [--db sqlite|mysql|both] [--duration S] [--out DIR] [--quiet-wait S] [--bulk-concurrency N] [--keep-db] [--phases compute,create,list,member,raw|none] [--server-node-args "..."] [--api-dist DIR]';

function parseArgs(argv) {
  const o = {
    records: 100_000,
    db: 'both',
    duration: 15,
    out: join(REPO, 'bench-results'),
    mysqlUrl: 'mysql://root@127.0.0.1:3306/crm_bench',
    serverNodeArgs: [],
    quietWait: 0,
    phases: new Set(['compute', 'create', 'list', 'member', 'raw']),
    bulkConcurrency: 2,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--records':
        o.records = Number(value());
        if (!Number.isInteger(o.records) || o.records < 100 || o.records > 10_000_000) fail('--records must be a whole number from 100 to 10000000');
        break;
      case '--db':
        o.db = value();
        if (!['sqlite', 'mysql', 'both'].includes(o.db)) fail('--db must be sqlite, mysql or both');
        break;
      case '--duration':
        o.duration = Number(value());
        if (!Number.isInteger(o.duration) || o.duration < 1 || o.duration > 600) fail('--duration must be whole seconds from 1 to 600');
        break;
      case '--out':
        o.out = resolve(value());
        break;
      case '--mysql-url': {
        // Database to drop and recreate; must be on 127.0.0.1 and named crm_bench*.
        o.mysqlUrl = value();
        const u = new URL(o.mysqlUrl);
        if (u.hostname !== '127.0.0.1' || !/^\/crm_bench\w*$/.test(u.pathname)) fail('--mysql-url must point at 127.0.0.1 and a database named crm_bench*');
        break;
      }
      case '--api-dist':
        // Another build of the API to run (e.g. a copy of main's dist beside this branch's, for before/after pairs).
        o.apiDist = resolve(value());
        break;
      case '--server-node-args':
        // Extra node flags for the API process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
        o.serverNodeArgs = value().split(/\s+/).filter(Boolean);
        break;
      case '--phases': {
        // Measured phases (profiling aid): any of "compute,create,list,member" (default: all) or "none".
        // "compute" (issue 4) runs first, in this process, with no database; "--phases compute" alone runs no database.
        // "member" is the filtered list as a member with row scope own-or-department (its ratio needs "list").
        const v = value();
        o.phases = new Set(v === 'none' ? [] : v.split(','));
        // "raw" (MySQL only): the same work sent by mysql2 alone, beside create, bulk and list (issue 9).
        if ([...o.phases].some((x) => !['compute', 'create', 'list', 'member', 'raw'].includes(x)))
          fail('--phases takes a comma list of compute, create, list, member, raw, or none');
        break;
      }
      case '--bulk-concurrency':
        o.bulkConcurrency = Number(value());
        if (!Number.isInteger(o.bulkConcurrency) || o.bulkConcurrency < 1 || o.bulkConcurrency > 8) fail('--bulk-concurrency must be 1 to 8');
        break;
      case '--keep-db':
        o.keepDb = true;
        break;
      case '--quiet-wait':
        // Before each database, wait up to S seconds for the machine to go idle (other jobs skew figures).
        o.quietWait = Number(value());
        if (!Number.isInteger(o.quietWait) || o.quietWait < 0 || o.quietWait > 3600) fail('--quiet-wait must be whole seconds from 0 to 3600');
        break;
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        fail(`Unknown argument ${a}\n${USAGE}`);
    }
  }
  return o;
}

function fail(message) {
  console.error(message);
  process.exit(2);
}

const CONNECTIONS = 16;
const BATCH = 5000;
const LIMIT = 20;
const DEEP_ROWS = 200_000; // cursor after this many matching rows = page 10,001 (20 per page)
const WARMUP_SECONDS = 2;
const TARGETS = {
  bulkRowsPerSec: 20_000,
  createRps: 300,
  createP95: 50,
  listP95: 50,
  memberP95Ratio: 1.5, // member p95 / admin p95, same run, same page kind
  listP95RawRatio: 2, // API list p95 / the same statement's p95 through mysql2 (issue 9)
  createRawRatio: 0.5, // API creates/s / single-row inserts/s through mysql2 (issue 9)
};

// Organisation for the member phases (issue 3): a department tree, MEMBERS members, records owned
// round robin by the members and the admin. The bench member M is in "Sales"; three others are in
// Sales or below it, so M's scope (own + department: Sales and its sub-departments) is 4 of 21
// owners, ~19% of the records.
const MEMBERS = 20;
const DEPARTMENTS = [
  { key: 'company', name: 'Company', parent: null },
  { key: 'sales', name: 'Sales', parent: 'company' },
  { key: 'sales_east', name: 'Sales East', parent: 'sales' },
  { key: 'sales_east_a', name: 'Sales East A', parent: 'sales_east' },
  { key: 'support', name: 'Support', parent: 'company' },
];
// Department of member k (0 = M). M's scope: members 0-3. The rest are outside Sales.
const memberDepartment = (k) => (k === 0 || k === 1 ? 'sales' : k === 2 ? 'sales_east' : k === 3 ? 'sales_east_a' : k % 2 ? 'support' : 'company');
const IN_M_SCOPE = 4; // members 0..3
const OWNERS = MEMBERS + 1; // the members and the admin (index MEMBERS)
const ownerIndex = (i) => i % OWNERS;

// ---------------------------------------------------------------------------------------------
// Process hygiene: the server child dies with us, whatever happens.

let server = null; // { child, port, logPath }
let currentLoad = null; // running autocannon instance
const tempDirs = [];

function killServerNow() {
  if (server?.child && server.child.exitCode === null && server.child.signalCode === null) {
    try {
      server.child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

function cleanupSync() {
  killServerNow();
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

process.on('exit', cleanupSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping the load and the server`);
    try {
      currentLoad?.stop();
    } catch {
      /* ignore */
    }
    cleanupSync();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** Commit of the code under test, and whether the working tree differs from it. */
function codeVersion() {
  try {
    const git = (...a) => execFileSync('git', ['-C', REPO, ...a], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain', '--', 'apps/api/src', 'packages').length > 0 };
  } catch {
    return null;
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** CPU seconds (user + system) of a process, from /proc (Linux only; null elsewhere). */
function procCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return null;
  }
}

/** Busy and total jiffies of the whole machine. */
function machineCpu() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Pid of the local MariaDB/MySQL server (read-only look-up in /proc), or null. */
function dbServerPid() {
  try {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const comm = readFileSync(`/proc/${d}/comm`, 'utf8').trim();
        if (comm === 'mariadbd' || comm === 'mysqld') return Number(d);
      } catch {
        /* gone */
      }
    }
  } catch {
    /* no /proc */
  }
  return null;
}

/**
 * Measures CPU over a phase, in cores busy: the API server, this process (load generator), the
 * database server and the whole machine; `otherCores` is what else ran (other jobs skew figures).
 */
function cpuMeter(withDb) {
  const t0 = Date.now();
  const dbPid = withDb ? dbServerPid() : null;
  const s0 = server ? procCpuSeconds(server.child.pid) : null;
  const d0 = dbPid ? procCpuSeconds(dbPid) : null;
  const b0 = process.cpuUsage();
  const m0 = machineCpu();
  const load0 = os.loadavg()[0];
  return () => {
    const secs = (Date.now() - t0) / 1000;
    const s1 = server ? procCpuSeconds(server.child.pid) : null;
    const d1 = dbPid ? procCpuSeconds(dbPid) : null;
    const b1 = process.cpuUsage(b0);
    const m1 = machineCpu();
    const cores = os.cpus().length;
    const out = {
      serverCores: s0 !== null && s1 !== null ? round((s1 - s0) / secs, 2) : null,
      benchCores: round((b1.user + b1.system) / 1e6 / secs, 2),
      dbCores: d0 !== null && d1 !== null ? round((d1 - d0) / secs, 2) : null,
      machineBusyCores: m0 && m1 ? round(((m1.busy - m0.busy) / (m1.total - m0.total)) * cores, 2) : null,
      loadavg1mAtStart: round(load0, 2),
    };
    out.otherCores =
      out.machineBusyCores !== null ? round(Math.max(0, out.machineBusyCores - (out.serverCores ?? 0) - out.benchCores - (out.dbCores ?? 0)), 2) : null;
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// Data

// 20 fields: 4 text, 1 textarea, 2 number, 2 money, 2 date, 1 datetime, 1 switch, 3 select (one
// indexed, two options, half the rows each), 1 multiselect, email, phone, url.
const opt = (...values) => values.map((v) => ({ value: v, label: v }));
const FIELDS = [
  { key: 'name', label: 'Name', type: 'text', required: true },
  { key: 'city', label: 'City', type: 'text' },
  { key: 'code', label: 'Code', type: 'text' },
  { key: 'contact', label: 'Contact', type: 'text' },
  { key: 'notes', label: 'Notes', type: 'textarea' },
  { key: 'quantity', label: 'Quantity', type: 'number', settings: { precision: 0 } },
  { key: 'rating', label: 'Rating', type: 'number', settings: { precision: 2 } },
  { key: 'amount', label: 'Amount', type: 'money', settings: { currency: 'CNY', precision: 2 } },
  { key: 'cost', label: 'Cost', type: 'money', settings: { currency: 'USD', precision: 2 } },
  { key: 'start_date', label: 'Start date', type: 'date' },
  { key: 'end_date', label: 'End date', type: 'date' },
  { key: 'last_contact_at', label: 'Last contact', type: 'datetime' },
  { key: 'active', label: 'Active', type: 'switch' },
  {
    key: 'state',
    label: 'State',
    type: 'select',
    indexed: true,
    settings: {
      options: [
        { value: 'A', label: 'Active' },
        { value: 'B', label: 'Inactive' },
      ],
    },
  },
  { key: 'stage', label: 'Stage', type: 'select', settings: { options: opt('lead', 'qualified', 'proposal', 'won', 'lost') } },
  { key: 'priority', label: 'Priority', type: 'select', settings: { options: opt('low', 'medium', 'high') } },
  { key: 'tags', label: 'Tags', type: 'multiselect', settings: { options: opt('vip', 'partner', 'reseller', 'press', 'churn-risk', 'upsell') } },
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'phone', label: 'Phone', type: 'phone' },
  { key: 'website', label: 'Website', type: 'url' },
];
const FILTER_KEY = 'state';
const FILTER_VALUE = 'A';
const matches = (i) => i % 2 === 0; // record i has state A when i is even

const CITIES = ['Shanghai', 'Beijing', 'Shenzhen', 'Hangzhou', 'Chengdu', 'Wuhan', "Xi'an", 'Nanjing', 'Suzhou', 'Tianjin', 'Berlin', 'Lyon', 'Austin'];
const FIRST = ['Li', 'Wang', 'Zhang', 'Liu', 'Chen', 'Yang', 'Anna', 'Mark', 'Sofia', 'Ravi', 'Kenji', 'Maria'];
const LAST = ['Wei', 'Fang', 'Min', 'Jun', 'Hui', 'Ling', 'Smith', 'Garcia', 'Müller', 'Tanaka', 'Rossi', 'Singh'];
const WORDS = [
  'call',
  'back',
  'next',
  'week',
  'about',
  'renewal',
  'pricing',
  'demo',
  'contract',
  'signed',
  'budget',
  'approved',
  'follow',
  'up',
  'meeting',
  'requested',
  'invoice',
  'sent',
];
const STAGES = ['lead', 'qualified', 'proposal', 'won', 'lost'];
const PRIORITIES = ['low', 'medium', 'high'];
const TAGS = ['vip', 'partner', 'reseller', 'press', 'churn-risk', 'upsell'];
const DAY = 86_400_000;
const EPOCH = Date.UTC(2020, 0, 1);

/** Deterministic, varied values of record number i (0-based). */
function recordValues(i) {
  const h = Math.imul(i + 1, 2654435761) >>> 0; // Knuth multiplicative hash: spreads i
  const words = 3 + (h % 12);
  const notes = [];
  for (let w = 0; w < words; w++) notes.push(WORDS[(h >>> (w % 24)) % WORDS.length]);
  const start = EPOCH + (h % 2000) * DAY;
  const tags = TAGS.filter((_, t) => (h >>> (t + 3)) & 1 && t < 1 + (h % 4));
  const rec = {
    name: `Company ${i}`,
    city: CITIES[h % CITIES.length],
    code: `C-${(h % 1_000_000).toString().padStart(6, '0')}`,
    contact: `${FIRST[h % FIRST.length]} ${LAST[(h >>> 8) % LAST.length]}`,
    notes: notes.join(' '),
    quantity: h % 1000,
    rating: (h % 500) / 100,
    amount: (h % 100_000_000) / 100,
    cost: (h % 1_000_000) / 100,
    start_date: new Date(start).toISOString().slice(0, 10),
    end_date: new Date(start + ((h >>> 4) % 365) * DAY).toISOString().slice(0, 10),
    last_contact_at: new Date(EPOCH + (h % (6 * 365 * 24 * 3600)) * 1000).toISOString(),
    active: h % 3 !== 0,
    state: matches(i) ? 'A' : 'B',
    stage: STAGES[(h >>> 3) % STAGES.length],
    priority: PRIORITIES[(h >>> 5) % PRIORITIES.length],
    tags,
    email: `contact${i}@example${h % 50}.com`,
    phone: `+86 138${(h % 100_000_000).toString().padStart(8, '0')}`,
    website: `https://example${h % 50}.com/accounts/${i}`,
  };
  if (i % 10 === 9) {
    // Some blanks, as real data has.
    rec.notes = null;
    rec.tags = [];
    rec.website = null;
  }
  return rec;
}

// ---------------------------------------------------------------------------------------------
// HTTP

class Api {
  constructor(port) {
    this.base = `http://127.0.0.1:${port}`;
    this.cookies = new Map(); // sid (session) and csrf (echoed in x-csrf-token on writes)
  }

  get cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Headers a browser would send: the cookies, and the CSRF token on writes when the API set one. */
  authHeaders(write) {
    const h = {};
    if (this.cookies.size) h.cookie = this.cookie;
    if (write && this.cookies.has('csrf')) h['x-csrf-token'] = this.cookies.get('csrf');
    return h;
  }

  /**
   * POST of a prepared JSON buffer with node:http, which writes it as it is (fetch copies a
   * 2 MB body into a web stream first); answers the parsed JSON, throws on a non-2xx status.
   */
  postBuffer(path, buffer, timeoutMs) {
    return new Promise((resolveBody, reject) => {
      const headers = { accept: 'application/json', 'content-type': 'application/json', 'content-length': buffer.length, ...this.authHeaders(true) };
      const req = httpRequest(this.base + path, { method: 'POST', headers, timeout: timeoutMs }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode >= 300) return reject(new Error(`POST ${path} → ${res.statusCode}: ${text.slice(0, 500)}`));
          try {
            resolveBody(JSON.parse(text));
          } catch (err) {
            reject(err);
          }
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`POST ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(buffer);
    });
  }

  async call(method, path, body, timeoutMs = 60_000) {
    const headers = { accept: 'application/json', ...this.authHeaders(method !== 'GET') };
    let payload;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(this.base + path, { method, headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const m = /^([^=;\s]+)=([^;]*)/.exec(c);
      if (m && (m[1] === 'sid' || m[1] === 'csrf')) this.cookies.set(m[1], m[2]);
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
    return json;
  }
}

// ---------------------------------------------------------------------------------------------
// Server

async function dropMysqlDatabase(url) {
  const mysql = require('mysql2/promise');
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/';
  const conn = await mysql.createConnection({ uri: u.toString() });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.end();
  }
}

/** Counter of statements MariaDB received (all clients), to derive statements per request. */
async function mysqlQuestions(url) {
  const mysql = require('mysql2/promise');
  const u = new URL(url);
  u.pathname = '/';
  const conn = await mysql.createConnection({ uri: u.toString() });
  try {
    const [rows] = await conn.query("SHOW GLOBAL STATUS LIKE 'Questions'");
    return Number(rows[0].Value);
  } finally {
    await conn.end();
  }
}

async function startServer(db, opts, logPath) {
  const main = join(opts.apiDist ?? join(API_DIR, 'dist'), 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(os.tmpdir(), `crm-bench-${db}-`));
  tempDirs.push(dataDir);
  const password = randomBytes(18).toString('base64url');
  const env = { ...process.env };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL', 'LOG_QUERIES', 'HOST', 'PORT', 'WEB_DIST', 'ADMIN_EMAIL', 'ADMIN_NAME', 'BODY_LIMIT_KB'])
    delete env[k];
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    WEB_DIST: 'off',
    ADMIN_EMAIL: 'bench@example.com',
    ADMIN_PASSWORD: password,
    // A 5000-record bulk of 20 fields is ~2 MB of JSON; the default 1 MiB body limit is too small.
    BODY_LIMIT_KB: '16384',
    NODE_ENV: 'production',
  });
  if (db === 'mysql') {
    await dropMysqlDatabase(opts.mysqlUrl);
    env.DATABASE_URL = opts.mysqlUrl;
  }
  const log = createWriteStream(logPath);
  const child = spawn(process.execPath, [...opts.serverNodeArgs, main], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  server = { child, port, logPath, dataDir };
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  server.exited = exited;

  const api = new Api(port);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The API exited with code ${child.exitCode} while starting; see ${logPath}`);
    try {
      const h = await api.call('GET', '/api/health', undefined, 2000);
      if (h?.status === 'ok') break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`The API did not answer /api/health within 120 s; see ${logPath}`);
    await sleep(250);
  }
  api.user = (await api.call('POST', '/api/auth/login', { email: 'bench@example.com', password })).user;
  if (!api.cookies.has('sid')) throw new Error('Login did not set the sid cookie');
  return api;
}

/**
 * Departments and members for the member phases (before the seed, which spreads owners over
 * them). Returns owner ids by owner index (members 0..MEMBERS-1, then the admin) and M's login.
 */
async function setupOrg(api) {
  const dept = {};
  for (const d of DEPARTMENTS)
    dept[d.key] = (await api.call('POST', '/api/departments', { name: d.name, ...(d.parent ? { parentId: dept[d.parent] } : {}) })).id;
  const password = randomBytes(12).toString('base64url');
  const owners = [];
  for (let k = 0; k < MEMBERS; k++) {
    const res = await api.call('POST', '/api/members', {
      email: `member${k}@example.com`,
      name: k === 0 ? 'Bench member M' : `Member ${k}`,
      password,
      departmentIds: [dept[memberDepartment(k)]],
    });
    owners.push(res.member?.id ?? res.id);
  }
  owners.push(api.user.id);
  if (owners.some((id) => typeof id !== 'string')) throw new Error(`member creation returned no ids: ${owners.join()}`);
  return { owners, scope: new Set(owners.slice(0, IN_M_SCOPE)), member: { email: 'member0@example.com', password, id: owners[0] }, departments: dept };
}

/** A second session (cookies of its own) as the given member. */
async function loginAs(base, { email, password }) {
  const api = new Api(Number(new URL(base).port));
  api.user = (await api.call('POST', '/api/auth/login', { email, password })).user;
  if (!api.cookies.has('sid')) throw new Error(`Login as ${email} did not set the sid cookie`);
  return api;
}

async function stopServer() {
  if (!server) return;
  const { child, exited, dataDir } = server;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  server = null;
  rmSync(dataDir, { recursive: true, force: true });
  const i = tempDirs.indexOf(dataDir);
  if (i >= 0) tempDirs.splice(i, 1);
}

// ---------------------------------------------------------------------------------------------
// Load

/**
 * Runs autocannon for `duration` seconds (after a short unmeasured warm-up) and returns
 * requests/s and latency percentiles of the measured part. Latencies are recorded per
 * response (all statuses) so p95 is exact, not taken from autocannon's fixed percentiles.
 */
async function load({ url, method = 'GET', headers, setupRequest, onResponse, verifyBody, duration, withDb }) {
  const request = { method, headers };
  if (setupRequest) request.setupRequest = setupRequest;
  if (onResponse) request.onResponse = onResponse;
  const latencies = [];
  const instance = autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    timeout: 10,
    requests: [request],
    ...(verifyBody ? { verifyBody } : {}),
    warmup: { connections: CONNECTIONS, duration: WARMUP_SECONDS },
  });
  currentLoad = instance;
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const meter = cpuMeterAfterWarmup(instance, withDb);
  const r = await instance;
  currentLoad = null;
  latencies.sort((a, b) => a - b);
  return {
    durationSec: r.duration,
    requests: r.requests.total,
    rps: round(r.requests.total / r.duration, 1),
    p50: round(percentile(latencies, 50), 2),
    p95: round(percentile(latencies, 95), 2),
    p99: round(percentile(latencies, 99), 2),
    max: round(latencies.at(-1) ?? null, 2),
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    mismatches: r.mismatches,
    statusCodes: r.statusCodeStats,
    cpu: meter(),
  };
}

/** CPU meter that starts with the measured part (the main tracker's 'start'). */
function cpuMeterAfterWarmup(instance, withDb) {
  let stop = null;
  instance.once('start', () => {
    stop = cpuMeter(withDb);
  });
  return () => (stop ? stop() : null);
}

// ---------------------------------------------------------------------------------------------
// One database

/** Waits (at most `seconds`) until the machine is idle: < 0.25 cores busy over 3 s, twice in a row. */
async function waitQuiet(seconds, say) {
  if (!seconds) return null;
  const deadline = Date.now() + seconds * 1000;
  let quiet = 0;
  let busy = null;
  while (Date.now() < deadline) {
    const a = machineCpu();
    await sleep(3000);
    const b = machineCpu();
    busy = ((b.busy - a.busy) / (b.total - a.total)) * os.cpus().length;
    quiet = busy < 0.25 ? quiet + 1 : 0;
    if (quiet >= 2) return { waitedUntilIdle: true, busyCores: round(busy, 2) };
  }
  say(`machine still busy after ${seconds} s (${round(busy, 2)} cores): figures will be skewed`);
  return { waitedUntilIdle: false, busyCores: round(busy, 2) };
}

async function benchDatabase(db, opts, stamp) {
  const tag = `${db}-${opts.records}`;
  const logPath = join(opts.out, `${stamp}-${tag}.server.log`);
  const report = {
    db,
    records: opts.records,
    durationSec: opts.duration,
    connections: CONNECTIONS,
    date: new Date().toISOString(),
    machine: machine(),
    code: codeVersion(),
    serverLog: logPath,
  };
  const say = (m) => console.log(`[${db}] ${m}`);

  report.quiet = await waitQuiet(opts.quietWait, say);
  say(`starting the API (log: ${logPath})`);
  const api = await startServer(db, opts, logPath);
  const authHeaders = api.authHeaders(false);
  const q = () => (db === 'mysql' ? mysqlQuestions(opts.mysqlUrl) : Promise.resolve(null));

  // 1. App and entity; departments, members and M's permission groups (own + department, view).
  const app = await api.call('POST', '/api/apps', { key: 'bench', name: 'Bench' });
  const entity = await api.call('POST', `/api/apps/${app.id}/entities`, { key: 'account', name: 'Account', fields: FIELDS });
  const eid = entity.id;
  say(`entity ${eid} with ${entity.fields.length} fields`);
  const org = await setupOrg(api);
  for (const kind of ['own', 'department']) {
    await api.call('POST', `/api/entities/${eid}/permission-groups`, {
      name: `Bench view ${kind}`,
      members: [org.member.id],
      actions: ['view'],
      rowScope: { kind },
    });
  }
  say(`${MEMBERS} members in ${DEPARTMENTS.length} departments; member M sees owners ${IN_M_SCOPE} of ${OWNERS} (own or department)`);

  // 2. Seed through the bulk endpoint: --bulk-concurrency requests in flight (default 2, as an
  // importing client sends its next batch while the previous one is written: on two cores the API
  // reads and checks batch N+1 while MariaDB writes batch N; docs/performance.md). The
  // request bodies (~2 MB of JSON each) are built before the clock starts, as UTF-8 buffers: the
  // figure is the API's throughput, not this process's JSON.stringify on the same two cores.
  const matching = []; // ids with state A, ascending
  const memberMatching = []; // of those, the ids whose owner is in M's scope
  let seedMaxId = 0;
  const buildStart = process.hrtime.bigint();
  const jobs = [];
  for (let from = 0; from < opts.records; from += BATCH) {
    const n = Math.min(BATCH, opts.records - from);
    jobs.push({
      from,
      n,
      body: Buffer.from(
        JSON.stringify({ records: Array.from({ length: n }, (_, k) => ({ ...recordValues(from + k), ownerId: org.owners[ownerIndex(from + k)] })) }),
      ),
    });
  }
  say(`built ${jobs.length} request bodies in ${round(Number(process.hrtime.bigint() - buildStart) / 1e9, 1)} s (not timed)`);
  // Setup and the bodies took a while: with --quiet-wait, wait again right before the seed.
  if (opts.quietWait > 0) report.quietBeforeSeed = await waitQuiet(opts.quietWait, say);
  const seedStart = process.hrtime.bigint();
  const seedCpu = cpuMeter(db === 'mysql');
  const q0 = await q();
  let lastLog = Date.now();
  let done = 0;
  const results = []; // [from, ids]
  const take = () => jobs.shift() ?? null;
  const worker = async () => {
    for (let job = take(); job; job = take()) {
      const { ids } = await api.postBuffer(`/api/entities/${eid}/records/bulk`, job.body, 600_000);
      if (!Array.isArray(ids) || ids.length !== job.n) throw new Error(`bulk returned ${ids?.length} ids for ${job.n} records`);
      results.push([job.from, ids]);
      done += job.n;
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        const secs = Number(process.hrtime.bigint() - seedStart) / 1e9;
        say(`seeded ${done} / ${opts.records} (${Math.round(done / secs)} rows/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.bulkConcurrency }, worker));
  results.sort((x, y) => x[0] - y[0]);
  for (const [from, ids] of results) {
    ids.forEach((id, k) => {
      if (matches(from + k)) {
        matching.push(id);
        if (ownerIndex(from + k) < IN_M_SCOPE) memberMatching.push(id);
      }
      if (id > seedMaxId) seedMaxId = id;
    });
  }
  const seedSecs = Number(process.hrtime.bigint() - seedStart) / 1e9;
  const q1 = await q();
  report.bulk = {
    rows: opts.records,
    batch: BATCH,
    concurrency: opts.bulkConcurrency,
    seconds: round(seedSecs, 2),
    rowsPerSec: Math.round(opts.records / seedSecs),
    statementsPerBatch: q0 !== null ? round((q1 - q0 - 1) / Math.ceil(opts.records / BATCH), 1) : null,
    cpu: seedCpu(),
  };
  say(`bulk insert: ${report.bulk.rowsPerSec} rows/s (${report.bulk.seconds} s)`);

  let created = 0;
  let seq = opts.records;
  const createdMatching = [];
  const createdMemberMatching = []; // created matching rows whose owner is in M's scope
  if (opts.phases.has('create')) {
    // 3. Single creates: 16 connections, each request a new deterministic record, owned round robin
    // like the seed (so the newest rows are not all the admin's: M's page 1 would have to skip them).
    const cq0 = await q();
    report.create = await load({
      url: `${api.base}/api/entities/${eid}/records`,
      method: 'POST',
      headers: { ...api.authHeaders(true), 'content-type': 'application/json' },
      duration: opts.duration,
      withDb: db === 'mysql',
      setupRequest: (req) => {
        const i = seq++;
        return { ...req, body: JSON.stringify({ ...recordValues(i), ownerId: org.owners[ownerIndex(i)] }) };
      },
      onResponse: (status) => {
        if (status === 201) created++;
      },
    });
    // Requests in flight when the load stopped still complete on the server: let them land,
    // then take the created matching ids from the API itself.
    await sleep(1500);
    const cq1 = await q();
    // Newest matching rows first, until the seeded ones start.
    createdMatching.length = 0;
    createdMemberMatching.length = 0;
    const matchFilter = { '==': [{ var: FILTER_KEY }, FILTER_VALUE] };
    for (let cursor = null, done = false; !done;) {
      const page = await api.call('POST', `/api/entities/${eid}/records/query`, { filter: matchFilter, limit: 200, ...(cursor ? { cursor } : {}) });
      for (const it of page.items) {
        if (it.id <= seedMaxId) {
          done = true;
          break;
        }
        createdMatching.push(it.id);
        if (org.scope.has(it.ownerId)) createdMemberMatching.push(it.id);
      }
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    report.create.statementsPerRequest = cq0 !== null ? round((cq1 - cq0 - 1) / created, 1) : null;
    report.create.createdIncludingWarmup = created;
    report.create.createdMatching = createdMatching.length;
    say(
      `create: ${report.create.rps} req/s, p50 ${report.create.p50} / p95 ${report.create.p95} / p99 ${report.create.p99} ms, non-2xx ${report.create.non2xx}`,
    );
  }

  const withRaw = db === 'mysql' && opts.phases.has('raw');
  const rawOpts = { url: opts.mysqlUrl, connections: CONNECTIONS, duration: opts.duration, warmup: WARMUP_SECONDS };
  const plan = withRaw ? await raw.rawPlan(opts.mysqlUrl, eid, FILTER_KEY) : null;
  if (withRaw) {
    // The raw driver: single-row inserts (beside create) and 5 000-row inserts (beside the bulk seed).
    report.raw = { inserts: await raw.rawInserts({ ...rawOpts, plan, batch: BATCH, multiRows: Math.min(opts.records, 100_000) }) };
    const { single, multi } = report.raw.inserts;
    say(`raw single-row insert: ${single.perSec}/s, p95 ${single.p95} ms; raw ${BATCH}-row insert: ${multi.rowsPerSec} rows/s`);
  }

  // Filtered lists: newest first (id DESC), 20 per page.
  const { compileSortOrThrow, encodeCursor } = require(join(REPO, 'packages/rules/dist'));
  const sortKeys = compileSortOrThrow({ sort: null, resolveField: () => undefined });
  const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: FILTER_KEY }, FILTER_VALUE] }));
  const listPath = `/api/entities/${eid}/records?filter=${filter}&limit=${LIMIT}`;
  const verifyBody = (body) => {
    try {
      return JSON.parse(body).items.length === LIMIT;
    } catch {
      return false;
    }
  };
  /** Skip (rows before the deep page): DEEP_ROWS, or the deepest full page when there are fewer. */
  const deepSkip = (n) => (n >= DEEP_ROWS + LIMIT ? DEEP_ROWS : Math.max(0, Math.floor((n - LIMIT) / LIMIT) * LIMIT));
  const deepCursorPath = (ids, skip) =>
    skip > 0 ? `${listPath}&cursor=${encodeURIComponent(encodeCursor({ sortKeys, row: { id: ids[skip - 1] } }))}` : listPath;

  if (opts.phases.has('list')) {
    // 4. Filtered lists as the admin.
    const allMatching = [...matching, ...createdMatching].sort((a, b) => b - a); // sort order: id DESC

    // Correctness first: page 1 is the 20 newest matching rows.
    const first = await api.call('GET', listPath);
    const want = allMatching.slice(0, LIMIT);
    if (first.items.map((r) => r.id).join() !== want.join()) throw new Error(`page 1 ids ${first.items.map((r) => r.id).join()} != expected ${want.join()}`);

    report.listPage1 = await load({ url: api.base + listPath, headers: authHeaders, verifyBody, duration: opts.duration, withDb: db === 'mysql' });
    report.listPage1.page = 1;
    report.listPage1.rowsSkipped = 0;
    say(`list page 1: ${report.listPage1.rps} req/s, p50 ${report.listPage1.p50} / p95 ${report.listPage1.p95} / p99 ${report.listPage1.p99} ms`);

    // Deep page: the cursor after the 200,000th matching row (or the deepest full page).
    const skip = deepSkip(allMatching.length);
    const deepPath = deepCursorPath(allMatching, skip);
    const deep = await api.call('GET', deepPath);
    const wantDeep = allMatching.slice(skip, skip + LIMIT);
    if (deep.items.map((r) => r.id).join() !== wantDeep.join())
      throw new Error(`deep page ids ${deep.items.map((r) => r.id).join()} != expected ${wantDeep.join()}`);
    report.listDeep = await load({ url: api.base + deepPath, headers: authHeaders, verifyBody, duration: opts.duration, withDb: db === 'mysql' });
    report.listDeep.page = skip / LIMIT + 1;
    report.listDeep.rowsSkipped = skip;
    report.listDeep.matchingRows = allMatching.length;
    report.listDeep.requestedPage = DEEP_ROWS / LIMIT + 1;
    say(
      `list page ${report.listDeep.page}: ${report.listDeep.rps} req/s, p50 ${report.listDeep.p50} / p95 ${report.listDeep.p95} / p99 ${report.listDeep.p99} ms`,
    );
    // Statements per list request (MySQL only): a short sequential sample after the load.
    report.listPage1.statementsPerRequest = db === 'mysql' ? await statementsPer(api, listPath, opts.mysqlUrl) : null;
    report.listDeep.statementsPerRequest = db === 'mysql' ? await statementsPer(api, deepPath, opts.mysqlUrl) : null;
    if (withRaw) {
      report.raw.listPage1 = await raw.rawList({ ...rawOpts, plan, value: FILTER_VALUE, afterId: null });
      report.raw.listDeep = await raw.rawList({ ...rawOpts, plan, value: FILTER_VALUE, afterId: skip > 0 ? allMatching[skip - 1] : null });
      say(
        `raw list page 1: ${report.raw.listPage1.perSec}/s, p95 ${report.raw.listPage1.p95} ms; deep: ${report.raw.listDeep.perSec}/s, p95 ${report.raw.listDeep.p95} ms`,
      );
    }
  }
  if (report.raw) report.raw.ratios = rawRatios(report);

  if (opts.phases.has('member')) {
    // 5. The same filtered lists as member M (own session), whose view scope is the union of an
    // "own" and a "department" group: rows owned by M or by anyone in Sales or below it.
    const mApi = await loginAs(api.base, org.member);
    const mHeaders = mApi.authHeaders(false);
    const mMatching = [...memberMatching, ...createdMemberMatching].sort((a, b) => b - a);
    const scopeOwners = org.scope;
    let foreign = 0; // rows outside M's scope seen under load (must stay 0)
    const mVerify = (body) => {
      try {
        const items = JSON.parse(body).items;
        if (items.some((r) => !scopeOwners.has(r.ownerId))) foreign++;
        return items.length === LIMIT && !items.some((r) => !scopeOwners.has(r.ownerId));
      } catch {
        return false;
      }
    };
    const checkPage = async (path, want, what) => {
      const page = await mApi.call('GET', path);
      const got = page.items.map((r) => r.id);
      if (got.join() !== want.join()) throw new Error(`member ${what} ids ${got.join()} != expected ${want.join()}`);
      const outside = page.items.filter((r) => !scopeOwners.has(r.ownerId));
      if (outside.length) throw new Error(`member ${what}: rows ${outside.map((r) => `${r.id} (owner ${r.ownerId})`).join(', ')} are outside M's scope`);
    };
    report.memberScope = {
      description: 'own (view) + department (view): owner is M, or in Sales or a department below it',
      members: MEMBERS,
      departments: DEPARTMENTS.length,
      ownersInScope: IN_M_SCOPE,
      owners: OWNERS,
      matchingRowsInScope: mMatching.length,
      shareOfMatching: round(mMatching.length / Math.max(1, matching.length + createdMatching.length), 3),
    };

    await checkPage(listPath, mMatching.slice(0, LIMIT), 'page 1');
    report.memberListPage1 = await load({ url: api.base + listPath, headers: mHeaders, verifyBody: mVerify, duration: opts.duration, withDb: db === 'mysql' });
    report.memberListPage1.page = 1;
    report.memberListPage1.rowsSkipped = 0;

    const mSkip = deepSkip(mMatching.length);
    const mDeepPath = deepCursorPath(mMatching, mSkip);
    await checkPage(mDeepPath, mMatching.slice(mSkip, mSkip + LIMIT), `page ${mSkip / LIMIT + 1}`);
    report.memberListDeep = await load({ url: api.base + mDeepPath, headers: mHeaders, verifyBody: mVerify, duration: opts.duration, withDb: db === 'mysql' });
    report.memberListDeep.page = mSkip / LIMIT + 1;
    report.memberListDeep.rowsSkipped = mSkip;
    report.memberListDeep.matchingRows = mMatching.length;
    report.memberListDeep.requestedPage = DEEP_ROWS / LIMIT + 1;
    // Spot checks after the load: a few pages across M's rows, ids and owners.
    for (const at of [LIMIT, Math.floor(mMatching.length / 3 / LIMIT) * LIMIT, Math.floor((mMatching.length * 2) / 3 / LIMIT) * LIMIT]) {
      if (at > 0 && at + LIMIT <= mMatching.length) await checkPage(deepCursorPath(mMatching, at), mMatching.slice(at, at + LIMIT), `page ${at / LIMIT + 1}`);
    }
    report.memberScope.rowsOutsideScopeUnderLoad = foreign;
    if (foreign) throw new Error(`member M received ${foreign} pages with rows outside its scope`);
    report.memberListPage1.statementsPerRequest = db === 'mysql' ? await statementsPer(mApi, listPath, opts.mysqlUrl) : null;
    report.memberListDeep.statementsPerRequest = db === 'mysql' ? await statementsPer(mApi, mDeepPath, opts.mysqlUrl) : null;
    const ratio = (m, a) => (m && a && a.p95 ? round(m.p95 / a.p95, 2) : null);
    report.memberListPage1.ratioToAdminP95 = ratio(report.memberListPage1, report.listPage1);
    report.memberListDeep.ratioToAdminP95 = ratio(report.memberListDeep, report.listDeep);
    say(
      `member list page 1: ${report.memberListPage1.rps} req/s, p50 ${report.memberListPage1.p50} / p95 ${report.memberListPage1.p95} / p99 ${report.memberListPage1.p99} ms (× admin p95: ${fmt(report.memberListPage1.ratioToAdminP95)})`,
    );
    say(
      `member list page ${report.memberListDeep.page}: ${report.memberListDeep.rps} req/s, p50 ${report.memberListDeep.p50} / p95 ${report.memberListDeep.p95} / p99 ${report.memberListDeep.p99} ms (× admin p95: ${fmt(report.memberListDeep.ratioToAdminP95)})`,
    );
  }

  // 6. Stop (and drop the MySQL database unless --keep-db, e.g. to EXPLAIN queries on it).
  await stopServer();
  if (db === 'mysql' && !opts.keepDb) await dropMysqlDatabase(opts.mysqlUrl);
  report.targets = targetsOf(report);
  return report;
}

/** Each API figure ÷ the raw driver's figure for the same work, same run. */
function rawRatios(r) {
  const div = (a, b) => (a && b ? round(a / b, 2) : null);
  return {
    listPage1P95: div(r.listPage1?.p95, r.raw.listPage1?.p95),
    listDeepP95: div(r.listDeep?.p95, r.raw.listDeep?.p95),
    listPage1Rps: div(r.listPage1?.rps, r.raw.listPage1?.perSec),
    createVsSingleInsert: div(r.create?.rps, r.raw.inserts?.single.perSec),
    bulkVsMultiInsert: div(r.bulk?.rowsPerSec, r.raw.inserts?.multi.rowsPerSec),
  };
}

/** Statements MariaDB receives per request of `path`, over 50 sequential requests. */
async function statementsPer(api, path, url) {
  const n = 50;
  const a = await mysqlQuestions(url);
  for (let i = 0; i < n; i++) await api.call('GET', path);
  const b = await mysqlQuestions(url);
  return round((b - a - 1) / n, 1);
}

function targetsOf(r) {
  const ok = (x) => x.non2xx === 0 && x.errors === 0 && x.timeouts === 0 && x.mismatches === 0;
  const t = { note: 'Targets are for MySQL with 1,000,000 records on the 2-core machine.' };
  t.bulk = { target: `>= ${TARGETS.bulkRowsPerSec.toLocaleString('en-US')} rows/s`, met: r.bulk.rowsPerSec >= TARGETS.bulkRowsPerSec };
  if (r.create)
    t.create = {
      target: `>= ${TARGETS.createRps} req/s, p95 <= ${TARGETS.createP95} ms`,
      met: r.create.rps >= TARGETS.createRps && r.create.p95 <= TARGETS.createP95 && ok(r.create),
    };
  if (r.listPage1) t.listPage1 = { target: `p95 <= ${TARGETS.listP95} ms`, met: r.listPage1.p95 <= TARGETS.listP95 && ok(r.listPage1) };
  if (r.listDeep) t.listDeep = { target: `p95 <= ${TARGETS.listP95} ms`, met: r.listDeep.p95 <= TARGETS.listP95 && ok(r.listDeep) };
  const ratioTarget = (x) => ({
    target: `p95 <= ${TARGETS.memberP95Ratio} × admin p95`,
    met: x.ratioToAdminP95 === null ? null : x.ratioToAdminP95 <= TARGETS.memberP95Ratio && ok(x),
  });
  const rr = r.raw?.ratios;
  if (rr?.listPage1P95 != null) t.rawListPage1 = { target: `p95 <= ${TARGETS.listP95RawRatio} × raw`, met: rr.listPage1P95 <= TARGETS.listP95RawRatio };
  if (rr?.listDeepP95 != null) t.rawListDeep = { target: `p95 <= ${TARGETS.listP95RawRatio} × raw`, met: rr.listDeepP95 <= TARGETS.listP95RawRatio };
  if (rr?.createVsSingleInsert != null)
    t.rawCreate = { target: `>= ${TARGETS.createRawRatio} × raw single-row inserts/s`, met: rr.createVsSingleInsert >= TARGETS.createRawRatio };
  if (r.memberListPage1) t.memberListPage1 = ratioTarget(r.memberListPage1);
  if (r.memberListDeep) t.memberListDeep = ratioTarget(r.memberListDeep);
  return t;
}

// ---------------------------------------------------------------------------------------------
// Output

const fmt = (n) => (n === null || n === undefined ? '–' : typeof n === 'number' ? n.toLocaleString('en-US') : String(n));
const mark = (met) => (met === null ? 'n/a' : met ? 'met' : 'MISSED');

function table(r) {
  const t = r.targets;
  const m = r.machine;
  const cpu = (c) =>
    c
      ? `API ${fmt(c.serverCores)}, ${c.dbCores !== null ? `MariaDB ${fmt(c.dbCores)}, ` : ''}load generator ${fmt(c.benchCores)}, other ${fmt(c.otherCores)} (machine ${fmt(c.machineBusyCores)} of ${m.cores}, load avg ${fmt(c.loadavg1mAtStart)})`
      : '–';
  const stmts = (x, unit) => (x !== null && x !== undefined ? `, ~${fmt(x)} SQL statements/${unit}` : '');
  const row = (name, x, target) =>
    `| ${name} | ${fmt(x.rps)} | ${fmt(x.p50)} | ${fmt(x.p95)} | ${fmt(x.p99)} | ${fmt(x.non2xx)} | ${target.target} | ${mark(target.met)} |`;
  const lines = [
    `### ${r.db === 'mysql' ? 'MySQL (MariaDB)' : 'SQLite'}, ${fmt(r.records)} records — ${r.date.slice(0, 10)}`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}. Load: ${r.connections} connections, ${r.durationSec} s per phase after a ${WARMUP_SECONDS} s warm-up.${r.code ? ` Code: ${r.code.commit}${r.code.dirty ? ' + uncommitted changes' : ''}.` : ''}`,
    '',
    '| phase | req/s | p50 ms | p95 ms | p99 ms | non-2xx | target | result |',
    '|---|---:|---:|---:|---:|---:|---|---|',
    `| bulk insert (${fmt(r.bulk.rows)} rows, ${fmt(r.bulk.batch)}/request${r.bulk.concurrency > 1 ? `, ${r.bulk.concurrency} in flight` : ''}) | **${fmt(r.bulk.rowsPerSec)} rows/s** | | | | 0 | ${t.bulk.target} | ${mark(t.bulk.met)} |`,
  ];
  if (r.create) lines.push(row('create (POST one record)', r.create, t.create));
  if (r.listPage1) lines.push(row('filtered list, page 1', r.listPage1, t.listPage1));
  if (r.listDeep) lines.push(row(`filtered list, page ${fmt(r.listDeep.page)} (cursor after match ${fmt(r.listDeep.rowsSkipped)})`, r.listDeep, t.listDeep));
  const ratioTxt = (x) => (x.ratioToAdminP95 !== null ? ` (${fmt(x.ratioToAdminP95)} × admin)` : '');
  const mrow = (name, x, target) =>
    `| ${name} | ${fmt(x.rps)} | ${fmt(x.p50)} | ${fmt(x.p95)}${ratioTxt(x)} | ${fmt(x.p99)} | ${fmt(x.non2xx)} | ${target.target} | ${mark(target.met)} |`;
  if (r.memberListPage1) lines.push(mrow('member (own or department), filtered list, page 1', r.memberListPage1, t.memberListPage1));
  if (r.memberListDeep)
    lines.push(
      mrow(
        `member (own or department), page ${fmt(r.memberListDeep.page)} (cursor after match ${fmt(r.memberListDeep.rowsSkipped)})`,
        r.memberListDeep,
        t.memberListDeep,
      ),
    );
  if (r.raw) lines.push('', ...rawTable(r));
  lines.push('');
  lines.push(`- Bulk: ${fmt(r.bulk.seconds)} s wall clock${stmts(r.bulk.statementsPerBatch, 'batch')}; CPU cores busy: ${cpu(r.bulk.cpu)}.`);
  if (r.create)
    lines.push(
      `- Create: ${fmt(r.create.requests)} requests, errors ${r.create.errors}, timeouts ${r.create.timeouts}${stmts(r.create.statementsPerRequest, 'request')}; CPU: ${cpu(r.create.cpu)}.`,
    );
  if (r.listPage1)
    lines.push(
      `- List page 1: ${fmt(r.listPage1.requests)} requests, wrong item count ${r.listPage1.mismatches}${stmts(r.listPage1.statementsPerRequest, 'request')}; CPU: ${cpu(r.listPage1.cpu)}.`,
    );
  if (r.listDeep) {
    const shallow = r.listDeep.page < r.listDeep.requestedPage ? ` (fewer than ${fmt(DEEP_ROWS + LIMIT)}: deepest full page used)` : '';
    lines.push(
      `- List page ${fmt(r.listDeep.page)}: ${fmt(r.listDeep.requests)} requests, wrong item count ${r.listDeep.mismatches}, ${fmt(r.listDeep.matchingRows)} matching rows${shallow}${stmts(r.listDeep.statementsPerRequest, 'request')}; CPU: ${cpu(r.listDeep.cpu)}.`,
    );
  }
  if (r.memberScope) {
    const s = r.memberScope;
    lines.push(
      `- Member M: groups own (view) + department (view); ${fmt(s.members)} members in ${fmt(s.departments)} departments, owners round robin over the members and the admin, M's scope ${fmt(s.ownersInScope)} of ${fmt(s.owners)} owners = ${fmt(s.matchingRowsInScope)} matching rows (${fmt(round(s.shareOfMatching * 100, 1))}%); rows outside the scope under load: ${fmt(s.rowsOutsideScopeUnderLoad)}.`,
    );
  }
  if (r.memberListPage1)
    lines.push(
      `- Member list page 1: ${fmt(r.memberListPage1.requests)} requests, wrong item count or owner ${r.memberListPage1.mismatches}${stmts(r.memberListPage1.statementsPerRequest, 'request')}; CPU: ${cpu(r.memberListPage1.cpu)}.`,
    );
  if (r.memberListDeep) {
    const x = r.memberListDeep;
    const shallow = x.page < x.requestedPage ? ` (fewer than ${fmt(DEEP_ROWS + LIMIT)}: deepest full page used)` : '';
    lines.push(
      `- Member list page ${fmt(x.page)}: ${fmt(x.requests)} requests, wrong item count or owner ${x.mismatches}, ${fmt(x.matchingRows)} matching rows in scope${shallow}${stmts(x.statementsPerRequest, 'request')}; CPU: ${cpu(x.cpu)}.`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

/** The API beside the raw driver (mysql2, same statements, same connections), with ratios. */
function rawTable(r) {
  const { raw: x, targets: t } = r;
  const rr = x.ratios;
  const lines = [
    'Beside the raw driver (mysql2 alone, 16 connections in closed loops, the same statements, same run):',
    '',
    '| work | API | raw mysql2 | ratio (API ÷ raw) | target | result |',
    '|---|---:|---:|---:|---|---|',
  ];
  const res = (k) => (t[k] ? `${t[k].target} | ${mark(t[k].met)}` : '– | –');
  if (r.listPage1 && x.listPage1)
    lines.push(`| filtered list page 1, p95 ms | ${fmt(r.listPage1.p95)} | ${fmt(x.listPage1.p95)} | ${fmt(rr.listPage1P95)} | ${res('rawListPage1')} |`);
  if (r.listPage1 && x.listPage1)
    lines.push(`| filtered list page 1, per second | ${fmt(r.listPage1.rps)} | ${fmt(x.listPage1.perSec)} | ${fmt(rr.listPage1Rps)} | – | – |`);
  if (r.listDeep && x.listDeep)
    lines.push(
      `| filtered list page ${fmt(r.listDeep.page)}, p95 ms | ${fmt(r.listDeep.p95)} | ${fmt(x.listDeep.p95)} | ${fmt(rr.listDeepP95)} | ${res('rawListDeep')} |`,
    );
  if (r.create && x.inserts)
    lines.push(
      `| create ÷ single-row INSERT, per second | ${fmt(r.create.rps)} | ${fmt(x.inserts.single.perSec)} | ${fmt(rr.createVsSingleInsert)} | ${res('rawCreate')} |`,
    );
  if (x.inserts)
    lines.push(
      `| bulk ÷ ${fmt(x.inserts.multi.batch)}-row INSERT (2 in flight), rows/s | ${fmt(r.bulk.rowsPerSec)} | ${fmt(x.inserts.multi.rowsPerSec)} | ${fmt(rr.bulkVsMultiInsert)} | – | – |`,
    );
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Main

async function mainRun() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(opts.out, { recursive: true });
  const dbs = opts.db === 'both' ? ['sqlite', 'mysql'] : [opts.db];
  const stamp = new Date().toISOString().slice(0, 10);
  // Hard stop: generous for the quiet wait, the seed (≥ 1,000 rows/s) and the phases; never runs forever.
  const budgetMs =
    (opts.phases.has('compute') ? 600 : 0) * 1000 +
    (600 + opts.quietWait + opts.records / 1000 + 6 * (opts.duration + WARMUP_SECONDS + 60)) * 1000 * dbs.length;
  const watchdog = setTimeout(() => {
    console.error(`Bench exceeded its time budget (${Math.round(budgetMs / 1000)} s); stopping`);
    cleanupSync();
    process.exit(124);
  }, budgetMs);
  watchdog.unref();

  const reports = [];
  let failed = false;
  // compute (issue 4): validate + form rules + formulas in this process, one core, no database.
  let compute = null;
  let computeTable = null;
  if (opts.phases.has('compute')) {
    try {
      const bench = await import('./compute-bench.mjs'); // needs the packages' dist, not the API or a database
      computeTable = bench.computeTable;
      compute = await bench.runComputeBench({ say: (m) => console.log(`[compute] ${m}`) });
      const file = join(opts.out, `${stamp}-compute.json`);
      writeFileSync(file, JSON.stringify(compute, null, 2) + '\n');
      console.log(`[compute] report: ${file}`);
    } catch (err) {
      failed = true;
      console.error(`[compute] FAILED: ${err instanceof Error ? err.stack : err}`);
    }
  }
  const onlyCompute = opts.phases.size > 0 && [...opts.phases].every((p) => p === 'compute');
  for (const db of onlyCompute ? [] : dbs) {
    try {
      const r = await benchDatabase(db, opts, stamp);
      if (!r) continue;
      if (compute) r.compute = compute;
      const file = join(opts.out, `${stamp}-${db}-${opts.records}.json`);
      writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
      console.log(`[${db}] report: ${file}`);
      reports.push(r);
    } catch (err) {
      failed = true;
      console.error(`[${db}] FAILED: ${err instanceof Error ? err.stack : err}`);
      if (server) console.error(`[${db}] server log: ${server.logPath}`);
      killServerNow();
      await stopServer().catch(() => {});
    }
  }
  if (reports.length || compute) {
    console.log('\n## Benchmark results\n');
    if (compute) console.log(computeTable(compute));
    console.log('Targets (from the issue) are for MySQL with 1M records on the 2-core machine; other runs show them for reference.\n');
    for (const r of reports) console.log(table(r));
  }
  clearTimeout(watchdog);
  process.exit(failed ? 1 : 0);
}

mainRun().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  cleanupSync();
  process.exit(1);
});
