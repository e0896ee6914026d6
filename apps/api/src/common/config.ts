import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { trustedProxyProblem } from './client-address';

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'mysql'; url: string };

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  redisUrl: string | null;
  /** Prepended to every Redis key this process writes (several installations may share one Redis). */
  redisKeyPrefix: string;
  admin: { email: string; password: string | null; name: string };
  sessionTtlHours: number;
  publicUrl: string | null;
  /** Proxies whose X-Forwarded-For is believed (IPs, CIDRs, loopback/linklocal/uniquelocal); none by default. */
  trustedProxies: string[];
  bodyLimitBytes: number;
  bulkBodyLimitBytes: number;
  uploadLimitBytes: number;
  webDist: string | null;
  logQueries: boolean;
  loginThrottle: { perAccount: number; perIp: number; windowMinutes: number };
  /** Public fill-in links: submissions allowed per link and per client address in a window. */
  publicForms: { perLink: number; perIp: number; windowSeconds: number };
  /** SIGTERM drain (docs/operations.md): readiness fails for `readyDelaySeconds` before the listener closes; the process exits within `timeoutSeconds`. */
  shutdown: { timeoutSeconds: number; readyDelaySeconds: number };
  /** The job system (docs/jobs.md). */
  jobs: JobsConfig;
}

export interface JobsConfig {
  /**
   * Whether this process runs job handlers. `auto`: the worker always does; the API does when
   * there is no REDIS_URL (the in-process driver, one process) and leaves them to apps/worker when there is.
   */
  consume: 'auto' | 'on' | 'off';
  /** Set by apps/worker at boot: the process is a worker. */
  role: 'api' | 'worker';
  /** Handlers run at once per process. */
  concurrency: number;
  /** How long a claim holds without a heartbeat before the sweeper takes the job back. */
  leaseMs: number;
  /** How often the dispatcher looks for due rows (delayed work, retries, the outbox after a crash). */
  pollMs: number;
  /** How often the sweeper repairs lost deliveries and stale claims. */
  sweepMs: number;
  /** On SIGTERM, how long running handlers may take before the process leaves anyway. */
  shutdownGraceMs: number;
  /** BullMQ queue name prefix (several installations can share one Redis). */
  redisPrefix: string;
}

/** A configuration value that stops the start; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
  }
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function urlVar(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got ${url.protocol}//`);
  }
  return raw.trim();
}

/**
 * The job settings. The BullMQ key prefix defaults to one derived from the database (host, port,
 * name or SQLite file), so installations (and test databases) sharing a Redis never mix queues.
 */
function parseJobsConfig(env: NodeJS.ProcessEnv, database: DatabaseConfig): JobsConfig {
  const databaseIdentity =
    database.kind === 'sqlite'
      ? `sqlite:${database.file}`
      : (() => {
          const u = new URL(database.url);
          return `mysql://${u.hostname}:${u.port || '3306'}${u.pathname}`;
        })();
  const consume = (env.JOBS_CONSUME ?? 'auto').trim() || 'auto';
  if (consume !== 'auto' && consume !== 'on' && consume !== 'off') throw new ConfigError('JOBS_CONSUME', `must be auto, on or off, got "${consume}"`);
  const prefix = (env.JOBS_REDIS_PREFIX ?? '').trim() || `crm-${createHash('sha1').update(databaseIdentity).digest('hex').slice(0, 10)}`;
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(prefix)) throw new ConfigError('JOBS_REDIS_PREFIX', `must be 1-40 letters, digits, _ or -, got "${prefix}"`);
  return {
    consume,
    role: 'api',
    concurrency: intVar(env, 'JOBS_CONCURRENCY', 8, 1, 256),
    leaseMs: intVar(env, 'JOBS_LEASE_SECONDS', 60, 1, 24 * 3600) * 1000,
    pollMs: intVar(env, 'JOBS_POLL_MS', 1000, 20, 60_000),
    sweepMs: intVar(env, 'JOBS_SWEEP_SECONDS', 15, 1, 3600) * 1000,
    shutdownGraceMs: intVar(env, 'JOBS_SHUTDOWN_GRACE_SECONDS', 25, 0, 3600) * 1000,
    redisPrefix: prefix,
  };
}

