import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { type Client, startApi, type TestApi } from './support/harness';
import { OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';
import { upload } from './support/records';

/**
 * Issue 8, holes 1 and 6: an API token narrowed to one app reaches nothing of the others (apps,
 * audit, files), and an entity a member may not see answers 404 on every route.
 */
describe('a token narrowed to one app (hole 1)', () => {
  let api: TestApi;
  let db: Db;
  let org: OrgSeed;
  let appA: any;
  let appB: any;
  let entA: any;
  let entB: any;
  let fileA: string;
  let fileB: string;
  let narrowed: Client;
  let designer: SeededMember;
  let designerNarrowed: Client;

  const bearer = (token: string) => {
    const c = api.client();
    c.bearer = token;
    return c;
  };
  const mkApp = async (key: string) => {
    const res = await api.admin.post('/api/apps', { key, name: `App ${key}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const mkEntity = async (app: any, key: string) => {
    const res = await api.admin.post(`/api/apps/${app.id}/entities`, {
      key,
      name: `Entity ${key}`,
      fields: [
        { key: 'title', label: 'Title', type: 'text' },
        { key: 'files', label: 'Files', type: 'attachment' },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    api = await startApi();
    db = api.app.get(Db);
    org = await OrgSeed.of(api);
    appA = await mkApp('narrow_a');
    appB = await mkApp('narrow_b');
    entA = await mkEntity(appA, 'things_a');
    entB = await mkEntity(appB, 'things_b');
    fileA = (await upload(api.admin, 'a.txt', new TextEncoder().encode('bytes of A'), 'text/plain')).id;
    fileB = (await upload(api.admin, 'b.txt', new TextEncoder().encode('bytes of B'), 'text/plain')).id;
    for (const [e, f, t] of [
      [entA, fileA, 'record of A'],
      [entB, fileB, 'record of B'],
    ]) {
      const r = await api.admin.post(`/api/entities/${e.id}/records`, { title: t, files: [f] });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const t = await api.admin.post('/api/tokens', { name: 'only A', appIds: [appA.id] });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    narrowed = bearer(t.body.token);

    designer = await org.member('Designer');
    await org.setAppAdmins(appA.id, [designer.id]);
    await org.setAppAdmins(appB.id, [designer.id]);
    const dc = await org.login(designer);
    const dt = await dc.post('/api/tokens', { name: 'designer, only A', appIds: [appA.id] });
    expect(dt.status, JSON.stringify(dt.body)).toBe(201);
    designerNarrowed = bearer(dt.body.token);
  });
  afterAll(async () => api?.close());

  it('lists only its app and answers 404 for the others', async () => {
    for (const c of [narrowed, designerNarrowed]) {
      const list = await c.get('/api/apps');
      expect(list.status).toBe(200);
      expect(list.body.items.map((a: any) => a.id)).toEqual([appA.id]);
      expect((await c.get(`/api/apps/${appA.id}`)).status).toBe(200);
      expectProblem(await c.get(`/api/apps/${appB.id}`), 404, 'APP_NOT_FOUND');
      expectProblem(await c.get(`/api/apps/${appB.id}/entities`), 404, 'APP_NOT_FOUND');
    }
  });

  it('cannot create an app (403), nor rename or delete another (404); nothing changes', async () => {
    const before = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM apps WHERE deleted_at IS NULL');
    expectProblem(await narrowed.post('/api/apps', { key: 'sneaky', name: 'Sneaky' }), 403, 'FORBIDDEN');
    for (const c of [narrowed, designerNarrowed]) {
      expectProblem(await c.patch(`/api/apps/${appB.id}`, { name: 'Renamed' }), 404, 'APP_NOT_FOUND');
      expectProblem(await c.delete(`/api/apps/${appB.id}`), 404, 'APP_NOT_FOUND');
    }
    const after = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM apps WHERE deleted_at IS NULL');
    expect(Number(after[0].n)).toBe(Number(before[0].n));
    const b = await api.admin.get(`/api/apps/${appB.id}`);
    expect(b.body.name).toBe('App narrow_b');
    expect((await api.admin.get(`/api/entities/${entB.id}/records`)).body.items).toHaveLength(1);
    // Its own app it may still rename (a designer's narrowed token).
    expect((await designerNarrowed.patch(`/api/apps/${appA.id}`, { name: 'A renamed' })).status).toBe(200);
  });

  it('reads no audit entries of other apps', async () => {
    const other = await narrowed.get(`/api/audit?entityId=${entB.id}`);
    expect(other.status).toBe(200);
    expect(other.body.items).toEqual([]);
    const own = await narrowed.get(`/api/audit?entityId=${entA.id}`);
    expect(own.body.items.length).toBeGreaterThan(0);
    const all = await narrowed.get('/api/audit?limit=500');
    expect(all.body.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(all.body)).not.toContain('record of B');
    expect(all.body.items.filter((e: any) => e.entityId === entB.id || e.targetId === appB.id || e.targetId === entB.id)).toEqual([]);
    // The unnarrowed admin still sees them.
    expect((await api.admin.get(`/api/audit?entityId=${entB.id}`)).body.items.length).toBeGreaterThan(0);
  });

  it('downloads files of its app only; a file on another app’s record answers 404', async () => {
    const a = await narrowed.get(`/api/files/${fileA}`);
    expect(a.status).toBe(200);
    expect(a.body).toBe('bytes of A');
    expectProblem(await narrowed.get(`/api/files/${fileB}`), 404, 'FILE_NOT_FOUND');
    expectProblem(await designerNarrowed.get(`/api/files/${fileB}`), 404, 'FILE_NOT_FOUND');
  });
});

describe('an entity the member may not see answers 404 everywhere (hole 6)', () => {
  let api: TestApi;
  let member: Client;
  let hidden: any;
  let recordId: number;

  beforeAll(async () => {
    api = await startApi();
    const org = await OrgSeed.of(api);
    const m = await org.member('Outsider');
    const app = await api.admin.post('/api/apps', { key: 'hide_app', name: 'Hide' });
    const fields = [
      { key: 'name', label: 'Name', type: 'text' },
      { key: 'files', label: 'Files', type: 'attachment' },
    ];
    const open = (await api.admin.post(`/api/apps/${app.body.id}/entities`, { key: 'open_e', name: 'Open', fields })).body;
    hidden = (await api.admin.post(`/api/apps/${app.body.id}/entities`, { key: 'secret_e', name: 'Top Secret Ledger', fields })).body;
    hidden = {
      ...hidden,
      fields: [...hidden.fields],
    };
    const rel = await api.admin.post(`/api/entities/${hidden.id}/fields`, {
      key: 'link',
      label: 'Link',
      type: 'relation',
      settings: { targetEntityId: open.id },
    });
    expect(rel.status, JSON.stringify(rel.body)).toBe(201);
    // The member sees the app through another entity, but has no group on the hidden one.
    expect((await api.admin.post(`/api/entities/${open.id}/permission-groups`, { preset: 'manage_all', members: [m.id] })).status).toBe(201);
    recordId = (await api.admin.post(`/api/entities/${hidden.id}/records`, { name: 'ledger line' })).body.id;
    member = await org.login(m);
  });
  afterAll(async () => api?.close());

  it('every record route of the entity answers 404 ENTITY_NOT_FOUND without naming it', async () => {
    const base = `/api/entities/${hidden.id}`;
    const calls: [string, string, unknown?][] = [
      ['GET', base],
      ['GET', `${base}/schema`],
      ['GET', `${base}/records`],
      ['POST', `${base}/records/query`, {}],
      ['GET', `${base}/records/count`],
      ['POST', `${base}/records`, { name: 'x' }],
      ['POST', `${base}/records/bulk`, { records: [{ name: 'x' }] }],
      ['POST', `${base}/records/bulk-update`, { all: true, values: { name: 'y' } }],
      ['POST', `${base}/records/bulk-delete`, { all: true }],
      ['GET', `${base}/records/${recordId}`],
      ['PATCH', `${base}/records/${recordId}`, { version: 1, name: 'y' }],
      ['DELETE', `${base}/records/${recordId}`],
      ['POST', `${base}/records/${recordId}/restore`, {}],
      ['DELETE', `${base}/records/${recordId}/purge`],
      ['GET', `${base}/recycle-bin`],
      ['GET', `${base}/records/${recordId}/history`],
      ['GET', `${base}/records/${recordId}/related`],
      ['GET', `${base}/fields/link/options`],
      ['GET', `${base}/form`],
    ];
    for (const [method, path, body] of calls) {
      const res = await member.request(method, path, body);
      const p = expectProblem(res, 404, 'ENTITY_NOT_FOUND');
      expect(JSON.stringify(p), `${method} ${path}`).not.toContain('Top Secret Ledger');
    }
    expect((await api.admin.get(`${base}/records/${recordId}`)).body.name).toBe('ledger line');
  });
});
