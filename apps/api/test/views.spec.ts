import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntity, startApi, type Client, type TestApi } from './support/harness';
import { OrgSeed } from './support/org';
import { expectProblem } from './support/problems';

/** Saved views: a member's own, or shared by an admin; config checked for shape. */
describe('saved views', () => {
  let api: TestApi;
  let deals: any;
  let rep: Client;
  let rep2: Client;
  const views = () => `/api/entities/${deals.id}/views`;
  const config = {
    columns: [{ key: 'title', width: 240 }, { key: 'account.name' }],
    sort: '-amount',
    filter: { '==': [{ var: 'stage' }, 'lead'] },
    search: 'acme',
    groupBy: 'stage',
  };

  beforeAll(async () => {
    api = await startApi();
    deals = await makeEntity(api.admin, [
      { key: 'title', label: 'Title', type: 'text' },
      { key: 'stage', label: 'Stage', type: 'select', settings: { options: [{ value: 'lead', label: 'Lead' }] } },
    ]);
    const org = await OrgSeed.of(api);
    const a = await org.member('Rep A');
    const b = await org.member('Rep B');
    expect((await api.admin.post(`/api/entities/${deals.id}/permission-groups`, { name: 'reps', preset: 'manage_own', members: [a.id, b.id] })).status).toBe(
      201,
    );
    rep = await org.login(a);
    rep2 = await org.login(b);
  });

  afterAll(async () => api?.close());

  it('a member saves their own views; others do not see them', async () => {
    const made = await rep.post(views(), { name: 'My leads', config });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ name: 'My leads', kind: 'table', shared: false, config });
    expect((await rep.get(views())).body.items.map((v: any) => v.name)).toEqual(['My leads']);
    expect((await rep2.get(views())).body.items).toEqual([]);
    expectProblem(await rep2.patch(`/api/views/${made.body.id}`, { name: 'x' }), 404, 'VIEW_NOT_FOUND');
    expectProblem(await rep2.delete(`/api/views/${made.body.id}`), 404, 'VIEW_NOT_FOUND');
    const renamed = await rep.patch(`/api/views/${made.body.id}`, { name: 'Leads', config: { ...config, sort: 'title' } });
    expect(renamed.body).toMatchObject({ name: 'Leads', config: { sort: 'title' } });
    expect((await rep.get(views())).body.items[0].config.sort).toBe('title');
    expectProblem(await rep.patch(`/api/views/${made.body.id}`, { shared: true }), 403, 'FORBIDDEN');
    expect((await rep.delete(`/api/views/${made.body.id}`)).status).toBe(204);
    expect((await rep.get(views())).body.items).toEqual([]);
  });

  it('admins share views with every member who sees the entity, listed first; members cannot change them', async () => {
    const own = await rep.post(views(), { name: 'Mine' });
    const shared = await api.admin.post(views(), { name: 'Pipeline', kind: 'kanban', shared: true, config: { kanban: { field: 'stage', sumField: null } } });
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);
    expect((await rep.get(views())).body.items.map((v: any) => [v.name, v.shared])).toEqual([
      ['Pipeline', true],
      ['Mine', false],
    ]);
    expect((await rep2.get(views())).body.items.map((v: any) => v.name)).toEqual(['Pipeline']);
    expectProblem(await rep.patch(`/api/views/${shared.body.id}`, { name: 'mine now' }), 403, 'FORBIDDEN');
    expectProblem(await rep.delete(`/api/views/${shared.body.id}`), 403, 'FORBIDDEN');
    expectProblem(await rep.post(views(), { name: 'Everyone', shared: true }), 403, 'FORBIDDEN');
    expect((await api.admin.patch(`/api/views/${shared.body.id}`, { name: 'Stages' })).body.name).toBe('Stages');
    await rep.delete(`/api/views/${own.body.id}`);
  });

  it('refuses bad settings, naming each path', async () => {
    const res = await rep.post(views(), {
      name: '',
      kind: 'gantt',
      config: { columns: [{ key: 'a b', width: 5 }], sort: 7, filter: { if: [1] }, colour: 'red' },
    });
    const body = expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(body.errors.map((e: any) => e.path).sort()).toEqual(
      ['/name', '/kind', '/config/columns/0/key', '/config/columns/0/width', '/config/sort', '/config/filter/if', '/config/colour'].sort(),
    );
    expectProblem(await rep.post(views(), { name: 'k', kind: 'kanban' }), 400, 'VALIDATION_FAILED');
    expectProblem(await rep.get(`/api/entities/00000000-0000-4000-8000-000000000000/views`), 404, 'ENTITY_NOT_FOUND');
  });
});
