import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from './support/catalog';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';
import { qs } from './support/records';

/**
 * Attacks on the permission model (issue 3), each with a test that fails without its defence:
 * other workspaces' records, filters/sorts/expansions that would leak hidden fields or
 * entities, mass assignment, bulk changes beyond scope, a member widening their own access,
 * disabled members and revoked tokens, and history/restore/purge out of scope.
 *
 * The member `rep` (role rep, Sales) may view/create/edit/delete/import/bulk edit their OWN
 * deals, with `salary` and the `backdoor` relation hidden and `amount` read-only; on customers
 * they may view gold ones without `secret`; vaults they cannot see at all.
 */

const SECRET_SALARY = 777123.45;
const SECRET_TEXT = 'top-secret-margin-9f3a';

describe('permission attacks', () => {
  let api: TestApi;
  let org: OrgSeed;
  let cat: Catalog;
  let rep: SeededMember;
  let peer: SeededMember;
  let repRole: string;
  let sales: string;
  let c: Client;
  let deals: any;
  let customers: any;
  let vaults: any;
  let dealsTable: string;
  const d = {} as Record<'mine1' | 'mine2' | 'peers' | 'admins', number>;
  const cu = {} as Record<'gold1' | 'silver' | 'gold2', number>;
  let vault: number;
  let repGroupId: string;
  const recs = (e: any = deals) => `/api/entities/${e.id}/records`;
  const rec = (id: number, e: any = deals) => `${recs(e)}/${id}`;
  const snapshot = () => cat.rows(dealsTable);
  const version = async (id: number) => (await api.admin.get(rec(id))).body.version as number;

  beforeAll(async () => {
    api = await startApi();
    org = await OrgSeed.of(api);
    cat = new Catalog(api);
    sales = await org.department('Sales');
    repRole = await org.role('rep');
    rep = await org.member('Rep', { departments: [sales], roles: [repRole] });
    peer = await org.member('Peer', { departments: [sales], roles: [repRole] });

    vaults = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
    customers = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text' },
      { key: 'tier', label: 'Tier', type: 'text' },
      { key: 'secret', label: 'Secret', type: 'text' },
    ]);
    deals = await makeEntity(api.admin, [
      { key: 'title', label: 'Title', type: 'text', required: true },
      { key: 'amount', label: 'Amount', type: 'money', settings: { currency: 'EUR', precision: 2 } },
      { key: 'salary', label: 'Salary', type: 'number', settings: { precision: 2 } },
      { key: 'region', label: 'Region', type: 'text' },
      { key: 'note', label: 'Note', type: 'text' },
      { key: 'customer', label: 'Customer', type: 'relation', settings: { targetEntityId: customers.id } },
      { key: 'contacts', label: 'Contacts', type: 'relation', settings: { targetEntityId: customers.id, multiple: true } },
      { key: 'backdoor', label: 'Backdoor', type: 'relation', settings: { targetEntityId: customers.id } },
      { key: 'vault', label: 'Vault', type: 'relation', settings: { targetEntityId: vaults.id } },
    ]);
    dealsTable = await cat.entityTable(deals.id);

    vault = (await api.admin.post(recs(vaults), { name: 'Crown jewels' })).body.id;
    for (const [k, tier] of [
      ['gold1', 'gold'],
      ['silver', 'silver'],
      ['gold2', 'gold'],
    ] as const) {
      const res = await api.admin.post(recs(customers), { name: `Customer ${k}`, tier, secret: `${SECRET_TEXT}-${k}` });
      expect(res.status).toBe(201);
      cu[k] = res.body.id;
    }
    const make = async (title: string, owner: string | null, extra: Record<string, unknown> = {}) => {
      const res = await api.admin.post(recs(), {
        title,
        amount: 10,
        salary: SECRET_SALARY,
        region: 'east',
        customer: cu.gold1,
        backdoor: cu.gold1,
        vault,
        ...(owner ? { ownerId: owner } : {}),
        ...extra,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as number;
    };
    d.mine1 = await make('Mine one', rep.id, { customer: cu.gold1, contacts: [cu.gold1, cu.silver, cu.gold2] });
    d.mine2 = await make('Mine two', rep.id, { customer: cu.silver, contacts: [cu.silver] });
    d.peers = await make('Peer deal', peer.id);
    d.admins = await make('Admin deal', null);

    const g = await api.admin.post(`/api/entities/${deals.id}/permission-groups`, {
      name: 'Reps',
      roles: [repRole],
      actions: ['view', 'create', 'edit', 'delete', 'import', 'bulk_edit'],
      rowScope: { kind: 'own' },
      fields: { salary: { visible: false }, backdoor: { visible: false }, amount: { visible: true, editable: false } },
    });
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    repGroupId = g.body.id;
    const cg = await api.admin.post(`/api/entities/${customers.id}/permission-groups`, {
      name: 'Gold customers',
      roles: [repRole],
      actions: ['view'],
      rowScope: { kind: 'condition', condition: { '==': [{ var: 'tier' }, 'gold'] } },
      fields: { secret: { visible: false } },
    });
    expect(cg.status, JSON.stringify(cg.body)).toBe(201);
    c = await org.login(rep);
  });
  afterAll(async () => api?.close());

  describe('another workspace', () => {
    let other: OrgSeed;
    let bAdmin: Client;
    let bEntity: any;
    let bRecord: number;
    let bGroup: string;
    let bMember: SeededMember;

    beforeAll(async () => {
      other = await org.workspace('Other Co');
      const boss = await other.member('Other Boss', { isAdmin: true });
      bMember = await other.member('Other Member');
      bAdmin = await other.login(boss);
      expect((await bAdmin.get('/api/auth/me')).body.workspace.id).toBe(other.workspaceId);
      bEntity = await makeEntity(bAdmin, [
        { key: 'title', label: 'Title', type: 'text' },
        { key: 'salary', label: 'Salary', type: 'number', settings: { precision: 2 } },
      ]);
      bRecord = (await bAdmin.post(recs(bEntity), { title: 'Their deal', salary: 4242.75 })).body.id;
      const bDeleted = (await bAdmin.post(recs(bEntity), { title: 'Their binned deal' })).body.id;
      expect((await bAdmin.delete(rec(bDeleted, bEntity))).status).toBe(204);
      bGroup = (await bAdmin.post(`/api/entities/${bEntity.id}/permission-groups`, { preset: 'view_all', members: [bMember.id] })).body.id;
      expect(bGroup).toBeTruthy();
    });

    it("every record route with workspace B's entity answers 404 to workspace A's admin, and B's data is untouched", async () => {
      const before = await cat.rows(await cat.entityTable(bEntity.id));
      expect(before).toHaveLength(2);
      const [live, binned] = before.map((r) => Number(r.id));
      const base = recs(bEntity);
      const attempts: [string, string, unknown?][] = [
        ['GET', `${base}?limit=200`],
        ['POST', `${base}/query`, { limit: 200 }],
        ['GET', `${base}/count`],
        ['POST', base, { title: 'planted' }],
        ['POST', `${base}/bulk`, { records: [{ title: 'planted' }] }],
        ['POST', `${base}/bulk-update`, { all: true, values: { title: 'owned' } }],
        ['POST', `${base}/bulk-delete`, { all: true }],
        ['GET', `${base}/${live}`],
        ['GET', `${base}/${live}/history`],
        ['PATCH', `${base}/${live}`, { version: 1, title: 'owned' }],
        ['DELETE', `${base}/${live}`],
        ['POST', `${base}/${binned}/restore`, {}],
        ['DELETE', `${base}/${binned}/purge`],
        ['GET', `/api/entities/${bEntity.id}/recycle-bin`],
        ['GET', `/api/entities/${bEntity.id}`],
        ['GET', `/api/entities/${bEntity.id}/schema`],
        ['PATCH', `/api/entities/${bEntity.id}`, { name: 'owned' }],
        ['POST', `/api/entities/${bEntity.id}/fields`, { key: 'x', label: 'X', type: 'text' }],
        ['DELETE', `/api/entities/${bEntity.id}/fields/title`],
        ['DELETE', `/api/entities/${bEntity.id}`],
        ['GET', `/api/apps/${bEntity.appId}`],
        ['GET', `/api/apps/${bEntity.appId}/entities`],
        ['PATCH', `/api/apps/${bEntity.appId}`, { name: 'owned' }],
        ['GET', `/api/entities/${bEntity.id}/permission-groups`],
        ['POST', `/api/entities/${bEntity.id}/permission-groups`, { preset: 'manage_all' }],
        ['PATCH', `/api/permission-groups/${bGroup}`, { preset: 'manage_all' }],
        ['DELETE', `/api/permission-groups/${bGroup}`],
      ];
      for (const [method, path, body] of attempts) {
        const res = await api.admin.request(method, path, body);
        expect({ route: `${method} ${path}`, status: res.status }, JSON.stringify(res.body)).toEqual({ route: `${method} ${path}`, status: 404 });
        expect(JSON.stringify(res.body)).not.toMatch(/Their deal|4242\.75/); // ids are hex: no '.' in them
      }
      expect(await cat.rows(await cat.entityTable(bEntity.id)), "B's rows unchanged").toEqual(before);
      expect((await bAdmin.get(rec(bRecord, bEntity))).body).toMatchObject({ id: live, title: 'Their deal', salary: 4242.75, version: 1 });
      const groups = await bAdmin.get(`/api/entities/${bEntity.id}/permission-groups`);
      expect(groups.body.items.map((g: any) => [g.id, g.preset, g.members])).toEqual([[bGroup, 'view_all', [bMember.id]]]);
      // And the other way round.
      expectProblem(await bAdmin.get(rec(d.mine1)), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await bAdmin.patch(rec(d.mine1), { version: 1, title: 'owned' }), 404, 'ENTITY_NOT_FOUND');
      expect((await bAdmin.get('/api/apps')).body.items.map((a: any) => a.id)).toEqual([bEntity.appId]);
    });

    it("workspace B's member, record or entity cannot be named from workspace A", async () => {
      const before = await snapshot();
      const owner = expectProblem(await api.admin.post(recs(), { title: 'x', ownerId: bMember.id }), 400, 'VALIDATION_FAILED');
      expect(owner.errors.map((e: any) => e.path)).toEqual(['/ownerId']);
      const group = expectProblem(
        await api.admin.post(`/api/entities/${deals.id}/permission-groups`, { preset: 'view_all', members: [bMember.id] }),
        400,
        'INVALID_GROUP',
      );
      expect(group.errors.map((e: any) => e.path)).toEqual(['/members/0']);
      const rel = await api.admin.post(`/api/entities/${deals.id}/fields`, {
        key: 'theirs',
        label: 'Theirs',
        type: 'relation',
        settings: { targetEntityId: bEntity.id },
      });
      expectProblem(rel, 400, 'INVALID_SETTINGS');
      expect(await snapshot()).toEqual(before);
      expect((await api.admin.get(`/api/entities/${deals.id}`)).body.fields.map((f: any) => f.key)).not.toContain('theirs');
    });
  });

  describe('filters and sorts that name a hidden field are refused, not answered', () => {
    const hiddenFilters: [string, unknown][] = [
      ['equality', { '==': [{ var: 'salary' }, SECRET_SALARY] }],
      ['range', { '>': [{ var: 'salary' }, 700000] }],
      ['between', { '<=': [700000, { var: 'salary' }, 800000] }],
      ['not empty', { is_not_empty: [{ var: 'salary' }] }],
      ['nested in or/not', { or: [{ '==': [{ var: 'title' }, 'nope'] }, { '!': { '<': [{ var: 'salary' }, 1] } }] }],
      ['var with a default', { '==': [{ var: ['salary', 0] }, SECRET_SALARY] }],
      ['hidden relation', { '==': [{ var: 'backdoor' }, 1] }],
    ];

    it('the filters would leak: the admin gets an answer that depends on the hidden value', async () => {
      const hit = await api.admin.get(`${recs()}${qs({ filter: hiddenFilters[0][1] })}`);
      const miss = await api.admin.get(`${recs()}${qs({ filter: { '==': [{ var: 'salary' }, 1] } })}`);
      expect(hit.body.items.length).toBe(4);
      expect(miss.body.items.length).toBe(0);
    });

    for (const [name, filter] of hiddenFilters) {
      it(`${name}: list, query, count, bulk update and bulk delete answer 403 FIELD_NOT_READABLE`, async () => {
        const before = await snapshot();
        const field = JSON.stringify(filter).includes('backdoor') ? 'backdoor' : 'salary';
        for (const res of [
          await c.get(`${recs()}${qs({ filter })}`),
          await c.post(`${recs()}/query`, { filter }),
          await c.get(`${recs()}/count${qs({ filter })}`),
          await c.post(`${recs()}/bulk-update`, { filter, values: { note: 'probe' } }),
          await c.post(`${recs()}/bulk-delete`, { filter }),
        ]) {
          const body = expectProblem(res, 403, 'FIELD_NOT_READABLE');
          expect(body.fields).toEqual([field]);
          expect(JSON.stringify(body)).not.toContain(String(SECRET_SALARY));
        }
        expect(await snapshot()).toEqual(before);
      });
    }

    it('a dotted path into a related record is no way around it', async () => {
      // Filtering and sorting through a relation exist, under the related entity's field rules:
      // a hidden field there answers 403 naming the path, whatever the value.
      for (const value of [`${SECRET_TEXT}-gold1`, 'no such value']) {
        const res = await c.get(`${recs()}${qs({ filter: { '==': [{ var: 'customer.secret' }, value] } })}`);
        expect(expectProblem(res, 403, 'FIELD_NOT_READABLE').fields).toEqual(['customer.secret']);
        expect(JSON.stringify(res.body)).not.toContain(SECRET_TEXT);
      }
      expect(expectProblem(await c.get(`${recs()}${qs({ sort: 'customer.secret' })}`), 403, 'FIELD_NOT_READABLE').fields).toEqual(['customer.secret']);
    });

    it('sorting by a hidden field answers 403 FIELD_NOT_READABLE', async () => {
      for (const sort of ['salary', '-salary', 'title,-salary']) {
        const body = expectProblem(await c.get(`${recs()}${qs({ sort })}`), 403, 'FIELD_NOT_READABLE');
        expect(body.fields).toEqual(['salary']);
        expectProblem(await c.post(`${recs()}/query`, { sort }), 403, 'FIELD_NOT_READABLE');
      }
      // A visible field sorts fine.
      expect((await c.get(`${recs()}${qs({ sort: '-title' })}`)).body.items.map((r: any) => r.id)).toEqual([d.mine2, d.mine1]);
    });
  });

  it('the entity definition and its record schema leave hidden fields out', async () => {
    const def = await c.get(`/api/entities/${deals.id}`);
    expect(def.status).toBe(200);
    const keys = def.body.fields.map((f: any) => f.key);
    expect(keys).toContain('amount');
    expect(keys).not.toContain('salary');
    expect(keys).not.toContain('backdoor');
    const schema = await c.get(`/api/entities/${deals.id}/schema`);
    expect(schema.status).toBe(200);
    expect(Object.keys(schema.body.properties).sort()).toEqual([...keys].sort());
    expect(schema.body.required).toEqual(['title']);
    expect(JSON.stringify(schema.body)).not.toMatch(/salary|backdoor/);
    // The admin's schema has every field (so the test above would see a leak).
    expect(Object.keys((await api.admin.get(`/api/entities/${deals.id}/schema`)).body.properties)).toEqual(expect.arrayContaining(['salary', 'backdoor']));
    expectProblem(await c.get(`/api/entities/${vaults.id}/schema`), 404, 'ENTITY_NOT_FOUND');
  });

  describe('relation expansion applies the target entity’s permissions', () => {
    it('into an entity the member cannot view: 403, on lists and single reads', async () => {
      for (const res of [
        await c.get(`${recs()}${qs({ expand: 'vault' })}`),
        await c.get(`${rec(d.mine1)}${qs({ expand: 'vault' })}`),
        await c.post(`${recs()}/query`, { expand: 'vault' }),
      ]) {
        expectProblem(res, 403, 'FORBIDDEN');
        expect(JSON.stringify(res.body)).not.toContain('Crown jewels');
      }
      // The vault entity itself is invisible to the member: 404 on its routes (issue 8, hole 6).
      expectProblem(await c.get(recs(vaults)), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await c.get(rec(vault, vaults)), 404, 'ENTITY_NOT_FOUND');
    });

    it('through a relation field hidden from the member: 403 FIELD_NOT_READABLE', async () => {
      const body = expectProblem(await c.get(`${recs()}${qs({ expand: 'backdoor' })}`), 403, 'FIELD_NOT_READABLE');
      expect(body.fields).toEqual(['backdoor']);
      expectProblem(await c.get(`${rec(d.mine1)}${qs({ expand: 'customer,backdoor' })}`), 403, 'FIELD_NOT_READABLE');
    });

    it('into a viewable entity: only in-scope targets, only their readable fields', async () => {
      const res = await c.get(`${recs()}${qs({ expand: 'customer,contacts' })}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const byId = new Map(res.body.items.map((r: any) => [r.id, r]));
      const one: any = byId.get(d.mine1);
      const two: any = byId.get(d.mine2);
      expect(one.expand.customer).toMatchObject({ id: cu.gold1, name: 'Customer gold1', tier: 'gold' });
      expect(one.expand.customer).not.toHaveProperty('secret');
      expect(one.expand.contacts.map((x: any) => x.id).sort()).toEqual([cu.gold1, cu.gold2].sort());
      expect(two.expand.customer, 'a silver customer is out of the member’s scope').toBeNull();
      expect(two.expand.contacts).toEqual([]);
      expect(JSON.stringify(res.body)).not.toContain(SECRET_TEXT);
      expect(JSON.stringify(res.body)).not.toContain('Customer silver');
      expect(JSON.stringify(res.body)).not.toContain(String(SECRET_SALARY));
      // The admin sees all of it (so the test above would catch a missing projection).
      const all = await api.admin.get(`${rec(d.mine2)}${qs({ expand: 'customer' })}`);
      expect(all.body.expand.customer).toMatchObject({ name: 'Customer silver', secret: `${SECRET_TEXT}-silver` });
    });
  });

  describe('relation writes apply the target entity’s permissions', () => {
    it('linking a record the member cannot see is refused exactly like linking a missing one; nothing is written', async () => {
      const before = await snapshot();
      const hidden = expectProblem(await c.post(recs(), { title: 'probe', customer: cu.silver }), 400, 'VALIDATION_FAILED');
      const missing = expectProblem(await c.post(recs(), { title: 'probe', customer: 999999 }), 400, 'VALIDATION_FAILED');
      expect(hidden.errors).toEqual([{ path: '/customer', code: 'not_found', message: `Record ${cu.silver} does not exist` }]);
      expect(missing.errors).toEqual([{ path: '/customer', code: 'not_found', message: 'Record 999999 does not exist' }]);
      expectProblem(await c.post(recs(), { title: 'probe', contacts: [cu.gold1, cu.silver] }), 400, 'VALIDATION_FAILED');
      expectProblem(await c.post(recs(), { title: 'probe', vault }), 400, 'VALIDATION_FAILED');
      expect(await snapshot()).toEqual(before);
      // An in-scope target links fine (then the probe record goes, so later tests see the same data).
      const ok = await c.post(recs(), { title: 'linked', customer: cu.gold2 });
      expect(ok.status).toBe(201);
      expect((await api.admin.delete(rec(ok.body.id))).status).toBe(204);
      expect((await api.admin.delete(`${rec(ok.body.id)}/purge`)).status).toBe(204);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('mass assignment', () => {
    const serverOwned: [string, unknown][] = [
      ['ownerId', null],
      ['owner', null],
      ['owner_id', null],
      ['createdBy', null],
      ['created_by', null],
      ['createdAt', '2000-01-01T00:00:00.000Z'],
      ['updatedBy', null],
      ['updatedAt', '2000-01-01T00:00:00.000Z'],
      ['deletedAt', '2000-01-01T00:00:00.000Z'],
      ['deletedBy', null],
      ['deleted_by', null],
      ['id', 999999],
      ['workspaceId', 'ws-x'],
      ['workspace_id', 'ws-x'],
      ['amount', 99999],
      ['salary', 1],
    ];
    const valueOf = (k: string, v: unknown) => (v === null ? peer.id : v);

    it('create: each server-owned or non-editable key answers 403 FIELD_NOT_WRITABLE naming it; nothing is written', async () => {
      const before = await snapshot();
      for (const [k, v] of [...serverOwned, ['version', 7] as [string, unknown]]) {
        const body = expectProblem(await c.post(recs(), { title: 'Forged', [k]: valueOf(k, v) }), 403, 'FIELD_NOT_WRITABLE');
        expect(body.fields, k).toEqual([k]);
        expect(body.errors.map((e: any) => e.path)).toEqual([`/${k}`]);
      }
      const all = Object.fromEntries([...serverOwned, ['version', 7]].map(([k, v]) => [k, valueOf(k as string, v)]));
      const body = expectProblem(await c.post(recs(), { title: 'Forged', ...all }), 403, 'FIELD_NOT_WRITABLE');
      expect([...body.fields].sort()).toEqual(Object.keys(all).sort());
      expect(await snapshot()).toEqual(before);
    });

    it('update: the same keys are refused and the row is unchanged', async () => {
      const before = await snapshot();
      const v = await version(d.mine1);
      for (const [k, val] of serverOwned) {
        const body = expectProblem(await c.patch(rec(d.mine1), { version: v, note: 'forged', [k]: valueOf(k, val) }), 403, 'FIELD_NOT_WRITABLE');
        expect(body.fields, k).toEqual([k]);
      }
      expect(await snapshot()).toEqual(before);
      // The allowed part alone goes through.
      expect((await c.patch(rec(d.mine1), { version: v, note: 'fine' })).status).toBe(200);
      expect((await api.admin.patch(rec(d.mine1), { version: v + 1, note: null })).status).toBe(200);
    });

    it('bulk update and bulk create: the same keys are refused; nothing is written', async () => {
      const before = await snapshot();
      for (const [k, val] of serverOwned) {
        const bu = expectProblem(
          await c.post(`${recs()}/bulk-update`, { all: true, values: { note: 'forged', [k]: valueOf(k, val) } }),
          403,
          'FIELD_NOT_WRITABLE',
        );
        expect(bu.fields, k).toEqual([k]);
        const bc = expectProblem(
          await c.post(`${recs()}/bulk`, { records: [{ title: 'ok' }, { title: 'Forged', [k]: valueOf(k, val) }] }),
          403,
          'FIELD_NOT_WRITABLE',
        );
        expect(bc.fields, k).toEqual([k]);
        expect(bc.errors.map((e: any) => e.path)).toEqual([`/records/1/${k}`]);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('even an admin may set only the owner, never the other server-owned keys', async () => {
      const before = await snapshot();
      for (const [k, v] of serverOwned.filter(([k]) => !['ownerId', 'amount', 'salary'].includes(k))) {
        const body = expectProblem(await api.admin.post(recs(), { title: 'Forged', [k]: valueOf(k, v) }), 403, 'FIELD_NOT_WRITABLE');
        expect(body.fields, k).toEqual([k]);
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('bulk changes stay inside the scope', () => {
    it('an empty or missing filter answers 400 and changes nothing', async () => {
      const before = await snapshot();
      for (const body of [
        { values: { note: 'x' } },
        { filter: null, values: { note: 'x' } },
        { filter: '', values: { note: 'x' } },
        { all: false, values: { note: 'x' } },
      ]) {
        expectProblem(await c.post(`${recs()}/bulk-update`, body), 400, 'INVALID_REQUEST');
      }
      for (const body of [{}, { filter: null }, { filter: '' }, { all: false }, { all: 'true' }])
        expectProblem(await c.post(`${recs()}/bulk-delete`, body), 400, 'INVALID_REQUEST');
      expectProblem(await c.post(`${recs()}/bulk-delete`, { all: true, filter: { '==': [{ var: 'title' }, 'x'] } }), 400, 'INVALID_REQUEST');
      expect(await snapshot()).toEqual(before);
    });

    /** What a "match everything" selection sends, and which records it may reach (the member's own). */
    const matchAll: [string, () => { sel: Record<string, unknown>; reach: number[] }][] = [
      ['all: true', () => ({ sel: { all: true }, reach: [d.mine1, d.mine2] })],
      ['a filter every record matches', () => ({ sel: { filter: { is_not_empty: [{ var: 'title' }] } }, reach: [d.mine1, d.mine2] })],
      ['a filter naming other members’ record ids', () => ({ sel: { filter: { in: [{ var: 'id' }, [d.mine1, d.peers, d.admins]] } }, reach: [d.mine1] })],
    ];

    for (const [name, make] of matchAll) {
      it(`bulk update with ${name} changes only the member's own records`, async () => {
        const { sel, reach } = make();
        const before = await snapshot();
        const res = await c.post(`${recs()}/bulk-update`, { ...sel, values: { note: 'bulk' } });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect([...res.body.ids].sort()).toEqual([...reach].sort());
        const after = await snapshot();
        expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
        for (const row of after) {
          const old = before.find((b) => b.id === row.id)!;
          if (reach.includes(Number(row.id))) expect(Number(row.version)).toBe(Number(old.version) + 1);
          else expect(row, `record ${row.id} is out of scope and unchanged`).toEqual(old);
        }
        expect((await api.admin.post(`${recs()}/bulk-update`, { all: true, values: { note: null } })).status).toBe(200);
      });

      it(`bulk delete with ${name} deletes only the member's own records`, async () => {
        const { sel, reach } = make();
        const before = await snapshot();
        const res = await c.post(`${recs()}/bulk-delete`, sel);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect([...res.body.ids].sort()).toEqual([...reach].sort());
        const after = await snapshot();
        for (const row of after) {
          const old = before.find((b) => b.id === row.id)!;
          if (reach.includes(Number(row.id))) expect(row.deleted_at).not.toBeNull();
          else expect(row, `record ${row.id} is out of scope and unchanged`).toEqual(old);
        }
        for (const id of reach) expect((await c.post(`${rec(id)}/restore`)).status).toBe(200);
      });
    }
  });

  describe('out-of-scope records answer 404, like records that do not exist', () => {
    it('get, history, edit and delete of another member’s record', async () => {
      const before = await snapshot();
      const v = await version(d.peers);
      const strip = (b: any) => ({ ...b, requestId: undefined, detail: String(b.detail).replace(/\d+/g, 'N') });
      for (const [method, suffix, body] of [
        ['GET', ''],
        ['GET', '/history'],
        ['PATCH', '', { version: v, note: 'mine now' }],
        ['DELETE', ''],
      ] as [string, string, unknown?][]) {
        const out = expectProblem(await c.request(method, `${rec(d.peers)}${suffix}`, body), 404, 'RECORD_NOT_FOUND');
        const none = expectProblem(await c.request(method, `${rec(987654)}${suffix}`, body), 404, 'RECORD_NOT_FOUND');
        expect(strip(out), `${method} ${suffix}: an out-of-scope record looks like a missing one`).toEqual(strip(none));
        expect(JSON.stringify(out)).not.toMatch(/Peer deal/);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('restore and purge of another member’s deleted record; the recycle bin shows only own records', async () => {
      expect((await api.admin.delete(rec(d.peers))).status).toBe(204);
      expect((await c.delete(rec(d.mine2))).status).toBe(204);
      try {
        const before = await snapshot();
        expectProblem(await c.post(`${rec(d.peers)}/restore`), 404, 'RECORD_NOT_FOUND');
        expectProblem(await c.delete(`${rec(d.peers)}/purge`), 404, 'RECORD_NOT_FOUND');
        expectProblem(await c.get(`${rec(d.peers)}/history`), 404, 'RECORD_NOT_FOUND');
        expect(await snapshot(), 'still in the bin').toEqual(before);
        const bin = await c.get(`/api/entities/${deals.id}/recycle-bin`);
        expect(bin.status).toBe(200);
        expect(bin.body.items.map((r: any) => r.id)).toEqual([d.mine2]);
        expect(JSON.stringify(bin.body)).not.toContain(String(SECRET_SALARY));
      } finally {
        expect((await api.admin.post(`${rec(d.peers)}/restore`)).status).toBe(200);
        expect((await c.post(`${rec(d.mine2)}/restore`)).status).toBe(200);
      }
    });

    it('history of an own record leaves hidden fields out', async () => {
      const res = await c.get(`${rec(d.mine1)}/history`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(JSON.stringify(res.body)).not.toMatch(/salary|backdoor|777123/);
      expect(JSON.stringify((await api.admin.get(`${rec(d.mine1)}/history`)).body)).toContain(String(SECRET_SALARY));
    });

    it('a purged record’s history is the admin’s only', async () => {
      const id = (await c.post(recs(), { title: 'Short-lived' })).body.id;
      expect((await c.delete(rec(id))).status).toBe(204);
      expect((await c.delete(`${rec(id)}/purge`)).status).toBe(204);
      expectProblem(await c.get(`${rec(id)}/history`), 404, 'RECORD_NOT_FOUND');
      expect((await api.admin.get(`${rec(id)}/history`)).body.items.map((h: any) => h.action)).toEqual(expect.arrayContaining(['create', 'delete', 'purge']));
    });
  });

  describe('a member cannot widen their own access', () => {
    it('permission groups: list, create, change, delete answer 403 and nothing changes', async () => {
      const before = (await api.admin.get(`/api/entities/${deals.id}/permission-groups`)).body;
      const acl = await org.aclVersion();
      expectProblem(await c.get(`/api/entities/${deals.id}/permission-groups`), 403, 'FORBIDDEN');
      expectProblem(await c.post(`/api/entities/${deals.id}/permission-groups`, { preset: 'manage_all', members: [rep.id] }), 403, 'FORBIDDEN');
      expectProblem(await c.patch(`/api/permission-groups/${repGroupId}`, { rowScope: { kind: 'all' }, fields: {} }), 403, 'FORBIDDEN');
      expectProblem(await c.delete(`/api/permission-groups/${repGroupId}`), 403, 'FORBIDDEN');
      expectProblem(await c.post(`/api/entities/${vaults.id}/permission-groups`, { preset: 'view_all', members: [rep.id] }), 404, 'ENTITY_NOT_FOUND'); // vaults: invisible to the member (hole 6)
      expect((await api.admin.get(`/api/entities/${deals.id}/permission-groups`)).body).toEqual(before);
      expect(await org.aclVersion()).toBe(acl);
      expect((await c.get(recs())).body.items.map((r: any) => r.id).sort()).toEqual([d.mine1, d.mine2].sort());
    });

    it('apps, entities and fields: creating or changing them answers 403 and nothing changes', async () => {
      const design = (await api.admin.get(`/api/entities/${deals.id}`)).body;
      const apps = (await api.admin.get('/api/apps')).body;
      expectProblem(await c.post('/api/apps', { key: 'mine', name: 'Mine' }), 403, 'FORBIDDEN');
      expectProblem(await c.patch(`/api/apps/${deals.appId}`, { name: 'Mine' }), 403, 'FORBIDDEN');
      expectProblem(await c.delete(`/api/apps/${deals.appId}`), 403, 'FORBIDDEN');
      expectProblem(await c.post(`/api/apps/${deals.appId}/entities`, { key: 'mine', name: 'Mine', fields: [] }), 403, 'FORBIDDEN');
      expectProblem(await c.patch(`/api/entities/${deals.id}`, { name: 'Mine' }), 403, 'FORBIDDEN');
      expectProblem(await c.post(`/api/entities/${deals.id}/fields`, { key: 'mine', label: 'Mine', type: 'text' }), 403, 'FORBIDDEN');
      expectProblem(await c.patch(`/api/entities/${deals.id}/fields/title`, { label: 'Mine' }), 403, 'FORBIDDEN');
      expectProblem(await c.delete(`/api/entities/${deals.id}/fields/salary`), 403, 'FORBIDDEN');
      expectProblem(await c.post(`/api/entities/${deals.id}/fields/salary/restore`), 403, 'FORBIDDEN');
      expectProblem(await c.post(`/api/entities/${deals.id}/fields/salary/purge`), 403, 'FORBIDDEN');
      expectProblem(await c.delete(`/api/entities/${deals.id}`), 403, 'FORBIDDEN');
      expect((await api.admin.get(`/api/entities/${deals.id}`)).body).toEqual(design);
      expect((await api.admin.get('/api/apps')).body).toEqual(apps);
    });

    it('own membership, roles, departments, admin flag and app admins: 403 and nothing changes', async () => {
      const acl = await org.aclVersion();
      const other = await org.role('other');
      const attempts: [string, string, unknown][] = [
        ['PATCH', `/api/members/${rep.id}`, { isAdmin: true }],
        ['PATCH', `/api/members/${rep.id}`, { roleIds: [repRole, other] }],
        ['PATCH', `/api/members/${rep.id}`, { departmentIds: [] }],
        ['PATCH', `/api/members/${peer.id}`, { status: 'disabled' }],
        ['PUT', `/api/apps/${deals.appId}/admins`, { userIds: [rep.id] }],
        ['PUT', `/api/roles/${other}/members`, { userIds: [rep.id] }],
        ['PUT', `/api/departments/${sales}/members`, { userIds: [rep.id, peer.id] }],
        ['POST', '/api/roles', { name: 'self-made', userIds: [rep.id] }],
        ['POST', '/api/departments', { name: 'self-made', headUserId: rep.id }],
        ['PATCH', `/api/departments/${sales}`, { headUserId: rep.id }],
        ['POST', '/api/members', { name: 'Sock puppet', email: 'sock@example.com', password: 'sock-password-1', isAdmin: true }],
        ['POST', `/api/members/${peer.id}/reset-password`, { password: 'taken-over-1' }],
      ];
      const acl2 = await org.aclVersion();
      for (const [method, path, body] of attempts) {
        const res = await c.request(method, path, body);
        expect({ route: `${method} ${path}`, status: res.status, code: res.body?.code }, JSON.stringify(res.body)).toEqual({
          route: `${method} ${path}`,
          status: 403,
          code: 'FORBIDDEN',
        });
      }
      expect(await org.aclVersion(), 'no organisation change happened').toBe(acl2);
      expect(acl2).toBeGreaterThan(acl);
      const mine = await org.db.query<{ k: string; id: string }>(
        "SELECT 'r' AS k, role_id AS id FROM role_members WHERE user_id = ? UNION ALL SELECT 'd' AS k, department_id AS id FROM department_members WHERE user_id = ? UNION ALL SELECT 'a' AS k, app_id AS id FROM app_admins WHERE user_id = ?",
        [rep.id, rep.id, rep.id],
      );
      expect(mine.map((r) => `${r.k}:${r.id}`).sort()).toEqual([`d:${sales}`, `r:${repRole}`].sort());
      const users = await org.db.query<{ is_admin: number; status: string }>('SELECT is_admin, status FROM users WHERE id IN (?, ?)', [rep.id, peer.id]);
      expect(users.map((u) => [Number(u.is_admin), u.status])).toEqual([
        [0, 'active'],
        [0, 'active'],
      ]);
      expect((await api.client().login(peer.email, 'taken-over-1')).status).toBe(401);
      expect((await c.get(recs())).body.items.map((r: any) => r.id).sort()).toEqual([d.mine1, d.mine2].sort());
    });
  });

  describe('disabled members and revoked tokens stop at once', () => {
    it('disabling a member (PATCH /api/members/:id) ends their session and tokens on the next request', async () => {
      const m = await org.member('Soon Disabled', { roles: [repRole] });
      const session = await org.login(m);
      const made = await session.post('/api/tokens', { name: 'integration' });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const token = api.client();
      token.bearer = made.body.token;
      expect((await session.get(recs())).status).toBe(200);
      expect((await token.get(recs())).status).toBe(200);
      const before = await snapshot();

      const off = await api.admin.patch(`/api/members/${m.id}`, { status: 'disabled' });
      expect(off.status, JSON.stringify(off.body)).toBe(200);
      expectProblem(await session.get(recs()), 401, 'UNAUTHENTICATED');
      expectProblem(await session.post(recs(), { title: 'after disable' }), 401, 'UNAUTHENTICATED');
      expectProblem(await token.get(recs()), 401, 'UNAUTHENTICATED');
      expectProblem(await token.post(recs(), { title: 'after disable' }), 401, 'UNAUTHENTICATED');
      expectProblem(await api.client().login(m.email, m.password), 401, 'INVALID_CREDENTIALS');
      expect(await snapshot()).toEqual(before);
    });

    it('a status flipped in the database is honoured on the next request too (no cached session)', async () => {
      const m = await org.member('Flipped', { roles: [repRole] });
      const session = await org.login(m);
      expect((await session.get(recs())).status).toBe(200);
      await org.setStatusInDb(m.id, 'disabled');
      expectProblem(await session.get(recs()), 401, 'UNAUTHENTICATED');
      expectProblem(await session.get('/api/auth/me'), 401, 'UNAUTHENTICATED');
    });

    it('a revoked token fails at once; a token never reaches beyond its member', async () => {
      const session = await org.login(rep);
      const made = await session.post('/api/tokens', { name: 'script' });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const token = api.client();
      token.bearer = made.body.token;
      expect((await token.get(recs())).body.items.map((r: any) => r.id).sort()).toEqual([d.mine1, d.mine2].sort());
      expectProblem(await token.get(rec(d.peers)), 404, 'RECORD_NOT_FOUND');
      const got = await token.get(rec(d.mine1));
      expect(got.body).not.toHaveProperty('salary');
      expectProblem(await token.get(`${recs()}${qs({ sort: '-salary' })}`), 403, 'FIELD_NOT_READABLE');
      expectProblem(await token.get(`/api/entities/${deals.id}/permission-groups`), 403, 'FORBIDDEN');
      expectProblem(await token.post(recs(), { title: 'x', ownerId: peer.id }), 403, 'FIELD_NOT_WRITABLE');
      expect((await session.delete(`/api/tokens/${made.body.id}`)).status).toBe(204);
      expectProblem(await token.get(recs()), 401, 'UNAUTHENTICATED');
    });
  });
});
