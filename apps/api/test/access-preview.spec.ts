import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { MEMBER_PASSWORD, OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';

/**
 * "View as member" (GET /api/entities/:id/access-preview?memberId=): what the admin is shown
 * equals what the member then gets when signed in, because both run the same permission code.
 */
let api: TestApi;
let entity: any;
let rep: SeededMember;
let other: SeededMember;
let nobody: SeededMember;
let repClient: Client;
const ids: Record<string, number> = {};

beforeAll(async () => {
  api = await startApi();
  const org = await OrgSeed.of(api);
  const role = await org.role('Reps');
  rep = await org.member('Rep', { roles: [role] });
  other = await org.member('Other rep', { roles: [role] });
  nobody = await org.member('Nobody');
  entity = await makeEntity(api.admin, [
    { key: 'title', label: '标题', type: 'text' },
    { key: 'cost', label: 'Cost', type: 'number' },
  ]);
  const group = await api.admin.post(`/api/entities/${entity.id}/permission-groups`, {
    name: 'own records',
    roles: [role],
    actions: ['view', 'create', 'edit'],
    rowScope: { kind: 'own' },
    fields: { cost: { visible: false } },
  });
  expect(group.status).toBe(201);
  for (const [name, owner] of [
    ['mine', rep],
    ['theirs', other],
  ] as const) {
    const res = await api.admin.post(`/api/entities/${entity.id}/records`, { title: name, cost: 5, ownerId: owner.id });
    expect(res.status).toBe(201);
    ids[name] = res.body.id;
  }
  repClient = api.client();
  expect((await repClient.login(rep.email, MEMBER_PASSWORD)).status).toBe(200);
});

afterAll(() => api?.close());

describe('access preview', () => {
  it('shows the admin exactly what the member gets', async () => {
    const res = await api.admin.get(`/api/entities/${entity.id}/access-preview?memberId=${rep.id}`);
    expect(res.status).toBe(200);
    const p = res.body;
    expect(p.member).toMatchObject({ id: rep.id, name: 'Rep', isAdmin: false });
    expect(p.visible).toBe(true);
    expect(p.administers).toBe(false);
    expect(p.groups.map((g: any) => g.name)).toEqual(['own records']);
    const action = (a: string) => p.actions.find((x: any) => x.action === a);
    expect(action('view')).toEqual({ action: 'view', allowed: true, scope: { kind: 'terms', terms: [{ kind: 'own' }] } });
    expect(action('delete')).toMatchObject({ allowed: false, scope: { kind: 'none' } });
    expect(p.fields).toEqual([
      { key: 'title', label: '标题', readable: true, editableOnCreate: true, editableOnEdit: true },
      { key: 'cost', label: 'Cost', readable: false, editableOnCreate: false, editableOnEdit: false },
    ]);
    expect(p.records.count).toBe(1);
    expect(p.records.items.map((r: any) => r.id)).toEqual([ids.mine]);
    expect(p.records.items[0]).not.toHaveProperty('cost');

    const own = await repClient.get(`/api/entities/${entity.id}/records`);
    expect(own.status).toBe(200);
    expect(own.body.items.map((r: any) => r.id)).toEqual(p.records.items.map((r: any) => r.id));
    expect(own.body.items[0]).not.toHaveProperty('cost');
  });

  it('says so for a member without any group, and for an admin everything', async () => {
    const none = await api.admin.get(`/api/entities/${entity.id}/access-preview?memberId=${nobody.id}`);
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ visible: false, administers: false, groups: [], records: null });
    expect(none.body.actions.every((a: any) => !a.allowed)).toBe(true);
    const me = await api.admin.get('/api/auth/me');
    const admin = await api.admin.get(`/api/entities/${entity.id}/access-preview?memberId=${me.body.user.id}`);
    expect(admin.body).toMatchObject({ visible: true, administers: true });
    expect(admin.body.records.count).toBe(2);
  });

  it('refuses members, a missing memberId and an unknown member', async () => {
    expectProblem(await repClient.get(`/api/entities/${entity.id}/access-preview?memberId=${rep.id}`), 403, 'FORBIDDEN');
    const missing = expectProblem(await api.admin.get(`/api/entities/${entity.id}/access-preview`), 400, 'VALIDATION_FAILED');
    expect(missing.errors[0].path).toBe('/memberId');
    expectProblem(await api.admin.get(`/api/entities/${entity.id}/access-preview?memberId=00000000-0000-4000-8000-000000000000`), 404, 'MEMBER_NOT_FOUND');
    expectProblem(await api.admin.get(`/api/entities/${entity.id}/access-preview?memberId=${rep.id}&limit=0`), 400, 'INVALID_REQUEST');
  });
});
