import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfigOrThrow } from '../src/common/config';
import { Db } from '../src/database/db';
import { sessionCache } from '../src/modules/auth/session-cache';
import { ADMIN, Client, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';
import { assertBuilt, freePort, scratchDatabase, spawnServer } from './support/spawn';

const PUBLIC = new Set([
  'POST /api/auth/login',
  'GET /api/health',
  'GET /api/health/ready',
  'POST /api/auth/invite/accept',
  'POST /api/auth/reset',
  'GET /api/public/forms/{token}',
  'POST /api/public/forms/{token}/submit',
]);

describe('sessions', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api?.close());

  it('login sets an httpOnly SameSite=Lax session cookie and answers who is signed in', async () => {
    const res = await fetch(`${api.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sid=[A-Za-z0-9_-]{40,};/);
    const attrs = cookie.split(';').map((s) => s.trim().toLowerCase());
    expect(attrs).toContain('httponly');
    expect(attrs).toContain('samesite=lax');
    expect(attrs).toContain('path=/');
    expect(attrs).not.toContain('secure'); // plain http unless PUBLIC_URL is https
    const body = await res.json();
    expect(body).toMatchObject({ user: { email: ADMIN.email, isAdmin: true, id: expect.any(String) }, workspace: { id: expect.any(String) } });
    expect(JSON.stringify(body)).not.toMatch(/password|hash|scrypt/i);
    const me = await api.admin.get('/api/auth/me');
    expect(me.body).toEqual(body);
  });

  it('email is matched case-insensitively and trimmed', async () => {
    const c = api.client();
    expect((await c.login(`  ${ADMIN.email.toUpperCase()} `, ADMIN.password)).status).toBe(200);
    expect((await c.get('/api/apps')).status).toBe(200);
  });

  it('wrong password and unknown email answer the same 401 INVALID_CREDENTIALS', async () => {
    const c = api.client();
    const wrong = expectProblem(await c.login(ADMIN.email, 'not-the-password'), 401, 'INVALID_CREDENTIALS');
    const unknown = expectProblem(await c.login('nobody@example.com', ADMIN.password), 401, 'INVALID_CREDENTIALS');
    const strip = ({ requestId: _r, ...rest }: any) => rest;
    expect(strip(wrong)).toEqual(strip(unknown));
    expect(c.cookie).toBe('');
    expect((await c.get('/api/auth/me')).status).toBe(401);
    const missing = expectProblem(await c.post('/api/auth/login', { email: ADMIN.email }), 400, 'VALIDATION_FAILED');
    expect(missing.errors).toContainEqual(expect.objectContaining({ path: '/password' }));
  });

  it('every API route except login, health and the OpenAPI document needs a session', async () => {
    const doc = (await api.client().get('/api/openapi.json')).body;
    const ops: [string, string][] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) for (const method of Object.keys(item)) ops.push([method.toUpperCase(), path]);
    expect(ops.length).toBeGreaterThanOrEqual(30);
    const fill = (p: string) => p.replace(/\{(\w+)\}/g, (_m, name) => (name === 'id' ? '1' : name === 'key' ? 'name' : randomUUID()));
    const anonymous = api.client();
    const forged = api.client();
    forged.cookie = 'sid=' + 'A'.repeat(43);
    let checked = 0;
    for (const [method, path] of ops) {
      if (PUBLIC.has(`${method} ${path}`)) continue;
      for (const c of [anonymous, forged]) {
        const res = await c.request(method, fill(path), method === 'GET' || method === 'DELETE' ? undefined : {});
        expect({ route: `${method} ${path}`, status: res.status, code: res.body?.code }).toEqual({
          route: `${method} ${path}`,
          status: 401,
          code: 'UNAUTHENTICATED',
        });
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2 * (ops.length - PUBLIC.size));
    // The public ones answer without a cookie.
    expect((await anonymous.get('/api/health')).body).toMatchObject({ status: 'ok' });
    expect((await anonymous.get('/api/openapi.json')).status).toBe(200);
  });

  it('logout ends that session only; its cookie is refused afterwards', async () => {
    const a = api.client();
    const b = api.client();
    await a.login();
    await b.login();
    const old = a.cookie;
    // Without the CSRF header a cookie write is refused, and the session lives on.
    expectProblem(
      await (async () => {
        const x = new Client(api.baseUrl);
        x.cookie = old;
        x.sendCsrf = false;
        return x.post('/api/auth/logout');
      })(),
      403,
      'CSRF_FAILED',
    );
    expect((await a.get('/api/auth/me')).status).toBe(200);
    const res = await fetch(`${api.baseUrl}/api/auth/logout`, { method: 'POST', headers: { cookie: old, 'x-csrf-token': a.jar.get('csrf')! } });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^sid=;.*expires=Thu, 01 Jan 1970/i);
    const stale = new Client(api.baseUrl);
    stale.cookie = old;
    expectProblem(await stale.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    expectProblem(await stale.get('/api/apps'), 401, 'UNAUTHENTICATED');
    expectProblem(await stale.post('/api/auth/logout'), 401, 'UNAUTHENTICATED');
    expect((await b.get('/api/auth/me')).status).toBe(200);
    expect((await api.admin.get('/api/apps')).status).toBe(200);
  });

  it('an expired session, or one of a disabled user, is refused', async () => {
    const db = api.app.get(Db);
    const a = api.client();
    await a.login();
    expect((await a.get('/api/auth/me')).status).toBe(200);
    await db.run("UPDATE sessions SET expires_at = '2000-01-01 00:00:00.000' WHERE user_id = ?", [(await a.get('/api/auth/me')).body.user.id]);
    // Changed behind the API's back (as another process would): seen within SESSION_CACHE_MS, here at once.
    sessionCache.clear();
    expectProblem(await a.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    expectProblem(await api.admin.get('/api/apps'), 401, 'UNAUTHENTICATED'); // same user, same fate
    await api.admin.login();
    expect((await api.admin.get('/api/apps')).status).toBe(200);

    await db.run("UPDATE users SET status = 'disabled' WHERE email = ?", [ADMIN.email]);
    sessionCache.clear();
    try {
      expectProblem(await api.admin.get('/api/apps'), 401, 'UNAUTHENTICATED');
      expectProblem(await api.client().login(), 401, 'INVALID_CREDENTIALS');
    } finally {
      await db.run("UPDATE users SET status = 'active' WHERE email = ?", [ADMIN.email]);
      await api.admin.login();
    }
    expect((await api.admin.get('/api/apps')).status).toBe(200);
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const secure = await startApi({ env: { PUBLIC_URL: 'https://crm.example.com' } });
    try {
      const res = await fetch(`${secure.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      expect(
        res.headers
          .get('set-cookie')!
          .toLowerCase()
          .split(';')
          .map((s) => s.trim()),
      ).toContain('secure');
    } finally {
      await secure.close();
    }
  });
});

