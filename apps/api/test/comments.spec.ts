import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { makeEntity, startApi, type Client, type TestApi } from './support/harness';
import { OrgSeed } from './support/org';
import { expectProblem } from './support/problems';
import { approval, oneStep } from './support/workflows';

/** Record comments: under the record's read permission, a size cap, @mentions notified through the job system. */
describe('record comments', () => {
  let api: TestApi;
  let db: Db;
  let deals: any;
  let ann: Client;
  let bob: Client;
  let cat: Client;
  let ids: { ann: string; bob: string; cat: string };
  let recordId: number;
  const comments = (id = recordId) => `/api/entities/${deals.id}/records/${id}/comments`;
  const count = async () => Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM record_comments'))[0].n);

  beforeAll(async () => {
    // With Redis the API only produces unless told to consume (docs/jobs.md): here it also sends the notifications.
    api = await startApi({ env: { JOBS_CONSUME: 'on' } });
    db = api.app.get(Db);
    deals = await makeEntity(api.admin, [{ key: 'title', label: 'Title', type: 'text' }]);
    const org = await OrgSeed.of(api);
    const a = await org.member('Ann');
    const b = await org.member('Bob');
    const c = await org.member('Cat');
    ids = { ann: a.id, bob: b.id, cat: c.id };
    const group = (name: string, preset: string, members: string[]) => api.admin.post(`/api/entities/${deals.id}/permission-groups`, { name, preset, members });
    expect((await group('own', 'manage_own', [a.id, b.id])).status).toBe(201);
    expect((await group('all', 'manage_all', [c.id])).status).toBe(201);
    [ann, bob, cat] = [await org.login(a), await org.login(b), await org.login(c)];
    const rec = await ann.post(`/api/entities/${deals.id}/records`, { title: 'Ann’s deal' });
    expect(rec.status, JSON.stringify(rec.body)).toBe(201);
    recordId = rec.body.id;
  });

  afterAll(async () => api?.close());

  it('a member who may read the record comments and @mentions another; the mentioned member is notified once, linking to the record', async () => {
    const made = await ann.post(comments(), { body: 'Please check the amount, @Cat', mentions: [ids.cat, ids.cat] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ authorId: ids.ann, body: 'Please check the amount, @Cat', mentions: [ids.cat] });
    let mine: any[] = [];
    for (let i = 0; i < 200 && !mine.length; i++) {
      mine = (await cat.get('/api/notifications')).body.items.filter((n: any) => n.kind === 'mentioned');
      if (!mine.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      sourceType: 'record_comment',
      sourceId: made.body.id,
      readAt: null,
      data: { commentId: made.body.id, appId: deals.appId, entityId: deals.id, recordId, authorId: ids.ann },
    });
    expect((await ann.get('/api/notifications')).body.items.filter((n: any) => n.kind === 'mentioned')).toEqual([]);
    const listed = await cat.get(comments());
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: any) => c.body)).toEqual(['Please check the amount, @Cat']);
  });

  it('a member who cannot read the record gets 404 on every comment route, and nothing changes', async () => {
    const own = (await ann.get(comments())).body.items[0];
    const before = await count();
    expectProblem(await bob.get(comments()), 404, 'RECORD_NOT_FOUND');
    expectProblem(await bob.post(comments(), { body: 'let me in', mentions: [ids.ann] }), 404, 'RECORD_NOT_FOUND');
    expectProblem(await bob.delete(`${comments()}/${own.id}`), 404, 'RECORD_NOT_FOUND');
    expectProblem(await ann.get(comments(999_999)), 404, 'RECORD_NOT_FOUND');
    expect(await count()).toBe(before);
    expect((await ann.get('/api/notifications')).body.items.filter((n: any) => n.kind === 'mentioned')).toEqual([]);
  });

  it('refuses a comment over the size cap, an empty one and an unknown mention, naming what is wrong', async () => {
    const before = await count();
    const big = expectProblem(await ann.post(comments(), { body: 'x'.repeat(4001) }), 400, 'VALIDATION_FAILED');
    expect(big.errors[0]).toMatchObject({ path: '/body' });
    expect(big.errors[0].message).toMatch(/at most 4000 characters; this one has 4001/);
    expect((await ann.post(comments(), { body: 'y'.repeat(4000) })).status).toBe(201);
    expect(expectProblem(await ann.post(comments(), { body: '   ' }), 400, 'VALIDATION_FAILED').errors[0].path).toBe('/body');
    const unknown = expectProblem(await ann.post(comments(), { body: 'hi', mentions: ['not-a-member'] }), 400, 'VALIDATION_FAILED');
    expect(unknown.errors[0]).toMatchObject({ path: '/mentions/0' });
    expect(await count()).toBe(before + 1);
  });

  it('refuses a mention of a member who cannot read the record, naming them, and stores and notifies nothing', async () => {
    const before = await count();
    const refused = expectProblem(await ann.post(comments(), { body: 'hi @Cat and @Bob', mentions: [ids.cat, ids.bob] }), 400, 'VALIDATION_FAILED');
    expect(refused.errors).toEqual([{ path: '/mentions/1', code: 'cannot_read', message: 'mentions: Bob cannot see this record' }]);
    expect(refused.detail).toMatch(/^Bob cannot see this record: remove the mention/);
    expect(await count()).toBe(before);
    await new Promise((r) => setTimeout(r, 300));
    expect((await bob.get('/api/notifications')).body.items.filter((n: any) => n.kind === 'mentioned')).toEqual([]);
    // Mentioning oneself needs no check; a member who may read it is still fine.
    expect((await ann.post(comments(), { body: 'note to self @Ann', mentions: [ids.ann, ids.cat] })).status).toBe(201);
  });

  it('offers for @mention only the members who can read the record, searched on the server', async () => {
    const names = async (c: Client, q = '') => (await c.get(`${comments()}/mentionable?q=${encodeURIComponent(q)}`)).body.items.map((m: any) => m.name);
    const forAnn = await names(ann);
    expect(forAnn).toContain('Cat');
    expect(forAnn).not.toContain('Bob'); // own records only: Ann's deal is not his
    expect(forAnn).not.toContain('Ann'); // not oneself
    expect(await names(ann, 'CA')).toEqual(['Cat']);
    expect(await names(ann, 'nobody-is-called-this')).toEqual([]);
    expect(await names(cat, 'ann')).toEqual(['Ann']);
    expectProblem(await bob.get(`${comments()}/mentionable`), 404, 'RECORD_NOT_FOUND');
  });

  it('only the author deletes a comment', async () => {
    const made = (await cat.post(comments(), { body: 'from Cat' })).body;
    expectProblem(await ann.delete(`${comments()}/${made.id}`), 403, 'FORBIDDEN');
    expect((await cat.get(comments())).body.items.map((c: any) => c.id)).toContain(made.id);
    expect((await cat.delete(`${comments()}/${made.id}`)).status).toBe(204);
    expect((await cat.get(comments())).body.items.map((c: any) => c.id)).not.toContain(made.id);
    expectProblem(await cat.delete(`${comments()}/${made.id}`), 404, 'NOT_FOUND');
  });

  it('pages comments oldest first with a keyset cursor', async () => {
    const all = (await ann.get(`${comments()}?limit=200`)).body.items.map((c: any) => c.id);
    const first = await ann.get(`${comments()}?limit=1`);
    expect(first.body.items.map((c: any) => c.id)).toEqual(all.slice(0, 1));
    const rest = await ann.get(`${comments()}?limit=200&cursor=${first.body.nextCursor}`);
    expect(rest.body.items.map((c: any) => c.id)).toEqual(all.slice(1));
    expectProblem(await ann.get(`${comments()}?cursor=junk`), 400, 'INVALID_CURSOR');
  });
});

