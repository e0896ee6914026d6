import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntity, startApi, type Client, type TestApi } from './support/harness';
import { OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';

/** What the staff runtime asks before it shows an action (my-access) and the member pickers' server-side directory search. */
describe('my access and the directory search', () => {
  let api: TestApi;
  let deals: any;
  let hidden: any;
  let viewer: Client;
  let owner: Client;
  const ids: Record<string, string> = {};
  const seeded: Record<string, SeededMember> = {};

  beforeAll(async () => {
    api = await startApi();
    deals = await makeEntity(api.admin, [{ key: 'title', label: 'Title', type: 'text' }]);
    hidden = await makeEntity(api.admin, [{ key: 'title', label: 'Title', type: 'text' }]);
    const org = await OrgSeed.of(api);
    for (const name of ['Viola Viewer', 'Owen Owner', 'Zed 100%_sure', 'Yan 张']) {
      seeded[name] = await org.member(name);
      ids[name] = seeded[name].id;
    }
    const group = (name: string, preset: string, members: string[]) => api.admin.post(`/api/entities/${deals.id}/permission-groups`, { name, preset, members });
    expect((await group('viewers', 'view_all', [ids['Viola Viewer']])).status).toBe(201);
    expect((await group('owners', 'manage_own', [ids['Owen Owner']])).status).toBe(201);
    viewer = await org.login(seeded['Viola Viewer']);
    owner = await org.login(seeded['Owen Owner']);
  });

  afterAll(async () => api?.close());

  it('answers each member the actions their groups give them on the entity', async () => {
    const v = await viewer.get(`/api/entities/${deals.id}/my-access`);
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    expect(v.body).toEqual({
      administers: false,
      actions: {
        view: true,
        create: false,
        edit: false,
        delete: false,
        import: false,
        export: true,
        bulk_edit: false,
        print: true,
        view_all_instances: false,
        manage_instances: false,
      },
    });
    const o = (await owner.get(`/api/entities/${deals.id}/my-access`)).body;
    expect(o.actions).toMatchObject({ view: true, create: true, edit: true, delete: true, import: false, export: false });
    const admin = (await api.admin.get(`/api/entities/${deals.id}/my-access`)).body;
    expect(admin.administers).toBe(true);
    expect(Object.values(admin.actions).every(Boolean)).toBe(true);
    // An entity no group of theirs reaches does not exist for them.
    expectProblem(await viewer.get(`/api/entities/${hidden.id}/my-access`), 404, 'ENTITY_NOT_FOUND');
  });

  it('searches the member directory on the server by name or email, case-insensitively, a page at a time', async () => {
    const names = async (q: string) => (await viewer.get(`/api/members?q=${encodeURIComponent(q)}`)).body.items.map((m: any) => m.name);
    expect(await names('viola')).toEqual(['Viola Viewer']);
    expect(await names('OWEN')).toEqual(['Owen Owner']);
    expect(await names('张')).toEqual(['Yan 张']);
    // % and _ are themselves, not wildcards.
    expect(await names('100%_')).toEqual(['Zed 100%_sure']);
    expect(await names('0%s')).toEqual([]);
    const email = (await viewer.get(`/api/members/${ids['Owen Owner']}`)).body.email as string;
    expect(await names(email.toUpperCase())).toEqual(['Owen Owner']);

    const all = (await viewer.get('/api/members')).body;
    expect(all.nextCursor).toBeNull();
    const seen: string[] = [];
    let cursor = '';
    for (let i = 0; i < 20; i++) {
      const page = await viewer.get(`/api/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((m: any) => m.id));
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(all.items.map((m: any) => m.id));
    expect((await viewer.get('/api/members?status=active&q=viola')).body.items).toHaveLength(1);

    expectProblem(await viewer.get('/api/members?limit=0'), 400, 'INVALID_REQUEST');
    expectProblem(await viewer.get('/api/members?status=gone'), 400, 'INVALID_REQUEST');
    expectProblem(await viewer.get(`/api/members?q=${'x'.repeat(101)}`), 400, 'INVALID_REQUEST');
    expectProblem(await viewer.get('/api/members?cursor=junk'), 400, 'INVALID_CURSOR');
  });
});