/** Reads and checks the environment once, at start. */
export function parseConfigOrThrow(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppConfig {
  const port = intVar(env, 'PORT', 3000, 0, 65535);
  const dataDir = env.DATA_DIR && env.DATA_DIR.trim() !== '' ? env.DATA_DIR.trim() : './data';
  const absData = isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir);

  const dbUrl = urlVar(env, 'DATABASE_URL', ['mysql:', 'mariadb:', 'sqlite:']);
  let database: DatabaseConfig;
  if (!dbUrl || dbUrl.startsWith('sqlite:')) {
    const file = dbUrl ? dbUrl.replace(/^sqlite:(\/\/)?/, '') : '';
    database = { kind: 'sqlite', file: file ? resolve(absData, file) : resolve(absData, 'crm.sqlite') };
  } else {
    const url = new URL(dbUrl);
    if (!url.pathname || url.pathname === '/') throw new ConfigError('DATABASE_URL', 'must name a database, e.g. mysql://user:pass@host:3306/crm');
    database = { kind: 'mysql', url: dbUrl.replace(/^mariadb:/, 'mysql:') };
  }

  const redisUrl = urlVar(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const publicUrl = urlVar(env, 'PUBLIC_URL', ['http:', 'https:']);
  const redisKeyPrefix = env.REDIS_KEY_PREFIX ?? 'crm:';
  if (!/^[\w:.-]{0,64}$/.test(redisKeyPrefix))
    throw new ConfigError('REDIS_KEY_PREFIX', `may hold up to 64 letters, digits and _ : . -, got "${redisKeyPrefix}"`);

  const trustedProxies = (env.TRUSTED_PROXIES ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const proxyProblem = trustedProxyProblem(trustedProxies);
  if (proxyProblem) throw new ConfigError('TRUSTED_PROXIES', proxyProblem);

  const adminEmail = (env.ADMIN_EMAIL ?? 'admin@example.com').trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(adminEmail)) throw new ConfigError('ADMIN_EMAIL', `is not an email address: "${adminEmail}"`);
  const adminPassword = env.ADMIN_PASSWORD && env.ADMIN_PASSWORD !== '' ? env.ADMIN_PASSWORD : null;
  if (adminPassword !== null && adminPassword.length < 8) throw new ConfigError('ADMIN_PASSWORD', 'must be at least 8 characters');

  const shutdownTimeout = intVar(env, 'SHUTDOWN_TIMEOUT_SECONDS', 10, 1, 3600);
  const readyDelay = intVar(env, 'SHUTDOWN_READY_DELAY_SECONDS', Math.min(2, shutdownTimeout - 1), 0, 3600);
  if (readyDelay >= shutdownTimeout)
    throw new ConfigError('SHUTDOWN_READY_DELAY_SECONDS', `must be less than SHUTDOWN_TIMEOUT_SECONDS (${shutdownTimeout}), got ${readyDelay}`);

  const webDist = env.WEB_DIST === 'off' ? null : env.WEB_DIST ? resolve(cwd, env.WEB_DIST) : resolve(__dirname, '../../../web/dist');

  return {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir: absData,
    database,
    redisUrl,
    redisKeyPrefix,
    admin: { email: adminEmail, password: adminPassword, name: env.ADMIN_NAME?.trim() || 'Admin' },
    sessionTtlHours: intVar(env, 'SESSION_TTL_HOURS', 24 * 7, 1, 24 * 365),
    publicUrl,
    trustedProxies,
    bodyLimitBytes: intVar(env, 'BODY_LIMIT_KB', 1024, 16, 64 * 1024) * 1024,
    bulkBodyLimitBytes: intVar(env, 'BULK_BODY_LIMIT_MB', 32, 1, 512) * 1024 * 1024,
    uploadLimitBytes: intVar(env, 'UPLOAD_LIMIT_MB', 20, 1, 1024) * 1024 * 1024,
    webDist,
    logQueries: env.LOG_QUERIES === '1',
    loginThrottle: {
      perAccount: intVar(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000),
      perIp: intVar(env, 'LOGIN_MAX_FAILURES_PER_IP', 50, 1, 100000),
      windowMinutes: intVar(env, 'LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
    },
    publicForms: {
      perLink: intVar(env, 'PUBLIC_FORM_MAX_PER_LINK', 20, 1, 100000),
      perIp: intVar(env, 'PUBLIC_FORM_MAX_PER_IP', 20, 1, 100000),
      windowSeconds: intVar(env, 'PUBLIC_FORM_WINDOW_SECONDS', 60, 1, 24 * 3600),
    },
    jobs: parseJobsConfig(env, database),
    shutdown: { timeoutSeconds: shutdownTimeout, readyDelaySeconds: readyDelay },
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * For a process's entry point (the API's and the worker's main.ts): the checked configuration,
 * or the ConfigError's message on stderr and exit code 1, so a bad variable stops the start
 * with a message naming it and no stack.
 */
export function parseConfigOrExit(env: NodeJS.ProcessEnv): AppConfig {
  try {
    return parseConfigOrThrow(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
