#!/usr/bin/env node
// Benchmark of imports (issue 12, item 6): a CSV of N rows × 20 columns imported through the
// API (upload → run → the `import.run` job writing through the record pipeline) on MySQL/MariaDB,
// beside a raw multi-row INSERT of the same rows by mysql2 in the same run, into a copy of the
// record table (`CREATE TABLE … LIKE`). The API process's resident memory is sampled while the
// job runs (/proc/<pid>/status), so a long file shows whether memory stays flat.
//
//   node apps/api/bench/import-bench.mjs [--rows N] [--mysql-url URL] [--json FILE] [--skip-raw] [--api-dist DIR]
//
// Targets: 100 000 rows in ≤ 30 s and ≥ 0.5× the raw insert; 1 000 000 rows with memory flat
// (`--rows 1000000`). Needs the API built (npm run build). See docs/performance.md.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const { FormData } = globalThis;

const here = dirname(fileURLToPath(import.meta.url));
const API_DIR = resolve(here, '..');
const REPO = resolve(API_DIR, '../..');
const require = createRequire(join(API_DIR, 'package.json'));
const mysql = require('mysql2/promise');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const ROWS = Number(opt('--rows', '100000'));
const MYSQL_URL = opt('--mysql-url', 'mysql://root@127.0.0.1:3306/crm_bench_import');
const JSON_OUT = opt('--json', null);
const SKIP_RAW = args.includes('--skip-raw');
// --api-dist DIR: another build of the API (a copy of an older dist) for A/B pairs in one sitting.
const API_DIST = resolve(opt('--api-dist', join(API_DIR, 'dist')));
if (!Number.isInteger(ROWS) || ROWS < 100) throw new Error('--rows must be a whole number ≥ 100');
const u = new URL(MYSQL_URL);
if (u.hostname !== '127.0.0.1' || !/^\/crm_bench\w*$/.test(u.pathname)) throw new Error('--mysql-url must point at 127.0.0.1 and a database named crm_bench*');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const LEVELS = ['Hot', 'Warm', 'Cold'];
const TYPES = ['Lead', 'Customer', 'Partner'];

/** 20 fields of the types imports meet most: text, numbers, money, dates, choices, a switch, an email. */
const FIELDS = [
  ...Array.from({ length: 8 }, (_, i) => ({ key: `t${i + 1}`, label: `文本${i + 1}`, type: 'text' })),
  ...Array.from({ length: 4 }, (_, i) => ({ key: `n${i + 1}`, label: `数量${i + 1}`, type: 'number', settings: { precision: 2 } })),
  { key: 'm1', label: '金额1', type: 'money', settings: { precision: 2 } },
  { key: 'm2', label: '金额2', type: 'money', settings: { precision: 2 } },
  { key: 'd1', label: '日期1', type: 'date' },
  { key: 'd2', label: '日期2', type: 'date' },
  { key: 's1', label: '等级', type: 'select', settings: { options: LEVELS.map((l) => ({ value: l.toLowerCase(), label: l })) } },
  { key: 's2', label: '类型', type: 'select', settings: { options: TYPES.map((l) => ({ value: l.toLowerCase(), label: l })) } },
  { key: 'b1', label: '启用', type: 'switch' },
  { key: 'e1', label: '邮箱', type: 'email' },
];

