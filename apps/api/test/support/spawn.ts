import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { usingMysql } from './harness';

/** The built server; `npx tsc -p tsconfig.build.json` (npm run build) makes it. */
export const MAIN_JS = resolve(__dirname, '../../dist/main.js');

export function assertBuilt(): void {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: build the API first (cd apps/api && npx tsc -p tsconfig.build.json)`);
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

export interface Spawned {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<number | null>;
}

/** Starts `node dist/main.js` with only the given environment (plus PATH/HOME). */
export function spawnServer(env: Record<string, string>): Spawned {
  return spawnNode(MAIN_JS, { NODE_ENV: 'production', ...env }, 'server', 30_000);
}

/**
 * Starts `node script` with only the given environment (plus PATH/HOME/TMPDIR) and collects
 * its output; `label` names the process in errors.
 */
export function spawnNode(script: string, env: Record<string, string>, label: string, defaultTimeoutMs: number): Spawned {
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR']) if (process.env[k]) base[k] = process.env[k]!;
  const proc = spawn(process.execPath, [script], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += String(d)));
  proc.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((ok) => proc.once('exit', (code) => ok(code)));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(pattern, timeoutMs = defaultTimeoutMs) {
      const start = Date.now();
      for (;;) {
        const m = out.match(pattern);
        if (m) return m;
        if (proc.exitCode !== null || proc.signalCode !== null)
          throw new Error(`${label} exited (${proc.exitCode ?? proc.signalCode}) before printing ${pattern}:\n${out}\n${err}`);
        if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${pattern}:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

/** A scratch data dir, and a fresh MySQL database when the suite runs on MySQL. */
export async function scratchDatabase(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-spawn-'));
  const env: Record<string, string> = { DATA_DIR: dataDir };
  let dbName: string | null = null;
  if (usingMysql) {
    const u = new URL(process.env.DATABASE_URL!);
    dbName = `crm_s_${randomBytes(5).toString('hex')}`;
    u.pathname = `/${dbName}`;
    env.DATABASE_URL = u.toString();
  }
  return {
    env,
    cleanup: async () => {
      if (dbName) {
        const { createConnection } = await import('mysql2/promise');
        const u = new URL(process.env.DATABASE_URL!);
        u.pathname = '/';
        const conn = await createConnection({ uri: u.toString() });
        await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
        await conn.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
