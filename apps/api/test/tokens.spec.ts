import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';

const PASSWORD = 'member-password-1';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const unique = (p: string) => `${p}${randomBytes(4).toString('hex')}`;

let api: TestApi;
let db: Db;

beforeAll(async () => {
  api = await startApi();
  db = api.app.get(Db);
});
afterAll(async () => api?.close());

async function member(): Promise<{ id: string; email: string; client: Client }> {
  const email = `${unique('t')}@example.com`;
  const res = await api.admin.post('/api/members', { email, name: 'Token Tess', password: PASSWORD });
  expect(res.status).toBe(201);
  const client = api.client();
  expect((await client.login(email, PASSWORD)).status).toBe(200);
  return { id: res.body.member.id, email, client };
}

function bearerClient(token: string): Client {
  const c = api.client();
  c.bearer = token;
  return c;
}

describe('API tokens', () => {
  it('are shown once, listed without the secret, and stored only as a hash', async () => {
    const res = await api.admin.post('/api/tokens', { name: 'CI import' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      name: 'CI import',
      appIds: null,
      readOnly: false,
      expiresAt: null,
      lastUsedAt: null,
      createdAt: expect.any(String),
    });
    const token: string = res.body.token;
    expect(token).toMatch(/^crm_[A-Za-z0-9_-]{43}$/);
    const list = await api.admin.get('/api/tokens');
    const listed = list.body.items.find((t: any) => t.id === res.body.id);
    expect(listed).toMatchObject({ name: 'CI import', revokedAt: null });
    expect(listed).not.toHaveProperty('token');
    expect(JSON.stringify(list.body)).not.toContain(token.slice(4));
    const rows = await db.query<Record<string, unknown>>('SELECT * FROM api_tokens WHERE id = ?', [res.body.id]);
    expect(rows[0].token_hash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
    const audit = (await api.admin.get(`/api/audit?action=token.create&targetId=${res.body.id}`)).body.items;
    expect(audit).toHaveLength(1);
    expect(audit[0].changes).toMatchObject({ name: { from: null, to: 'CI import' } });
    expect(JSON.stringify(audit)).not.toContain(token.slice(4));
  });

  it('work with Authorization: Bearer, without cookies or CSRF; each use sets lastUsedAt and is audited', async () => {
    const m = await member();
    const res = await m.client.post('/api/tokens', { name: 'script' });
    const bearer = bearerClient(res.body.token);
    expect(bearer.jar.size).toBe(0);
    const me = await bearer.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: m.id, isAdmin: false });
    // A write without any CSRF header.
    const write = await bearer.post('/api/tokens', { name: 'nested' });
    expectProblem(write, 403, 'FORBIDDEN'); // tokens are minted in sessions only
    expect((await bearer.get('/api/members')).status).toBe(200);
    const used = (await m.client.get('/api/tokens')).body.items.find((t: any) => t.id === res.body.id);
    expect(Date.now() - Date.parse(used.lastUsedAt)).toBeLessThan(60_000);
    const uses = (await api.admin.get(`/api/audit?action=token.use&targetId=${res.body.id}`)).body.items;
    expect(uses.map((u: any) => u.changes.path)).toEqual(['/api/members', '/api/tokens', '/api/auth/me']);
    expect(uses[0]).toMatchObject({ actorId: m.id, actorKind: 'token', changes: { method: 'GET' } });

    // An admin's token writes without CSRF.
    const adminToken = (await api.admin.post('/api/tokens', { name: 'admin script' })).body.token;
    const created = await bearerClient(adminToken).post('/api/roles', { name: unique('ByToken ') });
    expect(created.status).toBe(201);
    expect((await api.admin.get(`/api/audit?action=role.create&targetId=${created.body.id}`)).body.items[0]).toMatchObject({ actorKind: 'token' });
  });

  it('a read-only token reads but cannot write', async () => {
    const res = await api.admin.post('/api/tokens', { name: 'reader', readOnly: true });
    expect(res.body.readOnly).toBe(true);
    const reader = bearerClient(res.body.token);
    expect((await reader.get('/api/apps')).status).toBe(200);
    const before = (await api.admin.get('/api/roles')).body;
    expectProblem(await reader.post('/api/roles', { name: 'nope' }), 403, 'FORBIDDEN');
    expectProblem(await reader.post('/api/apps', { key: 'ro_app', name: 'RO' }), 403, 'FORBIDDEN');
    expectProblem(await reader.delete(`/api/tokens/${res.body.id}`), 403, 'FORBIDDEN');
    expect((await api.admin.get('/api/roles')).body).toEqual(before);
  });

  it('validates apps, expiry and name', async () => {
    const app = (await api.admin.post('/api/apps', { key: unique('tok_'), name: 'Tok' })).body;
    const ok = await api.admin.post('/api/tokens', { name: 'narrow', appIds: [app.id], expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(ok.status).toBe(201);
    expect(ok.body.appIds).toEqual([app.id]);
    expect(Date.parse(ok.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(expectProblem(await api.admin.post('/api/tokens', { name: 'x', appIds: ['not-an-app'] }), 400, 'VALIDATION_FAILED').errors).toEqual([
      expect.objectContaining({ path: '/appIds/0' }),
    ]);
    expectProblem(await api.admin.post('/api/tokens', { name: 'x', appIds: [] }), 400, 'VALIDATION_FAILED');
    expectProblem(await api.admin.post('/api/tokens', { name: 'x', expiresAt: '2001-01-01T00:00:00Z' }), 400, 'VALIDATION_FAILED');
    expectProblem(await api.admin.post('/api/tokens', { name: 'x', expiresAt: 'tomorrow' }), 400, 'VALIDATION_FAILED');
    expectProblem(await api.admin.post('/api/tokens', { appIds: [app.id] }), 400, 'VALIDATION_FAILED');
    // An expired token is refused.
    await db.run("UPDATE api_tokens SET expires_at = '2001-01-01 00:00:00.000' WHERE id = ?", [ok.body.id]);
    expectProblem(await bearerClient(ok.body.token).get('/api/apps'), 401, 'UNAUTHENTICATED');
  });

  it('a token narrowed to an app gets 404 for entities of other apps', async () => {
    const inside = await makeEntity(api.admin, [{ key: 'title', label: 'Title', type: 'text' }]);
    const outside = await makeEntity(api.admin, [{ key: 'title', label: 'Title', type: 'text' }]);
    const tok = await api.admin.post('/api/tokens', { name: 'one app', appIds: [inside.appId] });
    expect(tok.status).toBe(201);
    const narrow = bearerClient(tok.body.token);
    expect((await narrow.get(`/api/entities/${inside.id}/records`)).status).toBe(200);
    const res = await narrow.get(`/api/entities/${outside.id}/records`);
    expect(res.status).toBe(404);
  });

  it('revoking stops a token at once; another member cannot revoke it, an admin can', async () => {
    const m = await member();
    const a = await m.client.post('/api/tokens', { name: 'a' });
    const b = await m.client.post('/api/tokens', { name: 'b' });
    const ta = bearerClient(a.body.token);
    const tb = bearerClient(b.body.token);
    expect((await ta.get('/api/auth/me')).status).toBe(200);
    const other = await member();
    expectProblem(await other.client.delete(`/api/tokens/${a.body.id}`), 404, 'TOKEN_NOT_FOUND');
    expectProblem(await other.client.get(`/api/tokens?userId=${m.id}`), 403, 'FORBIDDEN');
    expect((await ta.get('/api/auth/me')).status).toBe(200);

    expect((await m.client.delete(`/api/tokens/${a.body.id}`)).status).toBe(204);
    expectProblem(await ta.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    expect((await m.client.delete(`/api/tokens/${a.body.id}`)).status).toBe(204); // idempotent
    expect((await api.admin.get(`/api/tokens?userId=${m.id}`)).body.items.map((t: any) => [t.name, !!t.revokedAt])).toEqual(
      expect.arrayContaining([
        ['a', true],
        ['b', false],
      ]),
    );
    expect((await api.admin.delete(`/api/tokens/${b.body.id}`)).status).toBe(204);
    expectProblem(await tb.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    const revokes = (await api.admin.get('/api/audit?action=token.revoke')).body.items.filter((e: any) => [a.body.id, b.body.id].includes(e.targetId));
    expect(revokes.map((e: any) => e.targetId)).toEqual([b.body.id, a.body.id]);
    expectProblem(await api.admin.delete('/api/tokens/00000000-0000-0000-0000-000000000000'), 404, 'TOKEN_NOT_FOUND');
  });

  it("a disabled member's token fails at once", async () => {
    const m = await member();
    const t = bearerClient((await m.client.post('/api/tokens', { name: 'x' })).body.token);
    expect((await t.get('/api/auth/me')).status).toBe(200);
    await api.admin.patch(`/api/members/${m.id}`, { status: 'disabled' });
    expectProblem(await t.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    expectProblem(await t.get('/api/apps'), 401, 'UNAUTHENTICATED');
  });

  it('bad and forged tokens are refused with 401', async () => {
    const real = (await api.admin.post('/api/tokens', { name: 'real' })).body.token as string;
    const forged = [
      `crm_${randomBytes(32).toString('base64url')}`,
      real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A'),
      real.slice(4), // without the prefix
      sha256(real), // the stored hash is not a credential
      `crm_${'x'.repeat(300)}`,
      'crm_',
    ];
    for (const token of forged) expectProblem(await bearerClient(token).get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    for (const header of ['Bearer', `Basic ${Buffer.from('admin:admin').toString('base64')}`, `Token ${real}`, `Bearer ${real} extra`]) {
      expectProblem(await api.client().request('GET', '/api/auth/me', undefined, { authorization: header }), 401, 'UNAUTHENTICATED');
    }
    expect((await bearerClient(real).get('/api/auth/me')).status).toBe(200);
  });
});
