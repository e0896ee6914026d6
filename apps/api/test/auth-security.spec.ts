import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { RateLimiter } from '../src/modules/limits/rate-limiter.service';
import { ADMIN, type Client, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';

const PASSWORD = 'member-password-1';
const unique = (p: string) => `${p}${randomBytes(4).toString('hex')}`;

async function addMember(api: TestApi, opts: { username?: string } = {}): Promise<{ id: string; email: string }> {
  const email = `${unique('s')}@example.com`;
  const res = await api.admin.post('/api/members', { email, name: 'Sec Sam', password: PASSWORD, ...opts });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.member.id, email };
}

/** Ends every rate-limit window, as if the throttle window had passed. */
async function ageFailures(api: TestApi): Promise<void> {
  await api.app.get(RateLimiter).expireAll();
}

const strip = ({ requestId: _r, ...rest }: any) => rest;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('login throttling per account', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ env: { LOGIN_MAX_FAILURES: '3', LOGIN_MAX_FAILURES_PER_IP: '1000' } });
  });
  afterAll(async () => api?.close());

  it('after the allowed failures even the right password gets 429 until the window passes', async () => {
    const m = await addMember(api, { username: unique('thr') });
    for (let i = 0; i < 3; i++) expectProblem(await api.client().login(m.email, `wrong-${i}-password`), 401, 'INVALID_CREDENTIALS');
    const c = api.client();
    const blocked = expectProblem(await c.login(m.email, PASSWORD), 429, 'TOO_MANY_ATTEMPTS');
    expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
    expect(c.jar.has('sid')).toBe(false);
    // The username is the same account.
    const username = (await api.admin.get(`/api/members/${m.id}`)).body.username;
    expectProblem(await api.client().login(username, PASSWORD), 429, 'TOO_MANY_ATTEMPTS');
    // Other accounts are unaffected.
    expect((await api.client().login()).status).toBe(200);
    // Failed attempts are audited against the member.
    const failed = (await api.admin.get(`/api/audit?action=auth.login_failed&targetId=${m.id}`)).body.items;
    expect(failed).toHaveLength(3);

    await ageFailures(api);
    expect((await c.login(m.email, PASSWORD)).status).toBe(200);
    // A success clears the count.
    expectProblem(await api.client().login(m.email, 'wrong-again-1'), 401, 'INVALID_CREDENTIALS');
    expect((await api.client().login(m.email, PASSWORD)).status).toBe(200);
  });

  it('unknown accounts are throttled the same way (no hint that they do not exist)', async () => {
    const ghost = `${unique('ghost')}@example.com`;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await api.client().login(ghost, 'some-password-1'));
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 429]);
  });

  it("wrong current passwords when changing one's password count too", async () => {
    const m = await addMember(api);
    const c = api.client();
    await c.login(m.email, PASSWORD);
    for (let i = 0; i < 3; i++)
      expectProblem(await c.post('/api/auth/password', { currentPassword: `guess-${i}-guess`, newPassword: 'next-password-1' }), 401, 'INVALID_CREDENTIALS');
    expectProblem(await c.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'next-password-1' }), 429, 'TOO_MANY_ATTEMPTS');
    expectProblem(await api.client().login(m.email, PASSWORD), 429, 'TOO_MANY_ATTEMPTS');
  });
});

describe('login throttling per address', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ env: { LOGIN_MAX_FAILURES: '1000', LOGIN_MAX_FAILURES_PER_IP: '3' } });
  });
  afterAll(async () => api?.close());

  it('failures against many accounts from one address block that address, right password included', async () => {
    for (let i = 0; i < 3; i++) expectProblem(await api.client().login(`${unique('spray')}@example.com`, 'password-123'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await api.client().login(), 429, 'TOO_MANY_ATTEMPTS');
    expect((await api.admin.get('/api/auth/me')).status).toBe(200); // existing sessions live on
    await ageFailures(api);
    expect((await api.client().login()).status).toBe(200);
  });
});

describe('unknown user vs wrong password', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ env: { LOGIN_MAX_FAILURES: '1000', LOGIN_MAX_FAILURES_PER_IP: '100000' } });
  });
  afterAll(async () => api?.close());

  it('answer the same status and body, in indistinguishable time (both run scrypt)', async () => {
    const m = await addMember(api);
    const invited = (await api.admin.post('/api/members', { email: `${unique('inv')}@example.com`, name: 'Invited' })).body.member;
    const unknownEmail = `${unique('nobody')}@example.com`;
    const wrong = expectProblem(await api.client().login(m.email, 'not-the-password'), 401, 'INVALID_CREDENTIALS');
    const unknown = expectProblem(await api.client().login(unknownEmail, 'not-the-password'), 401, 'INVALID_CREDENTIALS');
    const notActive = expectProblem(await api.client().login(invited.email, 'not-the-password'), 401, 'INVALID_CREDENTIALS');
    expect(strip(wrong)).toEqual(strip(unknown));
    expect(strip(notActive)).toEqual(strip(unknown));

    const time = async (email: string) => {
      const t0 = performance.now();
      const res = await api.client().login(email, 'not-the-password');
      expect(res.status).toBe(401);
      return performance.now() - t0;
    };
    const wrongTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < 15; i++) {
      wrongTimes.push(await time(m.email));
      unknownTimes.push(await time(unknownEmail));
    }
    const ratio = median(unknownTimes) / median(wrongTimes);
    expect(ratio, `unknown ${median(unknownTimes).toFixed(1)} ms vs wrong ${median(wrongTimes).toFixed(1)} ms`).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    // Both really hash: far slower than a request that does not.
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await api.client().get('/api/health');
    expect(median(wrongTimes)).toBeGreaterThan((performance.now() - t0) / 5);
  });
});

