import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfigOrThrow } from '../src/common/config';
import { type Client, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';

// Issue 8: the client address used by limits and the audit log comes from X-Forwarded-For only
// when the peer is a proxy the operator lists in TRUSTED_PROXIES (none by default).

const unique = (p: string) => `${p}${randomBytes(4).toString('hex')}`;
const PASSWORD = 'member-password-1';

/** Signs in with the given X-Forwarded-For and answers the address the audit log recorded for it. */
async function auditedAddress(api: TestApi, forwardedFor: string | null): Promise<string> {
  const email = `${unique('p')}@example.com`;
  const made = await api.admin.post('/api/members', { email, name: 'Proxy Pat', password: PASSWORD });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const c = api.client();
  const res = await c.request('POST', '/api/auth/login', { email, password: PASSWORD }, forwardedFor ? { 'x-forwarded-for': forwardedFor } : {});
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const items = (await api.admin.get(`/api/audit?action=auth.login&targetId=${made.body.member.id}`)).body.items;
  expect(items).toHaveLength(1);
  return items[0].ip;
}

const wrongLogin = (c: Client, forwardedFor: string) =>
  c.request('POST', '/api/auth/login', { email: `${unique('spray')}@example.com`, password: 'password-123' }, { 'x-forwarded-for': forwardedFor });

describe('TRUSTED_PROXIES configuration', () => {
  it('is empty by default and takes IPs, CIDRs, netmasks and range names', () => {
    expect(parseConfigOrThrow({}).trustedProxies).toEqual([]);
    expect(parseConfigOrThrow({ TRUSTED_PROXIES: ' loopback, 10.0.0.0/8,192.168.1.5 , fd00::/8, 172.16.0.0/255.240.0.0,uniquelocal ' }).trustedProxies).toEqual(
      ['loopback', '10.0.0.0/8', '192.168.1.5', 'fd00::/8', '172.16.0.0/255.240.0.0', 'uniquelocal'],
    );
  });

  it.each(['proxy.internal', '10.0.0.0/33', '300.1.1.1', 'loopback,;rm', '*'])('refuses %j, naming the variable and the entry', (value) => {
    let err: unknown;
    try {
      parseConfigOrThrow({ TRUSTED_PROXIES: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe('TRUSTED_PROXIES');
    expect((err as ConfigError).message).toContain('TRUSTED_PROXIES');
    expect((err as ConfigError).message).toMatch(/"[^"]+"/);
  });
});

describe('no trusted proxies (the default)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ env: { LOGIN_MAX_FAILURES: '1000', LOGIN_MAX_FAILURES_PER_IP: '3' } });
  });
  afterAll(async () => api?.close());

  it('ignores X-Forwarded-For from a loopback peer: the audit log has the socket address', async () => {
    expect(await auditedAddress(api, '203.0.113.7')).toBe('127.0.0.1');
  });

  it('a client cannot dodge the per-address limit by inventing X-Forwarded-For addresses', async () => {
    const c = api.client();
    for (let i = 0; i < 3; i++) expectProblem(await wrongLogin(c, `198.51.100.${i + 1}`), 401, 'INVALID_CREDENTIALS');
    expectProblem(await wrongLogin(c, '198.51.100.99'), 429, 'TOO_MANY_ATTEMPTS');
  });
});

describe('TRUSTED_PROXIES=loopback', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ env: { TRUSTED_PROXIES: 'loopback', LOGIN_MAX_FAILURES: '1000', LOGIN_MAX_FAILURES_PER_IP: '3' } });
  });
  afterAll(async () => api?.close());

  it('believes X-Forwarded-For from the listed proxy', async () => {
    expect(await auditedAddress(api, '203.0.113.7')).toBe('203.0.113.7');
    expect(await auditedAddress(api, null)).toBe('127.0.0.1');
  });

  it('takes the nearest address that is not a trusted proxy: a forged left part of the header changes nothing', async () => {
    expect(await auditedAddress(api, '10.9.9.9, 203.0.113.8')).toBe('203.0.113.8');
    expect(await auditedAddress(api, '203.0.113.9, 127.0.0.1')).toBe('203.0.113.9');
  });

  it('limits per forwarded client address', async () => {
    const c = api.client();
    for (let i = 0; i < 3; i++) expectProblem(await wrongLogin(c, '192.0.2.10'), 401, 'INVALID_CREDENTIALS');
    expectProblem(await wrongLogin(c, '192.0.2.10'), 429, 'TOO_MANY_ATTEMPTS');
    // Another client behind the same proxy is not blocked.
    expectProblem(await wrongLogin(c, '192.0.2.11'), 401, 'INVALID_CREDENTIALS');
  });

  it('counts an IPv6 client per /64, so rotating within its own prefix does not help', async () => {
    const c = api.client();
    for (let i = 0; i < 3; i++) expectProblem(await wrongLogin(c, `2001:db8:1:2::${i + 1}`), 401, 'INVALID_CREDENTIALS');
    expectProblem(await wrongLogin(c, '2001:db8:1:2:ffff::9'), 429, 'TOO_MANY_ATTEMPTS');
    expectProblem(await wrongLogin(c, '2001:db8:1:3::1'), 401, 'INVALID_CREDENTIALS');
  });
});

describe('TRUSTED_PROXIES naming another proxy', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ env: { TRUSTED_PROXIES: '10.0.0.0/8' } });
  });
  afterAll(async () => api?.close());

  it('ignores X-Forwarded-For from a peer that is not listed (loopback here)', async () => {
    expect(await auditedAddress(api, '203.0.113.7')).toBe('127.0.0.1');
  });
});
