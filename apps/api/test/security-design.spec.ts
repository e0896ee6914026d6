import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startApi, type TestApi } from './support/harness';
import { OrgSeed } from './support/org';
import { expectProblem } from './support/problems';

/** Issue 8, hole 7: a relation picker filter is checked when the field is saved, as the options route checks it. */
describe('relation picker filters are checked at design time (hole 7)', () => {
  let api: TestApi;
  let admin: Client;
  let target: any;
  let source: any;
  const fieldsOf = async (id: string) => (await admin.get(`/api/entities/${id}`)).body.fields.map((f: any) => f.key);

  beforeAll(async () => {
    api = await startApi();
    admin = api.admin;
    const app = (await admin.post('/api/apps', { key: 'picker_sec', name: 'Picker' })).body;
    target = (await admin.post(`/api/apps/${app.id}/entities`, { key: 'target', name: 'Target', fields: [{ key: 'name', label: 'Name', type: 'text' }] })).body;
    source = (await admin.post(`/api/apps/${app.id}/entities`, { key: 'source', name: 'Source', fields: [{ key: 'title', label: 'Title', type: 'text' }] }))
      .body;
  });
  afterAll(async () => api?.close());

  it('an unknown operation is refused when the field is added or changed, naming the filter; nothing is saved', async () => {
    for (const filter of [{ exec: [1] }, { and: [{ '==': [{ var: 'name' }, '$form.title'] }, { exec: [{ var: 'name' }] }] }]) {
      const res = await admin.post(`/api/entities/${source.id}/fields`, {
        key: 'pick',
        label: 'Pick',
        type: 'relation',
        settings: { targetEntityId: target.id, filter },
      });
      const p = expectProblem(res, 400, 'INVALID_SETTINGS');
      expect(p.errors[0].path).toBe('/settings/filter');
      expect(p.detail).toContain('"pick"');
    }
    expect(await fieldsOf(source.id)).toEqual(['title']);

    const ok = await admin.post(`/api/entities/${source.id}/fields`, {
      key: 'pick',
      label: 'Pick',
      type: 'relation',
      settings: { targetEntityId: target.id, filter: { '==': [{ var: 'name' }, '$form.title'] } },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const changed = await admin.patch(`/api/entities/${source.id}/fields/pick`, { settings: { targetEntityId: target.id, filter: { exec: [1] } } });
    expectProblem(changed, 400, 'INVALID_SETTINGS');
    // The saved field still answers its options.
    expect((await admin.get(`/api/entities/${source.id}/fields/pick/options?values=${encodeURIComponent('{"title":"x"}')}`)).status).toBe(200);
  });
});

/**
 * Issue 8, hole 2: a design-time reference to another entity is checked against what the designer
 * may read, and a data linkage at run time against what the acting member may read.
 */
describe('references to other entities follow the designer’s and the member’s reach (hole 2)', () => {
  let api: TestApi;
  let org: OrgSeed;
  let appA: any;
  let appB: any;
  let mine: any;
  let theirs: any;
  let designer: Client;
  let staff: Client;
  let peeker: Client;
  const SECRET = 'B-SECRET-7731';
  const form = (url: string) => `/api/entities/${url}/form`;
  const linkage = (over: Record<string, unknown> = {}) => ({
    fields: {
      copy: { default: { kind: 'linkage', entityId: theirs.id, condition: { '==': [{ var: 'code' }, '$form.title'] }, valueField: 'secret', ...over } },
    },
  });

  beforeAll(async () => {
    api = await startApi();
    org = await OrgSeed.of(api);
    const admin = api.admin;
    appA = (await admin.post('/api/apps', { key: 'ref_a', name: 'A' })).body;
    appB = (await admin.post('/api/apps', { key: 'ref_b', name: 'B' })).body;
    mine = (
      await admin.post(`/api/apps/${appA.id}/entities`, {
        key: 'mine',
        name: 'Mine',
        fields: [
          { key: 'title', label: 'Title', type: 'text' },
          { key: 'copy', label: 'Copy', type: 'text' },
        ],
      })
    ).body;
    theirs = (
      await admin.post(`/api/apps/${appB.id}/entities`, {
        key: 'theirs',
        name: 'Theirs',
        fields: [
          { key: 'code', label: 'Code', type: 'text' },
          { key: 'secret', label: 'Secret', type: 'text' },
          { key: 'amount', label: 'Amount', type: 'number' },
        ],
      })
    ).body;
    const back = await admin.post(`/api/entities/${theirs.id}/fields`, {
      key: 'to_mine',
      label: 'To mine',
      type: 'relation',
      settings: { targetEntityId: mine.id },
    });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect((await admin.post(`/api/entities/${theirs.id}/records`, { code: 'k1', secret: SECRET, amount: 1000 })).status).toBe(201);

    const d = await org.member('Designer of A');
    await org.setAppAdmins(appA.id, [d.id]);
    designer = await org.login(d);
    const s = await org.member('Staff of A');
    const p = await org.member('Peeker');
    expect((await admin.post(`/api/entities/${mine.id}/permission-groups`, { preset: 'manage_all', members: [s.id, p.id] })).status).toBe(201);
    // The peeker may view B's records, but not the secret.
    expect(
      (await admin.post(`/api/entities/${theirs.id}/permission-groups`, { preset: 'view_all', members: [p.id], fields: { secret: { visible: false } } }))
        .status,
    ).toBe(201);
    staff = await org.login(s);
    peeker = await org.login(p);
  });
  afterAll(async () => api?.close());

  it('the admin of app A cannot save a linkage, relation or rollup into app B (refused as unknown, naming the field)', async () => {
    expectProblem(await designer.get(`/api/entities/${theirs.id}`), 404, 'ENTITY_NOT_FOUND');
    const saved = expectProblem(await designer.request('PUT', form(mine.id), linkage()), 400, 'INVALID_FORM');
    expect(saved.errors.map((e: any) => [e.path, e.code])).toEqual([['/fields/copy/default/entityId', 'unknown_entity']]);
    expect(JSON.stringify(saved)).not.toContain('Theirs');

    const rel = expectProblem(
      await designer.post(`/api/entities/${mine.id}/fields`, { key: 'peek', label: 'Peek', type: 'relation', settings: { targetEntityId: theirs.id } }),
      400,
      'INVALID_SETTINGS',
    );
    expect(rel.errors[0].path).toBe('/settings/targetEntityId');
    expect(rel.detail).toContain('"peek"');

    const roll = expectProblem(
      await designer.post(`/api/entities/${mine.id}/fields`, {
        key: 'total',
        label: 'Total',
        type: 'rollup',
        settings: { sourceEntityId: theirs.id, relationField: 'to_mine', aggregate: 'sum', field: 'amount' },
      }),
      400,
      'INVALID_SETTINGS',
    );
    expect(roll.errors[0].path).toBe('/settings/sourceEntityId');
    expect(roll.detail).toContain('"total"');
    expect((await api.admin.get(`/api/entities/${mine.id}`)).body.fields.map((f: any) => f.key)).toEqual(['title', 'copy']);
  });

  it('a workspace admin’s linkage gives staff who cannot read the target no value, and hides what they may not read', async () => {
    expect((await api.admin.request('PUT', form(mine.id), linkage())).status).toBe(200);
    expect((await api.admin.post(`${form(mine.id)}/publish`)).status).toBe(200);
    const recs = `/api/entities/${mine.id}/records`;
    // The admin reads B: the linkage fills the value (so the lookup works).
    expect((await api.admin.post(recs, { title: 'k1' })).body.copy).toBe(SECRET);
    // Staff of A cannot read B at all; the peeker can view B but not its secret.
    for (const c of [staff, peeker]) {
      const res = await c.post(recs, { title: 'k1' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.copy ?? null).toBeNull();
      expect((await api.admin.get(`${recs}/${res.body.id}`)).body.copy ?? null).toBeNull();
    }
  });

  it('a designer who may view the other entity but not a field of it cannot filter, show or aggregate by that field', async () => {
    const h = await org.member('Half-sighted designer');
    await org.setAppAdmins(appA.id, [h.id]);
    expect(
      (await api.admin.post(`/api/entities/${theirs.id}/permission-groups`, { preset: 'view_all', members: [h.id], fields: { secret: { visible: false } } }))
        .status,
    ).toBe(201);
    const half = await org.login(h);
    const add = (body: unknown) => half.post(`/api/entities/${mine.id}/fields`, body);
    const rel = (settings: Record<string, unknown>) => ({
      key: 'pick_b',
      label: 'Pick B',
      type: 'relation',
      settings: { targetEntityId: theirs.id, ...settings },
    });
    const byFilter = expectProblem(await add(rel({ filter: { '==': [{ var: 'secret' }, 'x'] } })), 400, 'INVALID_SETTINGS');
    expect(byFilter.errors[0]).toMatchObject({ path: '/settings/filter', code: 'unknown_field' });
    const shown = expectProblem(await add(rel({ displayFields: ['secret'] })), 400, 'INVALID_SETTINGS');
    expect(shown.errors[0].path).toBe('/settings/displayFields/0');
    const rollup = (settings: Record<string, unknown>) => ({
      key: 'sum_b',
      label: 'Sum B',
      type: 'rollup',
      settings: { sourceEntityId: theirs.id, relationField: 'to_mine', aggregate: 'sum', field: 'amount', ...settings },
    });
    const cond = expectProblem(await add(rollup({ condition: { '==': [{ var: 'secret' }, 'x'] } })), 400, 'INVALID_SETTINGS');
    expect(cond.errors[0]).toMatchObject({ path: '/settings/condition', code: 'unknown_field' });
    // What they may read they may use.
    expect((await add(rel({ filter: { '==': [{ var: 'code' }, 'k1'] }, displayFields: ['code'] }))).status).toBe(201);
    expect((await add(rollup({}))).status).toBe(201);
  });
});