describe('CSRF, logout everywhere and links', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ env: { PUBLIC_URL: 'https://crm.example.com' } });
  });
  afterAll(async () => api?.close());

  it('a cookie write without or with a wrong X-CSRF-Token is refused and writes nothing', async () => {
    const name = unique('Csrf ');
    const c = api.client();
    await c.login();
    c.sendCsrf = false;
    expectProblem(await c.post('/api/roles', { name }), 403, 'CSRF_FAILED');
    expectProblem(await c.request('POST', '/api/roles', { name }, { 'x-csrf-token': 'wrong-token' }), 403, 'CSRF_FAILED');
    // Another session's CSRF token does not fit this session.
    expectProblem(await c.request('POST', '/api/roles', { name }, { 'x-csrf-token': api.admin.jar.get('csrf')! }), 403, 'CSRF_FAILED');
    expectProblem(await c.request('PATCH', `/api/members/${(await c.get('/api/auth/me')).body.user.id}`, { name: 'x' }), 403, 'CSRF_FAILED');
    expectProblem(await c.request('PUT', '/api/departments/x/members', { userIds: [] }), 403, 'CSRF_FAILED');
    expectProblem(await c.request('DELETE', '/api/tokens/x'), 403, 'CSRF_FAILED');
    expect((await c.get('/api/roles')).body.items.some((r: any) => r.name === name)).toBe(false);
    // Reads need no header.
    expect((await c.get('/api/members')).status).toBe(200);
    // With it, the write goes through.
    c.sendCsrf = true;
    expect((await c.post('/api/roles', { name })).status).toBe(201);
    // A bearer token needs none.
    const token = (await c.post('/api/tokens', { name: 'csrf-free' })).body.token;
    const bearer = api.client();
    bearer.bearer = token;
    bearer.sendCsrf = false;
    expect((await bearer.post('/api/roles', { name: `${name} 2` })).status).toBe(201);
  });

  it("logout-all ends the member's sessions on every client", async () => {
    const m = await addMember(api);
    const clients: Client[] = [];
    for (let i = 0; i < 3; i++) {
      const c = api.client();
      expect((await c.login(m.email, PASSWORD)).status).toBe(200);
      clients.push(c);
    }
    const res = await clients[0].post('/api/auth/logout-all');
    expect(res.body).toEqual({ sessionsEnded: 3 });
    for (const c of clients) expectProblem(await c.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    expect((await api.admin.get('/api/auth/me')).status).toBe(200); // other members keep theirs
    expect((await api.admin.get(`/api/audit?action=auth.logout_all&targetId=${m.id}`)).body.items).toHaveLength(1);
  });

  it('invite and reset links use PUBLIC_URL whatever Host, Origin or X-Forwarded-* say', async () => {
    const poison = {
      host: 'evil.example',
      origin: 'https://evil.example',
      referer: 'https://evil.example/page',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'http',
      'x-forwarded-port': '8443',
      forwarded: 'host=evil.example;proto=http',
    };
    const raw = (method: string, path: string, body: unknown) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        const url = new URL(api.baseUrl + path);
        const data = JSON.stringify(body);
        const req = httpRequest(
          {
            hostname: url.hostname,
            port: url.port,
            path: url.pathname,
            method,
            headers: {
              ...poison,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(data),
              cookie: api.admin.cookie,
              'x-csrf-token': api.admin.jar.get('csrf')!,
            },
          },
          (res) => {
            let text = '';
            res.on('data', (d) => (text += String(d)));
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.end(data);
      });
    const invite = await raw('POST', '/api/members', { email: `${unique('host')}@example.com`, name: 'Poisoned' });
    expect(invite.status).toBe(201);
    expect(invite.body.inviteUrl).toMatch(/^https:\/\/crm\.example\.com\/invite\/[A-Za-z0-9_-]{43}$/);
    const reset = await raw('POST', `/api/members/${invite.body.member.id}/reset-password`, {});
    expect(reset.status).toBe(200);
    expect(reset.body.resetUrl).toMatch(/^https:\/\/crm\.example\.com\/reset\/[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify([invite.body, reset.body])).not.toContain('evil');
    // The link still works (the token is what matters, not where it points).
    expect((await api.client().post('/api/auth/reset', { token: reset.body.resetUrl.split('/').pop(), password: PASSWORD })).status).toBe(200);
  });

  it('without PUBLIC_URL links point at localhost and the configured port, never at the Host header', async () => {
    const plain = await startApi();
    try {
      const res = await plain.admin.request(
        'POST',
        '/api/members',
        { email: `${unique('p')}@example.com`, name: 'Plain' },
        { 'x-forwarded-host': 'evil.example', origin: 'https://evil.example' },
      );
      expect(res.body.inviteUrl).toMatch(new RegExp(`^http://localhost:${plain.config.port}/invite/`));
    } finally {
      await plain.close();
    }
  });

  it('passwords are never stored or audited in clear', async () => {
    const db = api.app.get(Db);
    const dump = JSON.stringify([
      await db.query('SELECT * FROM users'),
      await db.query('SELECT * FROM audit_log'),
      await db.query('SELECT * FROM user_tokens'),
    ]);
    for (const secret of [PASSWORD, ADMIN.password]) expect(dump).not.toContain(secret);
  });
});