/** Row i as CSV cells and as the values the API stores (the raw insert writes the latter). */
function row(i) {
  const day = `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
  const cells = [
    ...Array.from({ length: 8 }, (_, k) => `客户${i}-${k}`),
    ...Array.from({ length: 4 }, (_, k) => String((i * (k + 1)) % 100000) + '.5'),
    `"${(i % 1000000).toLocaleString('en-US')}.25"`,
    String(i % 777),
    day.replace(/-/g, '/'),
    day,
    LEVELS[i % 3],
    TYPES[i % 3],
    i % 2 ? '是' : '否',
    `user${i}@example.com`,
  ];
  return cells;
}

async function writeCsv(path) {
  const out = createWriteStream(path);
  const write = (s) => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', r)));
  await write(FIELDS.map((f) => f.label).join(',') + '\r\n');
  for (let i = 1; i <= ROWS; i++) await write(row(i).join(',') + '\r\n');
  await new Promise((r) => out.end(r));
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

async function dropDatabase() {
  const base = new URL(MYSQL_URL);
  const db = base.pathname.slice(1);
  base.pathname = '/';
  const conn = await mysql.createConnection({ uri: base.toString() });
  await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
  await conn.end();
}

class Client {
  constructor(port) {
    this.base = `http://127.0.0.1:${port}`;
    this.cookies = new Map();
  }
  headers(extra = {}) {
    const csrf = this.cookies.get('csrf');
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(csrf ? { 'x-csrf-token': csrf } : {}), ...extra };
  }
  async call(method, path, body) {
    const isForm = body instanceof FormData;
    const res = await fetch(this.base + path, {
      method,
      headers: this.headers(body === undefined || isForm ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair.split('=');
      this.cookies.set(k.trim(), v.join('='));
    }
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : null;
  }
}

async function startApi(dataDir) {
  const main = join(API_DIST, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const password = randomBytes(18).toString('base64url');
  const env = { ...process.env };
  for (const k of ['REDIS_URL', 'LOG_QUERIES', 'WEB_DIST', 'BODY_LIMIT_KB']) delete env[k];
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    WEB_DIST: 'off',
    ADMIN_EMAIL: 'bench@example.com',
    ADMIN_PASSWORD: password,
    DATABASE_URL: MYSQL_URL,
    UPLOAD_LIMIT_MB: '1024',
    JOBS_CONSUME: 'on',
    NODE_ENV: 'production',
  });
  const log = createWriteStream(join(dataDir, 'api.log'));
  // IMPORT_BENCH_NODE_ARGS: extra node flags for the API process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = (process.env.IMPORT_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, main], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const api = new Client(port);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited (${child.exitCode}); see ${join(dataDir, 'api.log')}`);
    try {
      if ((await fetch(`${api.base}/api/health`)).status === 200) break;
    } catch {
      /* starting */
    }
    if (Date.now() > deadline) throw new Error('API did not start');
    await sleep(250);
  }
  await api.call('POST', '/api/auth/login', { email: 'bench@example.com', password });
  return { api, child };
}

/** CPU seconds the process has used (user + system, /proc/<pid>/stat; 100 ticks a second). */
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const rssMb = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : null;
};