describe('problem details', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api?.close());

  it('errors are application/problem+json with type, title, status, code, detail and the request id', async () => {
    const res = await api.client().get('/api/apps');
    const p = expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(p).toMatchObject({ type: 'about:blank', title: expect.any(String), detail: expect.any(String) });
    expect(p.requestId).toBe(res.headers.get('x-request-id'));
    const notFound = expectProblem(await api.admin.get('/api/no-such-route'), 404, 'NOT_FOUND');
    expect(notFound.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const invalid = expectProblem(await api.admin.post('/api/apps', { key: 'ok_key' }), 400, 'VALIDATION_FAILED');
    expect(invalid.errors).toEqual([{ path: '/name', code: 'required', message: expect.any(String) }]);
    expectProblem(await api.admin.get(`/api/apps/${randomUUID()}`), 404, 'APP_NOT_FOUND');
  });

  it('uses a well-formed incoming X-Request-Id and replaces a hostile one', async () => {
    const ok = await api.admin.request('GET', '/api/no-such-route', undefined, { 'x-request-id': 'trace-42.a' });
    expect(ok.body.requestId).toBe('trace-42.a');
    expect(ok.headers.get('x-request-id')).toBe('trace-42.a');
    const bad = await api.admin.request('GET', '/api/no-such-route', undefined, { 'x-request-id': 'x'.repeat(65) });
    expect(bad.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const evil = await api.admin.request('GET', '/api/no-such-route', undefined, { 'x-request-id': '<script>' });
    expect(evil.body.requestId).not.toContain('<');
  });

  it('GET /api/openapi.json is a public, well-formed OpenAPI 3 document of the whole API', async () => {
    const res = await api.client().get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const path of [
      '/api/auth/login',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/apps',
      '/api/apps/{appId}',
      '/api/apps/{appId}/entities',
      '/api/entities/{entityId}',
      '/api/entities/{entityId}/schema',
      '/api/entities/{entityId}/fields',
      '/api/entities/{entityId}/fields/{key}',
      '/api/entities/{entityId}/records',
      '/api/entities/{entityId}/records/query',
      '/api/entities/{entityId}/records/bulk',
      '/api/entities/{entityId}/records/{id}',
      '/api/health',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(Object.keys(doc.paths['/api/entities/{entityId}/records/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    const scheme = Object.values<any>(doc.components.securitySchemes).find((s) => s.in === 'cookie');
    expect(scheme).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'sid' });

    const operationIds = new Set<string>();
    const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      expect(path.startsWith('/api/')).toBe(true);
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries<any>(item)) {
        expect(METHODS).toContain(method);
        const where = `${method.toUpperCase()} ${path}`;
        expect(Object.keys(op.responses ?? {}).length, where).toBeGreaterThan(0);
        if (op.operationId) {
          expect(operationIds.has(op.operationId), where).toBe(false);
          operationIds.add(op.operationId);
        }
        const params = op.parameters ?? [];
        for (const name of templated)
          expect(
            params.find((p: any) => p.in === 'path' && p.name === name),
            `${where} {${name}}`,
          ).toMatchObject({ required: true });
        for (const p of params) expect(['path', 'query', 'header', 'cookie']).toContain(p.in);
        // Who may call it: everything needs the cookie except the public routes.
        const security = op.security ?? doc.security ?? [];
        if (PUBLIC.has(where)) expect(security, where).toEqual([]);
        else
          expect(
            security.some((s: any) => Object.keys(s).includes(Object.keys(doc.components.securitySchemes)[0])),
            where,
          ).toBe(true);
      }
    }
    // Optional query parameters are not marked required.
    const query = (op: any, name: string) => op.parameters.find((p: any) => p.in === 'query' && p.name === name);
    const list = doc.paths['/api/entities/{entityId}/records'].get;
    for (const name of ['filter', 'sort', 'limit', 'cursor', 'expand']) expect(query(list, name), name).toMatchObject({ required: false });
    expect(query(doc.paths['/api/entities/{entityId}/records/{id}'].get, 'expand')).toMatchObject({ required: false });
    for (const name of ['filter', 'cap']) expect(query(doc.paths['/api/entities/{entityId}/records/count'].get, name), name).toMatchObject({ required: false });
    // Every $ref points at something in the document.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const pointer = ref.slice(8, -1); // what follows `"$ref":"`
      expect(pointer.startsWith('#/')).toBe(true);
      const target = pointer
        .slice(2)
        .split('/')
        .reduce((node: any, seg) => node?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, pointer).toBeDefined();
    }
  });
});