/** The record page asks the inbox for one record's items: `recordId` (with `entityId`) narrows every box to that record. */
describe('inbox of one record', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ env: { JOBS_CONSUME: 'on' } });
  });
  afterAll(async () => api?.close());

  it('lists the open task and the started instance of that record only', async () => {
    const deals = await makeEntity(api.admin, [{ key: 'title', label: 'Title', type: 'text' }]);
    const org = await OrgSeed.of(api);
    const rep = await org.member('Rep');
    const boss = await org.member('Boss');
    expect(
      (await api.admin.post(`/api/entities/${deals.id}/permission-groups`, { name: 'all', preset: 'manage_all', members: [rep.id, boss.id] })).status,
    ).toBe(201);
    const wf = await api.admin.post(`/api/entities/${deals.id}/workflows`, {
      name: 'Approve',
      graph: oneStep(approval([{ kind: 'members', ids: [boss.id] }])),
    });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    expect((await api.admin.post(`/api/workflows/${wf.body.id}/publish`)).status).toBe(200);
    const [repC, bossC] = [await org.login(rep), await org.login(boss)];
    const one = (await repC.post(`/api/entities/${deals.id}/records`, { title: 'one' })).body.id;
    const two = (await repC.post(`/api/entities/${deals.id}/records`, { title: 'two' })).body.id;
    const box = async (c: Client, b: string, recordId: number) =>
      (await c.get(`/api/workflow-inbox?box=${b}&entityId=${deals.id}&recordId=${recordId}`)).body.items.map((i: any) => i.recordId);
    await expect.poll(async () => (await bossC.get('/api/workflow-inbox?box=todo')).body.items.length, { timeout: 10_000 }).toBe(2);
    expect(await box(bossC, 'todo', one)).toEqual([one]);
    expect(await box(bossC, 'todo', two)).toEqual([two]);
    expect(await box(repC, 'started', one)).toEqual([one]);
    expect(await box(repC, 'todo', one)).toEqual([]);
    expectProblem(await bossC.get(`/api/workflow-inbox?box=todo&entityId=${deals.id}&recordId=zero`), 400, 'INVALID_REQUEST');
  });
});
