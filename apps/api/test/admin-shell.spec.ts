import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { Catalog } from './support/catalog';
import { OrgSeed } from './support/org';
import { expectProblem } from './support/problems';

/** The admin shell's API (issue 10): profile, apps' looks, order and trash, the navigation menu, entity settings. */
describe('admin shell API', () => {
  let api: TestApi;
  let org: OrgSeed;
  beforeAll(async () => {
    api = await startApi();
    org = await OrgSeed.of(api);
  });
  afterAll(async () => api?.close());

  const app = async (c: Client, key: string, extra: Record<string, unknown> = {}) => {
    const res = await c.post('/api/apps', { key, name: key.toUpperCase(), ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  it('keeps my name and language on my profile; refuses a language the UI does not have', async () => {
    const member = await org.member('Profile Person');
    const c = await org.login(member);
    expect((await c.get('/api/auth/me')).body.user.language).toBeNull();
    const bad = expectProblem(await c.patch('/api/auth/me', { language: 'fr' }), 400, 'VALIDATION_FAILED');
    expect(bad.errors[0].path).toBe('/language');
    expectProblem(await c.patch('/api/auth/me', { name: '' }), 400, 'VALIDATION_FAILED');
    expectProblem(await c.patch('/api/auth/me', { colour: 'red' }), 400, 'VALIDATION_FAILED');
    const ok = await c.patch('/api/auth/me', { name: 'Renamed Person', language: 'en' });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ name: 'Renamed Person', language: 'en' });
    // A new session (sign-in answer) and GET me agree; null goes back to "follow the browser".
    const again = await org.login(member);
    expect((await again.get('/api/auth/me')).body.user).toMatchObject({ name: 'Renamed Person', language: 'en' });
    expect((await c.patch('/api/auth/me', { language: null })).body.user.language).toBeNull();
  });

  it('gives apps an icon and colour, checks them, and keeps the order the admin chose', async () => {
    const a = await app(api.admin, 'looks_a', { icon: 'team', color: '#1677ff' });
    expect(a).toMatchObject({ icon: 'team', color: '#1677ff' });
    const b = await app(api.admin, 'looks_b');
    expect(b.position).toBeGreaterThan(a.position);
    const bad = expectProblem(await api.admin.patch(`/api/apps/${b.id}`, { color: 'blue', icon: 'No Spaces' }), 400, 'VALIDATION_FAILED');
    expect(bad.errors.map((e: any) => e.path).sort()).toEqual(['/color', '/icon']);
    expect((await api.admin.patch(`/api/apps/${b.id}`, { color: '#52c41a', icon: 'dollar' })).body).toMatchObject({ color: '#52c41a', icon: 'dollar' });

    const ids = (await api.admin.get('/api/apps')).body.items.map((x: any) => x.id);
    const reversed = [...ids].reverse();
    const put = await api.admin.request('PUT', '/api/apps/order', { appIds: reversed });
    expect(put.status).toBe(200);
    expect((await api.admin.get('/api/apps')).body.items.map((x: any) => x.id)).toEqual(reversed);
    // Not every app, an unknown id or a repeat is refused and changes nothing.
    const partial = expectProblem(await api.admin.request('PUT', '/api/apps/order', { appIds: reversed.slice(1) }), 400, 'VALIDATION_FAILED');
    expect(partial.errors[0].message).toContain('missing');
    expectProblem(await api.admin.request('PUT', '/api/apps/order', { appIds: [...reversed, reversed[0]] }), 400, 'VALIDATION_FAILED');
    expect((await api.admin.get('/api/apps')).body.items.map((x: any) => x.id)).toEqual(reversed);
  });

  it('deletes an app to the trash and restores it with its entities, but not the ones deleted before', async () => {
    const a = await app(api.admin, 'trashy');
    const keep = (await api.admin.post(`/api/apps/${a.id}/entities`, { key: 'keep', name: 'Keep', fields: [{ key: 'title', label: 'Title', type: 'text' }] }))
      .body;
    const gone = (await api.admin.post(`/api/apps/${a.id}/entities`, { key: 'gone', name: 'Gone', fields: [] })).body;
    await api.admin.post(`/api/entities/${keep.id}/records`, { title: 'survives' });
    expect((await api.admin.delete(`/api/entities/${gone.id}`)).status).toBe(204);
    await new Promise((r) => setTimeout(r, 5)); // a later deleted_at than the entity's own deletion
    expect((await api.admin.delete(`/api/apps/${a.id}`)).status).toBe(204);
    expect((await api.admin.get(`/api/apps/${a.id}`)).status).toBe(404);
    const trash = (await api.admin.get('/api/trash/apps')).body.items;
    expect(trash.map((x: any) => x.id)).toContain(a.id);
    expect(trash.find((x: any) => x.id === a.id).deletedAt).toBeTruthy();

    const restored = await api.admin.post(`/api/trash/apps/${a.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.id).toBe(a.id);
    expect((await api.admin.get('/api/trash/apps')).body.items.map((x: any) => x.id)).not.toContain(a.id);
    const entities = (await api.admin.get(`/api/apps/${a.id}/entities`)).body.items.map((e: any) => e.key);
    expect(entities).toEqual(['keep']);
    expect((await api.admin.get(`/api/entities/${keep.id}/records`)).body.items.map((r: any) => r.title)).toEqual(['survives']);
    expectProblem(await api.admin.post(`/api/trash/apps/${a.id}/restore`), 404, 'APP_NOT_FOUND');
  });

  it("deletes an app forever from the trash: its entities' tables are dropped; it needs its key, the trash, and no relations from other apps", async () => {
    const a = await app(api.admin, 'doomed');
    const items = (
      await api.admin.post(`/api/apps/${a.id}/entities`, { key: 'items', name: 'Items', fields: [{ key: 'title', label: 'Title', type: 'text' }] })
    ).body;
    const tags = (
      await api.admin.post(`/api/apps/${a.id}/entities`, {
        key: 'tags',
        name: 'Tags',
        fields: [
          { key: 'name', label: 'Name', type: 'text' },
          { key: 'items', label: 'Items', type: 'relation', settings: { targetEntityId: items.id, multiple: true } },
        ],
      })
    ).body;
    await api.admin.post(`/api/entities/${items.id}/records`, { title: 'gone soon' });
    const cat = new Catalog(api);
    const owned = [await cat.entityTable(items.id), await cat.entityTable(tags.id), (await cat.fieldPhysical(tags.id, 'items')).table!];
    for (const t of owned) expect(await cat.tableExists(t)).toBe(true);
    // An entity of another app relating to one of its entities (made while it is live).
    const outside = await makeEntity(api.admin, [{ key: 'item', label: 'Item', type: 'relation', settings: { targetEntityId: items.id } }]);
    // A live app is not in the trash.
    expectProblem(await api.admin.post(`/api/trash/apps/${a.id}/purge`, { key: 'doomed' }), 404, 'APP_NOT_FOUND');
    expect((await api.admin.delete(`/api/apps/${a.id}`)).status).toBe(204);
    // The key confirms it.
    const wrong = expectProblem(await api.admin.post(`/api/trash/apps/${a.id}/purge`, { key: 'other' }), 400, 'VALIDATION_FAILED');
    expect(wrong.errors[0]).toMatchObject({ path: '/key' });
    expect(wrong.errors[0].message).toContain('"doomed"');
    expectProblem(await api.admin.post(`/api/trash/apps/${a.id}/purge`, {}), 400, 'VALIDATION_FAILED');
    // That relation holds the purge back.
    const held = expectProblem(await api.admin.post(`/api/trash/apps/${a.id}/purge`, { key: 'doomed' }), 409, 'APP_REFERENCED');
    expect(held.detail).toContain('.item');
    expect((await api.admin.delete(`/api/entities/${outside.id}/fields/item`)).status).toBeLessThan(300);
    expect((await api.admin.post(`/api/entities/${outside.id}/fields/item/purge`)).status).toBeLessThan(300);

    expect((await api.admin.post(`/api/trash/apps/${a.id}/purge`, { key: 'doomed' })).status).toBe(204);
    // Both record tables and the relation's link table are gone.
    for (const t of owned) expect(await cat.tableExists(t), t).toBe(false);
    expect((await api.admin.get('/api/trash/apps')).body.items.map((x: any) => x.id)).not.toContain(a.id);
    expectProblem(await api.admin.post(`/api/trash/apps/${a.id}/restore`), 404, 'APP_NOT_FOUND');
    expect((await api.admin.get(`/api/entities/${items.id}`)).status).toBe(404);
  });

  it('stores the navigation menu, refuses entities of other apps, and shows members only what they may open', async () => {
    const a = await app(api.admin, 'menu');
    const mk = async (key: string) =>
      (await api.admin.post(`/api/apps/${a.id}/entities`, { key, name: key, fields: [{ key: 'title', label: 'T', type: 'text' }] })).body;
    const [one, two, three] = [await mk('one'), await mk('two'), await mk('three')];
    const foreign = await makeEntity(api.admin, []);
    const start = (await api.admin.get(`/api/apps/${a.id}/navigation`)).body;
    expect(start.groups).toEqual([{ id: 'unplaced', name: null, items: [one, two, three].map((e) => ({ kind: 'entity', id: e.id, name: e.key })) }]);

    const bad = await api.admin.request('PUT', `/api/apps/${a.id}/navigation`, {
      groups: [
        {
          id: 'g1',
          name: '',
          items: [
            { kind: 'entity', id: foreign.id },
            { kind: 'dashboard', id: 'x' },
          ],
        },
      ],
    });
    expect(expectProblem(bad, 400, 'VALIDATION_FAILED').errors.map((e: any) => e.path)).toEqual([
      '/groups/0/name',
      '/groups/0/items/0/id',
      '/groups/0/items/1/kind',
    ]);

    const menu = {
      groups: [
        { id: 'top', name: null, items: [{ kind: 'entity', id: three.id }] },
        { id: 'sales', name: 'Sales', items: [{ kind: 'entity', id: two.id }] },
      ],
    };
    const put = await api.admin.request('PUT', `/api/apps/${a.id}/navigation`, menu);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.groups.map((g: any) => [g.id, g.name, g.items.map((i: any) => i.name)])).toEqual([
      ['top', null, ['three']],
      ['sales', 'Sales', ['two']],
      ['unplaced', null, ['one']],
    ]);

    // A member whose group opens only "two" sees only it; an outsider of the app gets 404.
    const member = await org.member('Menu Reader');
    await api.admin.post(`/api/entities/${two.id}/permission-groups`, { preset: 'view_all', members: [member.id] });
    const mc = await org.login(member);
    const seen = (await mc.get(`/api/apps/${a.id}/navigation`)).body.groups;
    expect(seen.map((g: any) => [g.id, g.items.map((i: any) => i.id)])).toEqual([
      ['top', []],
      ['sales', [two.id]],
    ]);
    expectProblem(await mc.request('PUT', `/api/apps/${a.id}/navigation`, menu), 403, 'FORBIDDEN');
  });

  it('entity settings: title field, default sort used by lists, recycle-bin retention; bad values name the setting', async () => {
    const e = await makeEntity(api.admin, [
      { key: 'title', label: 'Title', type: 'text' },
      { key: 'amount', label: 'Amount', type: 'number' },
    ]);
    const bad = await api.admin.patch(`/api/entities/${e.id}`, { defaultSort: '-nope', recycleRetentionDays: 0 });
    expect(expectProblem(bad, 400, 'VALIDATION_FAILED').errors.map((x: any) => x.path)).toEqual(['/recycleRetentionDays']);
    expect(expectProblem(await api.admin.patch(`/api/entities/${e.id}`, { defaultSort: '-nope' }), 400, 'VALIDATION_FAILED').errors[0].path).toBe(
      '/defaultSort',
    );
    const ok = await api.admin.patch(`/api/entities/${e.id}`, { displayField: 'amount', defaultSort: '-amount', recycleRetentionDays: 30 });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ displayField: 'amount', defaultSort: '-amount', recycleRetentionDays: 30 });
    for (const [title, amount] of [
      ['small', 1],
      ['big', 9],
      ['mid', 5],
    ] as const)
      await api.admin.post(`/api/entities/${e.id}/records`, { title, amount });
    expect((await api.admin.get(`/api/entities/${e.id}/records`)).body.items.map((r: any) => r.title)).toEqual(['big', 'mid', 'small']);
    expect((await api.admin.get(`/api/entities/${e.id}/records?sort=title`)).body.items.map((r: any) => r.title)).toEqual(['big', 'mid', 'small'].sort());
    expect((await api.admin.patch(`/api/entities/${e.id}`, { defaultSort: null, recycleRetentionDays: null })).body).toMatchObject({
      defaultSort: null,
      recycleRetentionDays: null,
    });
  });
});
