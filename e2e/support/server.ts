import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const apiEntry = join(repoRoot, 'apps/api/dist/main.js');
const HEALTH_TIMEOUT_MS = 60_000;
const MAX_LOG_CHARS = 200_000;

export interface TestServer {
  baseUrl: string;
  email: string;
  password: string;
  /** Everything the server wrote so far, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Starts the built API (`apps/api/dist/main.js`) on a free port with an empty data dir and, when
 * DATABASE_URL points at MySQL/MariaDB, a database of its own; resolves once GET /api/health answers 200.
 */
export async function startServer(): Promise<TestServer> {
  if (!existsSync(apiEntry)) throw new Error(`${apiEntry} is missing; build first: npx nx run-many -t build`);

  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-e2e-'));
  const email = 'admin@example.com';
  const password = randomBytes(18).toString('base64url');
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  // A MySQL/MariaDB server gets a database of its own; a sqlite: URL already lands in the fresh DATA_DIR.
  const database = databaseUrl && /^(mysql|mariadb):/.test(databaseUrl) ? await createDatabase(databaseUrl) : undefined;

  const env: NodeJS.ProcessEnv = { ...process.env };
  // Only what this run owns reaches the server: never the developer's own database or data dir.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  Object.assign(env, {
    NODE_ENV: 'production',
    PORT: String(port),
    DATA_DIR: dataDir,
    ADMIN_EMAIL: email,
    ADMIN_PASSWORD: password,
    ...(databaseUrl ? { DATABASE_URL: database?.url ?? databaseUrl } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    // No worker runs beside the server here: with Redis too, the API itself consumes the jobs (imports).
    JOBS_CONSUME: process.env.JOBS_CONSUME ?? 'on',
  });

  const child = spawn(process.execPath, [apiEntry], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-MAX_LOG_CHARS)));
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-MAX_LOG_CHARS)));
  const logs = () => `--- api stdout ---\n${stdout}\n--- api stderr ---\n${stderr}`;

  const cleanup = async () => {
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
    await database?.drop();
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const health = await waitForHealth({ baseUrl, child });
    // Guards against silently testing the SQLite default when a MySQL run was asked for.
    const wanted = database ? 'mysql' : databaseUrl ? undefined : 'sqlite';
    if (wanted && health.database !== wanted) throw new Error(`API runs on ${health.database}, expected ${wanted}`);
  } catch (error) {
    console.error(`API did not start: ${(error as Error).message}\n${logs()}`);
    await cleanup();
    throw error;
  }

  return { baseUrl, email, password, logs, stop: cleanup };
}

async function waitForHealth({ baseUrl, child }: { baseUrl: string; child: ChildProcess }): Promise<{ database?: string }> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`API exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return (await response.json()) as { database?: string };
      lastProblem = `GET /api/health answered ${response.status}: ${await response.text()}`;
    } catch (error) {
      lastProblem = `GET /api/health failed: ${(error as Error).message}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`API not healthy after ${HEALTH_TIMEOUT_MS / 1000}s (${lastProblem})`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Creates `crm_e2e_<random>` on the server DATABASE_URL points at; the returned url names it. */
async function createDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const mysql = await import('mysql2/promise');
  const name = `crm_e2e_${randomBytes(6).toString('hex')}`;
  // Same server, user and options (ssl, ...) as the given URL, but no database selected.
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = '/';
  const connect = () => mysql.createConnection(adminUrl.toString());

  const connection = await connect();
  try {
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }

  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropConnection = await connect();
      try {
        await dropConnection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await dropConnection.end();
      }
    },
  };
}