describe('configuration', () => {
  const cwd = '/srv/crm';

  it('defaults to an embedded SQLite database under ./data', () => {
    const c = parseConfigOrThrow({}, cwd);
    expect(c).toMatchObject({
      port: 3000,
      dataDir: '/srv/crm/data',
      database: { kind: 'sqlite', file: '/srv/crm/data/crm.sqlite' },
      redisUrl: null,
      admin: { email: 'admin@example.com', password: null },
      bodyLimitBytes: 1024 * 1024,
    });
  });

  it('reads valid values', () => {
    const c = parseConfigOrThrow(
      {
        PORT: '8080',
        DATABASE_URL: 'mariadb://u:p@db:3306/crm',
        REDIS_URL: 'redis://cache:6379',
        ADMIN_EMAIL: ' Boss@Example.com ',
        ADMIN_PASSWORD: 'long-enough',
        DATA_DIR: 'var',
      },
      cwd,
    );
    expect(c).toMatchObject({
      port: 8080,
      dataDir: '/srv/crm/var',
      database: { kind: 'mysql', url: 'mysql://u:p@db:3306/crm' },
      redisUrl: 'redis://cache:6379',
      admin: { email: 'boss@example.com', password: 'long-enough' },
    });
    expect(parseConfigOrThrow({ DATABASE_URL: 'sqlite:other.db', DATA_DIR: '/d' }, cwd).database).toEqual({ kind: 'sqlite', file: '/d/other.db' });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'postgres://x'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://root@db:3306'],
    ['ADMIN_PASSWORD', 'short'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['REDIS_URL', 'http://cache:6379'],
    ['PUBLIC_URL', 'ftp://x'],
    ['BODY_LIMIT_KB', '1'],
    ['SESSION_TTL_HOURS', '0'],
    ['TRUSTED_PROXIES', '10.0.0.0/33'],
    ['REDIS_KEY_PREFIX', 'bad prefix'],
  ])('refuses %s=%j with a ConfigError naming the variable', (name, value) => {
    let err: unknown;
    try {
      parseConfigOrThrow({ [name]: value }, cwd);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(name);
    expect((err as ConfigError).message).toContain(name);
  });
});

describe('the built server', () => {
  beforeAll(() => assertBuilt());

  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'postgres://x'],
    ['ADMIN_PASSWORD', 'short'],
    ['TRUSTED_PROXIES', 'proxy.internal'],
  ])('exits non-zero when %s=%j, naming the variable', async (name, value) => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-cfg-'));
    try {
      const s = spawnServer({ DATA_DIR: dir, WEB_DIST: 'off', [name]: value });
      const code = await Promise.race([s.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
      if (code === 'timeout') await s.stop();
      expect(code).not.toBe('timeout');
      expect(code).not.toBe(0);
      expect(s.stderr()).toContain(name);
      expect(s.stderr()).toMatch(/Invalid configuration/);
      expect(s.stderr()).not.toMatch(/\n\s+at /); // a message, not a stack trace
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints a generated admin password once, on the first start only', async () => {
    const scratch = await scratchDatabase();
    const env = { ...scratch.env, HOST: '127.0.0.1', WEB_DIST: 'off', ADMIN_EMAIL: 'owner@example.com' };
    try {
      const port = await freePort();
      const first = spawnServer({ ...env, PORT: String(port) });
      let password: string;
      try {
        const m = await first.waitFor(/sign in as (\S+) with password (\S+)/);
        await first.waitFor(/Listening on/);
        expect(m[1]).toBe('owner@example.com');
        password = m[2];
        expect(password.length).toBeGreaterThanOrEqual(12);
        expect(first.stdout().split(password).length - 1).toBe(1);
        const c = new Client(`http://127.0.0.1:${port}`);
        expect((await c.login('owner@example.com', 'wrong-password')).status).toBe(401);
        const res = await c.login('owner@example.com', password);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.user).toMatchObject({ email: 'owner@example.com', isAdmin: true });
      } finally {
        await first.stop();
      }

      const port2 = await freePort();
      const second = spawnServer({ ...env, PORT: String(port2) });
      try {
        await second.waitFor(/Listening on/);
        expect(second.stdout()).not.toMatch(/with password/i); // route names (/api/auth/password) may mention the word
        expect(second.stdout()).not.toContain(password);
        const c = new Client(`http://127.0.0.1:${port2}`);
        expect((await c.login('owner@example.com', password)).status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await scratch.cleanup();
    }
  });

  it('serves on the configured port and answers health without a session', async () => {
    const scratch = await scratchDatabase();
    try {
      const port = await freePort();
      const s = spawnServer({ ...scratch.env, HOST: '127.0.0.1', WEB_DIST: 'off', PORT: String(port), ADMIN_PASSWORD: 'a-long-password' });
      try {
        await s.waitFor(/Listening on/);
        expect(s.stdout()).not.toContain('a-long-password');
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        expect(await res.json()).toMatchObject({ status: 'ok', database: scratch.env.DATABASE_URL ? 'mysql' : 'sqlite' });
      } finally {
        expect(await s.stop()).not.toBe(1);
      }
    } finally {
      await scratch.cleanup();
    }
  });
});
