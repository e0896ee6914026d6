import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { type AppConfig, parseConfigOrThrow } from '../../src/common/config';
import { DDL_FAULTS, type DdlFaults } from '../../src/modules/ddl/ddl-runner.service';
import { createServer } from '../../src/server';

export const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };
export const usingMysql = !!process.env.DATABASE_URL && /^mysql|^mariadb/.test(process.env.DATABASE_URL);

export interface Api {
  status: number;
  body: any;
  headers: Headers;
}

/** A small HTTP client that keeps the session cookie like a browser. */
export class Client {
  readonly jar = new Map<string, string>();
  /** Send the CSRF header on writes, as the web app does (tests of the defence turn it off). */
  sendCsrf = true;
  /** An API token to send instead of cookies. */
  bearer: string | null = null;

  constructor(readonly baseUrl: string) {}

  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  set cookie(raw: string) {
    this.jar.clear();
    for (const part of raw.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k) this.jar.set(k, v.join('='));
    }
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Api> {
    const auth: Record<string, string> = this.bearer ? { authorization: `Bearer ${this.bearer}` } : this.jar.size ? { cookie: this.cookie } : {};
    const csrf = this.sendCsrf && !this.bearer && method !== 'GET' && this.jar.get('csrf') ? { 'x-csrf-token': this.jar.get('csrf')! } : {};
    const init: RequestInit = { method, headers: { ...csrf, ...headers, ...auth } };
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof FormData) init.body = body as BodyInit;
      else init.body = JSON.stringify(body);
      if (!(body instanceof FormData)) (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, init);
    for (const sc of res.headers.getSetCookie()) {
      const [pair, ...attrs] = sc.split(';');
      const [k, ...v] = pair.trim().split('=');
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || v.join('=') === '';
      if (expired) this.jar.delete(k);
      else this.jar.set(k, v.join('='));
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get = (p: string) => this.request('GET', p);
  post = (p: string, b?: unknown) => this.request('POST', p, b ?? {});
  patch = (p: string, b: unknown) => this.request('PATCH', p, b);
  delete = (p: string) => this.request('DELETE', p);

  async login(email = ADMIN.email, password = ADMIN.password): Promise<Api> {
    return this.post('/api/auth/login', { email, password });
  }
}

export interface TestApi {
  app: INestApplication;
  config: AppConfig;
  baseUrl: string;
  admin: Client;
  client(): Client;
  /** Stops the server but keeps the database (for restart tests). */
  stop(): Promise<void>;
  /** A new server on the same database, optionally with DDL faults. */
  restart(opts?: { faults?: DdlFaults }): Promise<TestApi>;
  close(): Promise<void>;
}

/** Fresh database per call: a temp SQLite file, or a new MySQL database when DATABASE_URL is set. */
export async function startApi(opts: { faults?: DdlFaults; env?: Record<string, string>; mysqlPort?: number; redisPort?: number } = {}): Promise<TestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-test-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    WEB_DIST: 'off',
    PORT: '0',
    ...(opts.env ?? {}),
  };
  let dbName: string | null = null;
  if (usingMysql) {
    const u = new URL(process.env.DATABASE_URL!);
    dbName = `crm_t_${randomBytes(5).toString('hex')}`;
    u.pathname = `/${dbName}`;
    // Through a relay on this port (support/tcp-proxy.ts) instead of straight to the server.
    if (opts.mysqlPort) u.port = String(opts.mysqlPort);
    env.DATABASE_URL = u.toString();
  }
  if (process.env.REDIS_URL) {
    const r = new URL(process.env.REDIS_URL);
    // Through a relay on this port (support/tcp-proxy.ts) instead of straight to the server.
    if (opts.redisPort) r.port = String(opts.redisPort);
    env.REDIS_URL = opts.redisPort ? r.toString() : process.env.REDIS_URL;
    // Suites run in parallel against one Redis: each server keeps its keys apart.
    env.REDIS_KEY_PREFIX ??= `crm_t_${randomBytes(5).toString('hex')}:`;
  }
  const config = parseConfigOrThrow(env);
  return boot(config, opts.faults, async () => {
    if (dbName) {
      const { createConnection } = await import('mysql2/promise');
      const u = new URL(process.env.DATABASE_URL!);
      u.pathname = '/';
      const conn = await createConnection({ uri: u.toString() });
      await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await conn.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
}

async function boot(config: AppConfig, faults: DdlFaults | undefined, cleanup: () => Promise<void>): Promise<TestApi> {
  const providers = faults ? [{ provide: DDL_FAULTS, useValue: faults }] : [];
  const app = await createServer(config, { extraProviders: providers as never[], logger: false });
  await app.listen(0, '127.0.0.1');
  const addr = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${addr.port}`;
  const admin = new Client(baseUrl);
  const res = await admin.login();
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  let stopped = false;
  const api: TestApi = {
    app,
    config,
    baseUrl,
    admin,
    client: () => new Client(baseUrl),
    stop: async () => {
      if (!stopped) await app.close();
      stopped = true;
    },
    restart: async (o = {}) => {
      await api.stop();
      return boot(config, o.faults, cleanup);
    },
    close: async () => {
      await api.stop();
      await cleanup();
    },
  };
  return api;
}

/** Creates an app and an entity with the given fields; returns the entity. */
export async function makeEntity(c: Client, fields: unknown[], key = `e_${randomBytes(3).toString('hex')}`): Promise<any> {
  const appKey = `a_${randomBytes(3).toString('hex')}`;
  const app = await c.post('/api/apps', { key: appKey, name: 'Test app' });
  if (app.status !== 201) throw new Error(`app: ${app.status} ${JSON.stringify(app.body)}`);
  const ent = await c.post(`/api/apps/${app.body.id}/entities`, { key, name: 'Thing', fields });
  if (ent.status !== 201) throw new Error(`entity: ${ent.status} ${JSON.stringify(ent.body)}`);
  return ent.body;
}
