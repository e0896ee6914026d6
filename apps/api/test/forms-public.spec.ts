import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { Client, makeEntity, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const opts = (...values: string[]) => values.map((value) => ({ value, label: value.toUpperCase() }));

/** A leads entity with a published form: name and email are for the public, the rest is internal. */
async function leadsWithForm(api: TestApi): Promise<any> {
  const leads = await makeEntity(api.admin, [
    { key: 'name', label: 'Name', type: 'text', required: true },
    { key: 'email', label: 'Email', type: 'email' },
    { key: 'topic', label: 'Topic', type: 'select', settings: { options: opts('sales', 'support') } },
    { key: 'details', label: 'Details', type: 'textarea' },
    { key: 'source', label: 'Source', type: 'text', required: true },
    { key: 'score', label: 'Score', type: 'number' },
    { key: 'rep', label: 'Rep', type: 'member' },
    { key: 'no', label: 'No', type: 'serial', settings: { prefix: 'L-', datePart: '', digits: 4 } },
  ]);
  const form = {
    fields: {
      source: { default: { kind: 'static', value: 'web' } },
      details: { visibleWhen: { '==': [{ var: 'topic' }, 'support'] }, requiredWhen: { '==': [{ var: 'topic' }, 'support'] } },
    },
    validations: [
      {
        id: 'no_spam',
        condition: { '!': { contains: [{ var: 'name' }, 'viagra'] } },
        field: 'name',
        message: { en: 'Please give your real name', 'zh-CN': '请填写真实姓名' },
      },
    ],
    submitHint: { en: 'Thank you!', 'zh-CN': '感谢提交！' },
  };
  expect((await api.admin.request('PUT', `/api/entities/${leads.id}/form`, form)).status).toBe(200);
  expect((await api.admin.post(`/api/entities/${leads.id}/form/publish`)).status).toBe(200);
  return leads;
}

describe('public fill-in links', () => {
  let api: TestApi;
  let leads: any;
  let token: string;
  let anon: Client;
  const pub = (t = token) => `/api/public/forms/${t}`;

  beforeAll(async () => {
    api = await startApi();
    leads = await leadsWithForm(api);
    anon = api.client();
  });
  afterAll(async () => api?.close());

  it('an admin creates the link: a 256-bit token shown once, stored hashed; bad exposed fields are refused', async () => {
    const base = `/api/entities/${leads.id}/form/public-link`;
    expectProblem(await api.admin.get(base), 404, 'PUBLIC_LINK_NOT_FOUND');
    const bad = expectProblem(await api.admin.post(base, { exposedFields: ['name', 'ghost', 'rep', 'no', 'name'] }), 400, 'VALIDATION_FAILED');
    expect(bad.errors.map((e: any) => [e.path, e.code])).toEqual([
      ['/exposedFields/1', 'unknown_field'],
      ['/exposedFields/2', 'not_public'],
      ['/exposedFields/3', 'not_writable'],
      ['/exposedFields/4', 'duplicate'],
    ]);
    expectProblem(await api.admin.post(base, { exposedFields: [] }), 400, 'VALIDATION_FAILED');
    const res = await api.admin.post(base, { exposedFields: ['name', 'email', 'topic', 'details'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    token = res.body.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(res.body.url).toBe(`http://localhost:${api.config.port}/public/forms/${token}`);
    expect(res.body).toMatchObject({ exposedFields: ['name', 'email', 'topic', 'details'], enabled: true, ownerId: null });
    const rows = await api.app.get(Db).query<{ token_hash: string }>('SELECT token_hash FROM public_links WHERE entity_id = ?', [leads.id]);
    expect(rows).toEqual([{ token_hash: sha256(token) }]);
    expect(JSON.stringify(await api.app.get(Db).query('SELECT * FROM public_links'))).not.toContain(token);
    // The token is never shown again; a second link for the same form is refused.
    expect((await api.admin.get(base)).body.token).toBeUndefined();
    expectProblem(await api.admin.post(base, { exposedFields: ['name'] }), 409, 'PUBLIC_LINK_EXISTS');
  });

  it('anonymous visitors get the form of the exposed fields only, in their language', async () => {
    const res = await anon.get(pub());
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.schema.properties)).toEqual(['name', 'email', 'topic', 'details']);
    expect(res.body.schema.required).toEqual(['name']);
    expect(res.body.uiSchema['ui:order']).toEqual(['name', 'email', 'topic', 'details', '*']);
    expect(res.body.uiSchema['ui:options'].submitHint).toBe('Thank you!');
    expect(res.body.form.validations).toEqual([]);
    expect(JSON.stringify(res.body)).not.toMatch(/score|"rep"|source/);
    const cn = await anon.request('GET', pub(), undefined, { 'accept-language': 'zh-CN' });
    expect(cn.body.uiSchema['ui:options'].submitHint).toBe('感谢提交！');
  });

  it('a submission creates one record (defaults for the rest) and answers with a receipt only', async () => {
    const res = await anon.post(`${pub()}/submit`, { name: 'Visitor', email: 'v@example.com', topic: 'sales' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['receiptId', 'submittedAt', 'values']);
    expect(res.body.values).toEqual({ name: 'Visitor', email: 'v@example.com', topic: 'sales', details: null });
    expect(res.body.receiptId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const list = (await api.admin.get(`/api/entities/${leads.id}/records`)).body.items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'Visitor', source: 'web', createdBy: null, ownerId: null, no: 'L-0001', formVersion: 1 });
    const audit = (await api.admin.get(`/api/audit?entityId=${leads.id}&recordId=${list[0].id}`)).body.items;
    expect(audit.map((a: any) => [a.action, a.actorKind, a.actorId])).toEqual([
      ['form.public_submit', 'anonymous', null],
      ['record.create', 'anonymous', null],
    ]);
    expect(audit[0].changes.receiptId.to).toBe(res.body.receiptId);
  });

  it("only exposed fields may be sent; rules and checks apply, in the visitor's language", async () => {
    const hidden = expectProblem(await anon.post(`${pub()}/submit`, { name: 'X', score: 100, source: 'ads' }), 403, 'FIELD_NOT_WRITABLE');
    expect(hidden.fields).toEqual(['score', 'source']);
    expectProblem(await anon.post(`${pub()}/submit`, { name: 'X', ownerId: 'someone' }), 403, 'FIELD_NOT_WRITABLE');
    expectProblem(await anon.post(`${pub()}/submit`, { name: 'X', id: 5, createdBy: 'x' }), 403, 'FIELD_NOT_WRITABLE');
    const rules = expectProblem(await anon.post(`${pub()}/submit`, { name: 'cheap viagra', topic: 'support' }), 400, 'VALIDATION_FAILED');
    expect(rules.errors).toEqual([
      { path: '/details', code: 'required', message: 'Details is required' },
      { path: '/name', code: 'rule_failed', message: 'Please give your real name' },
    ]);
    const cn = expectProblem(
      await anon.request('POST', `${pub()}/submit`, { email: 'not-an-email' }, { 'accept-language': 'zh-CN' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(cn.errors).toEqual([{ path: '/email', code: 'invalid_format', message: 'Email必须是有效的邮箱地址' }]);
    const cnRequired = expectProblem(
      await anon.request('POST', `${pub()}/submit`, { email: 'a@example.com' }, { 'accept-language': 'zh-CN' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(cnRequired.errors).toEqual([{ path: '/name', code: 'required', message: 'Name不能为空' }]);
    expectProblem(await anon.post(`${pub()}/submit`, [1, 2] as never), 400, 'INVALID_REQUEST');
    expect((await api.admin.get(`/api/entities/${leads.id}/records/count`)).body.count).toBe(1);
  });

  it('nothing can be read back: no records, no other routes, no session needed (and no CSRF token)', async () => {
    expectProblem(await anon.get(`/api/entities/${leads.id}/records`), 401, 'UNAUTHENTICATED');
    expectProblem(await anon.get(`/api/entities/${leads.id}/form`), 401, 'UNAUTHENTICATED');
    expect((await anon.get(`${pub()}/records`)).status).toBe(404);
    expect((await anon.get(`${pub()}/submit`)).status).toBe(404);
    // A signed-in browser without the CSRF header can still submit: the public route uses no cookie.
    const cookieClient = api.client();
    await cookieClient.login();
    cookieClient.sendCsrf = false;
    const res = await cookieClient.post(`${pub()}/submit`, { name: 'With cookie' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const rec = (await api.admin.get(`/api/entities/${leads.id}/records?limit=1`)).body.items[0];
    expect(rec).toMatchObject({ name: 'With cookie', createdBy: null });
  });

  it('unknown tokens are 404; rotation kills the old token at once; disabled links are 404', async () => {
    expectProblem(await anon.get(pub('A'.repeat(43))), 404, 'PUBLIC_LINK_NOT_FOUND');
    expectProblem(await anon.get(pub('short')), 404, 'PUBLIC_LINK_NOT_FOUND');
    const base = `/api/entities/${leads.id}/form/public-link`;
    const rotated = await api.admin.post(`${base}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).not.toBe(token);
    expectProblem(await anon.get(pub()), 404, 'PUBLIC_LINK_NOT_FOUND');
    expectProblem(await anon.post(`${pub()}/submit`, { name: 'Late' }), 404, 'PUBLIC_LINK_NOT_FOUND');
    token = rotated.body.token;
    expect((await anon.get(pub())).status).toBe(200);
    expect((await api.admin.patch(base, { enabled: false })).body.enabled).toBe(false);
    expectProblem(await anon.get(pub()), 404, 'PUBLIC_LINK_NOT_FOUND');
    expectProblem(await anon.post(`${pub()}/submit`, { name: 'Off' }), 404, 'PUBLIC_LINK_NOT_FOUND');
    expect((await api.admin.patch(base, { enabled: true })).body.enabled).toBe(true);
    expect((await anon.post(`${pub()}/submit`, { name: 'On again' })).status).toBe(201);
    const audit = (await api.admin.get(`/api/audit?targetType=public_link`)).body.items.map((a: any) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['form.link_create', 'form.link_rotate', 'form.link_update', 'form.public_submit']));
  });

  it('exposed fields and the owner can be changed; submissions then follow them', async () => {
    const base = `/api/entities/${leads.id}/form/public-link`;
    const email = `o${randomBytes(4).toString('hex')}@example.com`;
    const owner = (await api.admin.post('/api/members', { email, name: 'Owner', password: 'member-password-1' })).body.member;
    expectProblem(await api.admin.patch(base, { ownerId: 'nobody' }), 400, 'VALIDATION_FAILED');
    expectProblem(await api.admin.patch(base, { exposedFields: ['rep'] }), 400, 'VALIDATION_FAILED');
    expectProblem(await api.admin.patch(base, { enabled: 'yes' }), 400, 'VALIDATION_FAILED');
    const res = await api.admin.patch(base, { exposedFields: ['name'], ownerId: owner.id });
    expect(res.body).toMatchObject({ exposedFields: ['name'], ownerId: owner.id });
    expectProblem(await anon.post(`${pub()}/submit`, { name: 'N', email: 'e@example.com' }), 403, 'FIELD_NOT_WRITABLE');
    const ok = await anon.post(`${pub()}/submit`, { name: 'Owned' });
    expect(ok.body.values).toEqual({ name: 'Owned' });
    const rec = (await api.admin.get(`/api/entities/${leads.id}/records?limit=1`)).body.items[0];
    expect(rec).toMatchObject({ name: 'Owned', ownerId: owner.id, createdBy: null });
    expect(Object.keys((await anon.get(pub())).body.schema.properties)).toEqual(['name']);
  });

  it('a form that is not published has no public form', async () => {
    const e = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
    const link = await api.admin.post(`/api/entities/${e.id}/form/public-link`, { exposedFields: ['name'] });
    expect(link.status).toBe(201);
    expectProblem(await anon.get(pub(link.body.token)), 404, 'PUBLIC_LINK_NOT_FOUND');
  });
});

describe('public link rate limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ env: { PUBLIC_FORM_MAX_PER_LINK: '3', PUBLIC_FORM_MAX_PER_IP: '5', PUBLIC_FORM_WINDOW_SECONDS: '60' } });
  });
  afterAll(async () => api?.close());

  it('answers 429 past the per-link and the per-address limit; attempts that failed count too', async () => {
    const a = await leadsWithForm(api);
    const b = await leadsWithForm(api);
    const tokenOf = async (e: any) => (await api.admin.post(`/api/entities/${e.id}/form/public-link`, { exposedFields: ['name'] })).body.token;
    const ta = await tokenOf(a);
    const tb = await tokenOf(b);
    const anon = api.client();
    const submit = (t: string, body: unknown = { name: 'R' }) => anon.post(`/api/public/forms/${t}/submit`, body);
    expect((await submit(ta)).status).toBe(201);
    expect((await submit(ta, { name: '' })).status).toBe(400);
    expect((await submit(ta)).status).toBe(201);
    const limited = await submit(ta);
    expectProblem(limited, 429, 'RATE_LIMITED');
    // The rest of the window that began with the first submission, in the body and the header.
    expect(limited.body.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.body.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(limited.headers.get('retry-after')).toBe(String(limited.body.retryAfterSeconds));
    // Another link from the same address: two more, then the address limit (5) holds.
    expect((await submit(tb)).status).toBe(201);
    expect((await submit(tb)).status).toBe(201);
    expectProblem(await submit(tb), 429, 'RATE_LIMITED');
    expect((await api.admin.get(`/api/entities/${a.id}/records/count`)).body.count).toBe(2);
    expect((await api.admin.get(`/api/entities/${b.id}/records/count`)).body.count).toBe(2);
    // The form itself stays readable.
    expect((await anon.get(`/api/public/forms/${ta}`)).status).toBe(200);
  });
});