async function rawInsert(entityId, csvRows) {
  const conn = await mysql.createConnection({ uri: MYSQL_URL });
  try {
    const [[entity]] = await conn.query('SELECT table_name FROM entities WHERE id = ?', [entityId]);
    const [fields] = await conn.query('SELECT `key`, physical FROM fields WHERE entity_id = ? ORDER BY position, id', [entityId]);
    const cols = fields.map((f) => (typeof f.physical === 'string' ? JSON.parse(f.physical) : f.physical).column);
    const copy = `${entity.table_name}_raw`;
    await conn.query(`DROP TABLE IF EXISTS \`${copy}\``);
    await conn.query(`CREATE TABLE \`${copy}\` LIKE \`${entity.table_name}\``);
    const names = ['version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'owner_id', ...cols].map((c) => `\`${c}\``).join(', ');
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    const started = performance.now();
    const BATCH = 1000;
    for (let from = 1; from <= csvRows; from += BATCH) {
      const values = [];
      for (let i = from; i < Math.min(from + BATCH, csvRows + 1); i++) {
        const day = `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
        values.push([
          1,
          now,
          null,
          now,
          null,
          null,
          ...Array.from({ length: 8 }, (_, k) => `客户${i}-${k}`),
          ...Array.from({ length: 4 }, (_, k) => ((i * (k + 1)) % 100000) + 0.5),
          (i % 1000000) + 0.25,
          i % 777,
          day,
          day,
          LEVELS[i % 3].toLowerCase(),
          TYPES[i % 3].toLowerCase(),
          i % 2,
          `user${i}@example.com`,
        ]);
      }
      await conn.query(`INSERT INTO \`${copy}\` (${names}) VALUES ?`, [values]);
    }
    const seconds = (performance.now() - started) / 1000;
    await conn.query(`DROP TABLE \`${copy}\``);
    return seconds;
  } finally {
    await conn.end();
  }
}

async function main() {
  const dir = mkdtempSync(join(os.tmpdir(), 'crm-import-bench-'));
  try {
    await dropDatabase();
    const csvPath = join(dir, 'import.csv');
    await writeCsv(csvPath);
    const { api, child } = await startApi(dir);
    try {
      const app = await api.call('POST', '/api/apps', { key: 'bench', name: 'Bench' });
      const entity = await api.call('POST', `/api/apps/${app.id}/entities`, { key: 'imported', name: 'Imported', fields: FIELDS });
      const form = new FormData();
      form.append('file', await openAsBlob(csvPath), 'import.csv');
      const session = await api.call('POST', `/api/entities/${entity.id}/imports`, form);
      const mapped = session.mapping.columns.filter((c) => c.target).length;
      if (mapped !== 20) throw new Error(`only ${mapped} of 20 columns mapped`);
      const baseline = rssMb(child.pid);
      const samples = [];
      const cpuBefore = cpuSeconds(child.pid);
      const started = performance.now();
      await api.call('POST', `/api/imports/${session.id}/run`, {});
      let state;
      for (let polls = 0; ; polls++) {
        // Polled every 0.1 s (the end is seen within 0.1 s); memory sampled every 0.5 s.
        await sleep(100);
        if (polls % 5 === 4) samples.push({ at: (performance.now() - started) / 1000, rssMb: rssMb(child.pid) });
        state = await api.call('GET', `/api/imports/${session.id}`);
        if (['done', 'failed', 'aborted'].includes(state.status)) break;
      }
      const seconds = (performance.now() - started) / 1000;
      const apiCpu = cpuSeconds(child.pid) - cpuBefore;
      if (samples.length === 0) samples.push({ at: seconds, rssMb: rssMb(child.pid) });
      if (state.status !== 'done' || state.progress.created !== ROWS)
        throw new Error(`import ended ${state.status}: ${JSON.stringify(state.progress)} ${state.lastError ?? ''}`);
      const rawSeconds = SKIP_RAW ? null : await rawInsert(entity.id, ROWS);
      const rss = samples.map((s) => s.rssMb).filter((x) => x !== null);
      const half = rss.slice(Math.floor(rss.length / 2));
      const report = {
        rows: ROWS,
        columns: 20,
        importSeconds: Math.round(seconds * 100) / 100,
        rowsPerSecond: Math.round(ROWS / seconds),
        apiCpuSeconds: Math.round(apiCpu * 100) / 100,
        rawSeconds: rawSeconds === null ? null : Math.round(rawSeconds * 100) / 100,
        ratioToRaw: rawSeconds === null ? null : Math.round((rawSeconds / seconds) * 100) / 100,
        rssMb: {
          before: Math.round(baseline),
          peak: Math.round(Math.max(...rss)),
          firstHalfPeak: Math.round(Math.max(...rss.slice(0, Math.ceil(rss.length / 2)))),
          secondHalfPeak: Math.round(Math.max(...half)),
        },
        node: process.version,
        cpus: os.cpus().length,
      };
      console.log(
        `import of ${ROWS} rows × 20 columns on MySQL: ${report.importSeconds} s (${report.rowsPerSecond} rows/s); API CPU ${report.apiCpuSeconds} s (${Math.round((apiCpu / seconds) * 100)} % of a core)`,
      );
      if (rawSeconds !== null)
        console.log(`raw multi-row INSERT of the same rows: ${report.rawSeconds} s → import at ${report.ratioToRaw}× raw (target ≥ 0.5×)`);
      console.log(
        `API resident memory: ${report.rssMb.before} MB before, peak ${report.rssMb.peak} MB (first half ${report.rssMb.firstHalfPeak}, second half ${report.rssMb.secondHalfPeak})`,
      );
      if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ ...report, samples }, null, 2));
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase().catch(() => undefined);
  }
}

await main();
