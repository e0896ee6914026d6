import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { Catalog } from './support/catalog';
import { type Api, type Client, startApi, type TestApi } from './support/harness';
import { OrgSeed } from './support/org';
import { upload } from './support/records';
import { ACTORS, type ActorName, EXPECTATIONS, type Expect, type Expectation, type Targets } from './support/route-access';
import { listRoutes, type RouteInfo } from './support/routes';
import { approval } from './support/workflows';

/**
 * The route-access matrix (issue 8): every route Nest serves, called by every actor class with
 * ids of things that actor must not reach, answers what the expectations table says (404, or
 * 401/403 where that is the contract) and changes nothing in the database. One server, seeded
 * once. A route with no entry in support/route-access.ts fails the first test.
 */

/** Tables whose rows legitimately move on a refused call: the audit log, counters of refused attempts, job-consumer heartbeats. */
const VOLATILE = /^(audit_log|login_failures|job_workers)$|rate|limit|throttle|attempt/;

let api: TestApi;
let db: Db;
let cat: Catalog;
let routes: RouteInfo[];
let targets: Targets;
const clients = {} as Record<ActorName, Client>;

async function fingerprint(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const table of await cat.tables()) {
    if (VOLATILE.test(table) || table.startsWith('sqlite_')) continue;
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${table}`);
    const lines = rows
      .map((r) => {
        const row = { ...r };
        if (table === 'api_tokens') delete row.last_used_at; // each use stamps it
        return JSON.stringify(Object.entries(row).map(([k, v]) => [k, v === null ? null : v instanceof Date ? v.toISOString() : String(v)]));
      })
      .sort();
    out.set(table, createHash('sha256').update(lines.join('\n')).digest('hex'));
  }
  return out;
}

function expected(e: Expectation, r: RouteInfo, actor: ActorName): Expect {
  const own = e.only?.[actor];
  if (own !== undefined) return own;
  if (!r.isPublic && (actor === 'anon' || actor === 'disabled')) return 401;
  if (actor === 'readOnly') return r.method === 'GET' ? e.member : 403;
  return actor === 'outsider' || actor === 'dept' ? e.member : e.foreign;
}

async function ok(res: Api, what: string): Promise<any> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function seed(): Promise<void> {
  const admin = api.admin;
  const org = await OrgSeed.of(api);
  const owners = await org.department('Owners');
  const elsewhere = await org.department('Elsewhere');
  const owner = await org.member('Owner', { departments: [owners] });
  const outsider = await org.member('Outsider');
  const dept = await org.member('Dept member', { departments: [elsewhere] });
  const otherAdmin = await org.member('Other app admin');
  const stranger = await org.member('Stranger');
  const gone = await org.member('Gone');

  const app = await ok(await admin.post('/api/apps', { key: 'target', name: 'Target' }), 'app');
  const entity = await ok(
    await admin.post(`/api/apps/${app.id}/entities`, {
      key: 'vault',
      name: 'Vault',
      fields: [
        { key: 'title', label: 'Title', type: 'text' },
        { key: 'files', label: 'Files', type: 'attachment' },
        { key: 'stage', label: 'Stage', type: 'select', settings: { options: [{ value: 'open', label: 'Open' }] } },
      ],
    }),
    'entity',
  );
  await ok(
    await admin.post(`/api/entities/${entity.id}/fields`, { key: 'link', label: 'Link', type: 'relation', settings: { targetEntityId: entity.id } }),
    'link',
  );
  const other = await ok(await admin.post('/api/apps', { key: 'other', name: 'Other' }), 'other app');
  await ok(
    await admin.post(`/api/apps/${other.id}/entities`, { key: 'misc', name: 'Misc', fields: [{ key: 'name', label: 'Name', type: 'text' }] }),
    'other entity',
  );
  await org.setAppAdmins(other.id, [otherAdmin.id]);

  const scoped = (name: string, who: string, kind: 'own' | 'department') => ({
    name,
    members: [who],
    actions: ['view', 'edit', 'delete', 'bulk_edit'],
    rowScope: { kind },
  });
  const group = await ok(await admin.post(`/api/entities/${entity.id}/permission-groups`, scoped('Own only', outsider.id, 'own')), 'group');
  await ok(await admin.post(`/api/entities/${entity.id}/permission-groups`, scoped('My department', dept.id, 'department')), 'dept group');
  await ok(await admin.post(`/api/entities/${entity.id}/permission-groups`, { preset: 'manage_all', members: [gone.id] }), 'all group');

  // A published workflow: the target record starts an instance whose task is the owner's (no actor of the matrix).
  const flow = {
    nodes: [
      { id: 'start', type: 'start', settings: { fields: {} } },
      { id: 'a', type: 'approval', settings: approval([{ kind: 'members', ids: [owner.id] }]) },
      { id: 'end', type: 'end', settings: { outcome: 'approved' } },
    ],
    edges: [
      { id: 'e1', from: 'start', to: 'a' },
      { id: 'e2', from: 'a', to: 'end' },
    ],
  };
  const workflow = await ok(await admin.post(`/api/entities/${entity.id}/workflows`, { name: 'Target flow', graph: flow }), 'workflow');
  await ok(await admin.post(`/api/workflows/${workflow.id}/publish`), 'publish workflow');
  const file = await upload(admin, 'vault.txt', new TextEncoder().encode('vault bytes'), 'text/plain');
  const rec = await ok(
    await admin.post(`/api/entities/${entity.id}/records`, { title: 'target', files: [file.id], stage: 'open', ownerId: owner.id }),
    'record',
  );
  const binned = await ok(await admin.post(`/api/entities/${entity.id}/records`, { title: 'binned', ownerId: owner.id }), 'binned');
  expect((await admin.delete(`/api/entities/${entity.id}/records/${binned.id}`)).status).toBe(204);
  let task: { id: string; instance_id: string } | undefined;
  for (let i = 0; i < 400 && !task; i++) {
    task = (
      await db.query<{ id: string; instance_id: string }>('SELECT id, instance_id FROM workflow_tasks WHERE record_id = ? AND entity_id = ?', [
        rec.id,
        entity.id,
      ])
    )[0];
    if (!task) await new Promise((r) => setTimeout(r, 50));
  }
  if (!task) throw new Error('the target record started no workflow task');
  await ok(await admin.request('PUT', `/api/entities/${entity.id}/form`, { fields: {} }), 'form');
  await ok(await admin.post(`/api/entities/${entity.id}/form/publish`), 'publish');
  const link = await ok(await admin.post(`/api/entities/${entity.id}/form/public-link`, { exposedFields: ['title'] }), 'public link');
  await ok(await admin.post(`/api/entities/${entity.id}/form/public-link/rotate`), 'rotate');

  const form = new FormData();
  form.append('file', new Blob(['Title\r\nimported\r\n']), 'vault.csv');
  const imp = await ok(await admin.request('POST', `/api/entities/${entity.id}/imports`, form), 'import');
  const exp = await ok(await admin.post(`/api/entities/${entity.id}/exports`, { format: 'csv' }), 'export');
  const sharedView = await ok(await admin.post(`/api/entities/${entity.id}/views`, { name: 'Everyone', shared: true }), 'shared view');
  const privateView = await ok(await admin.post(`/api/entities/${entity.id}/views`, { name: 'Mine' }), 'private view');
  const comment = await ok(await admin.post(`/api/entities/${entity.id}/records/${rec.id}/comments`, { body: 'the admin’s note' }), 'comment');
  const adminToken = await ok(await admin.post('/api/tokens', { name: 'admin’s own' }), 'admin token');
  const narrowed = await ok(await admin.post('/api/tokens', { name: 'other app only', appIds: [other.id] }), 'narrowed token');
  const ws2 = await org.workspace('Elsewhere Inc');
  const foreign = await ws2.member('Foreign member');
  const foreignDept = await ws2.department('Foreign department');
  const foreignRole = await ws2.role('Foreign role');

  const bearer = (token: string) => Object.assign(api.client(), { bearer: token });
  clients.anon = api.client();
  clients.outsider = await org.login(outsider);
  clients.dept = await org.login(dept);
  clients.stranger = await org.login(stranger);
  clients.otherAdmin = await org.login(otherAdmin);
  clients.narrowed = bearer(narrowed.token);
  clients.readOnly = bearer((await ok(await clients.outsider.post('/api/tokens', { name: 'read only', readOnly: true }), 'ro token')).token);
  clients.disabled = await org.login(gone);
  await org.setStatusInDb(gone.id, 'disabled');

  targets = {
    appId: app.id,
    entityId: entity.id,
    recordId: rec.id,
    binnedId: binned.id,
    fileId: file.id,
    importId: imp.id,
    exportId: exp.id,
    groupId: group.id,
    tokenId: adminToken.id,
    oldLinkToken: link.token,
    ownerEmail: owner.email,
    workflowId: workflow.id,
    taskId: task.id,
    instanceId: task.instance_id,
    sharedViewId: sharedView.id,
    privateViewId: privateView.id,
    commentId: comment.id,
    otherWorkspace: { memberId: foreign.id, departmentId: foreignDept, roleId: foreignRole },
  };
}

beforeAll(async () => {
  // With Redis the API only produces unless told to consume (docs/jobs.md): it starts the target record's workflow itself.
  api = await startApi({ env: { JOBS_CONSUME: 'on' } });
  db = api.app.get(Db);
  cat = new Catalog(api);
  routes = listRoutes(api.app);
  await seed();
}, 120_000);
afterAll(async () => api?.close());

describe('route-access matrix', () => {
  it('reads the routes from the router, and every route has an access expectation', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.map((r) => r.key)).toContain('GET /api/entities/:entityId/records/:id');
    const missing = routes.filter((r) => !EXPECTATIONS[r.key]).map((r) => `route ${r.key} has no access expectation`);
    expect(missing, 'add each to apps/api/test/support/route-access.ts').toEqual([]);
    const stale = Object.keys(EXPECTATIONS).filter((k) => !routes.some((r) => r.key === k));
    expect(stale, 'expectations for routes that no longer exist').toEqual([]);
  });

  it('the seeded actors are who the table says (a sanity check of the fixture)', async () => {
    expect((await clients.outsider.get(`/api/entities/${targets.entityId}`)).status).toBe(200);
    expect((await clients.dept.get(`/api/entities/${targets.entityId}`)).status).toBe(200);
    expect((await clients.disabled.get('/api/auth/me')).status).toBe(401);
    expect((await clients.stranger.get(`/api/entities/${targets.entityId}`)).status).toBe(404);
    expect((await api.admin.get(`/api/entities/${targets.entityId}/records/${targets.recordId}`)).status).toBe(200);
  });

  // One test per route, in the router's order; the fingerprint spans every actor's call.
  for (const key of Object.keys(EXPECTATIONS).sort()) {
    it(key, async () => {
      const route = routes.find((r) => r.key === key);
      if (!route) return; // reported by the first test
      const e = EXPECTATIONS[key];
      const before = await fingerprint();
      const problems: string[] = [];
      for (const actor of ACTORS) {
        const want = expected(e, route, actor);
        if (want === 'skip') continue;
        const call = e.call(targets);
        const res = await clients[actor].request(route.method, call.path, call.body);
        const allowed = Array.isArray(want) ? want : [want];
        if (!allowed.includes(res.status)) {
          problems.push(`${actor}: ${res.status} (want ${allowed.join(' or ')}) ${JSON.stringify(res.body).slice(0, 200)}`);
          continue;
        }
        if (res.status < 300 && e.check) {
          try {
            e.check(res.body, targets, actor);
          } catch (err) {
            problems.push(`${actor}: ${(err as Error).message}`);
          }
        }
      }
      const after = await fingerprint();
      const changed = [...after.keys()].filter((t) => before.get(t) !== after.get(t));
      if (changed.length) problems.push(`changed tables: ${changed.join(', ')}`);
      expect(problems, key).toEqual([]);
    });
  }
});
