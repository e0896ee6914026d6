import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntity, startApi, type Client, type TestApi } from './support/harness';
import { OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';

/** Global search under permissions, the recycle bin's bulk restore and purge, and the calendar's range listing. */
describe('staff: global search, recycle bin, calendar range', () => {
  let api: TestApi;
  let deals: any;
  let appId: string;
  let a: SeededMember;
  let b: SeededMember;
  let repA: Client;
  let repB: Client;
  let stranger: Client;
  const E = () => `/api/entities/${deals.id}`;
  const make = async (values: Record<string, unknown>) => {
    const res = await api.admin.post(`${E()}/records`, values);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as number;
  };

  beforeAll(async () => {
    api = await startApi();
    deals = await makeEntity(api.admin, [
      { key: 'title', label: 'Title', type: 'text' },
      { key: 'secret', label: 'Secret', type: 'text' },
      { key: 'notes', label: 'Notes', type: 'textarea' },
      { key: 'due', label: 'Due', type: 'date' },
      { key: 'at', label: 'Meeting', type: 'datetime' },
    ]);
    appId = deals.appId;
    const org = await OrgSeed.of(api);
    a = await org.member('Rep A');
    b = await org.member('Rep B');
    const s = await org.member('Stranger');
    // Rep A: own records, the secret hidden; Rep B: own records, every field.
    const g1 = await api.admin.post(`${E()}/permission-groups`, {
      name: 'A',
      members: [a.id],
      actions: ['view', 'create', 'edit', 'delete'],
      rowScope: { kind: 'own' },
      fields: { secret: { visible: false } },
    });
    expect(g1.status, JSON.stringify(g1.body)).toBe(201);
    expect((await api.admin.post(`${E()}/permission-groups`, { name: 'B', preset: 'manage_own', members: [b.id] })).status).toBe(201);
    repA = await org.login(a);
    repB = await org.login(b);
    stranger = await org.login(s);
  });

  afterAll(async () => api?.close());

  describe('global search', () => {
    let aAlpha: number;
    let bAlpha: number;
    let aZebra: number;
    let bZebra: number;
    beforeAll(async () => {
      aAlpha = await make({ title: 'Alpha deal of A', ownerId: a.id });
      bAlpha = await make({ title: 'Alpha deal of B', ownerId: b.id });
      aZebra = await make({ title: 'Plain A', secret: 'zebra code', ownerId: a.id });
      bZebra = await make({ title: 'Plain B', notes: 'the ZEBRA crossing', secret: 'zebra', ownerId: b.id });
    });
    const search = (c: Client, q: string, extra = '') => c.get(`/api/apps/${appId}/search?q=${encodeURIComponent(q)}${extra}`);

    it('finds only records the member may view, grouped by entity, with nothing but id, title and the matched fields', async () => {
      const res = await search(repA, 'alpha');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.groups).toEqual([
        { entityId: deals.id, entityName: 'Thing', items: [{ id: aAlpha, title: 'Alpha deal of A', matched: ['title'] }], nextCursor: null },
      ]);
      const bs = await search(repB, 'ALPHA');
      expect(bs.body.groups[0].items.map((h: any) => h.id)).toEqual([bAlpha]);
      const admin = await search(api.admin, 'alpha');
      expect(admin.body.groups[0].items.map((h: any) => h.id)).toEqual([bAlpha, aAlpha]);
    });

    it('never matches on a field the member cannot read', async () => {
      // A's own record has "zebra" only in the secret A may not read.
      expect((await search(repA, 'zebra')).body.groups).toEqual([]);
      const bs = await search(repB, 'zebra');
      expect(bs.body.groups[0].items).toEqual([{ id: bZebra, title: 'Plain B', matched: ['secret', 'notes'] }]);
      const admin = await search(api.admin, 'zebra code');
      expect(admin.body.groups[0].items).toEqual([{ id: aZebra, title: 'Plain A', matched: ['secret'] }]);
    });

    it('pages one entity with its cursor', async () => {
      const first = await search(api.admin, 'plain', '&limit=1');
      expect(first.body.groups[0].items.map((h: any) => h.id)).toEqual([bZebra]);
      const cursor = first.body.groups[0].nextCursor;
      expect(cursor).toEqual(expect.any(String));
      const next = await search(api.admin, 'plain', `&limit=1&entityId=${deals.id}&cursor=${encodeURIComponent(cursor)}`);
      expect(next.body.groups[0]).toMatchObject({ items: [{ id: aZebra }], nextCursor: null });
    });

    it('refuses bad input and hides the app from a stranger', async () => {
      const empty = expectProblem(await search(repA, '  '), 400, 'INVALID_REQUEST');
      expect(empty.errors[0].path).toBe('/q');
      expect(expectProblem(await search(repA, 'x', '&limit=500'), 400, 'INVALID_REQUEST').errors[0].path).toBe('/limit');
      expectProblem(await search(repA, 'x', '&cursor=abc'), 400, 'INVALID_REQUEST');
      expectProblem(await search(repA, 'x', '&entityId=nope'), 404, 'ENTITY_NOT_FOUND');
      expectProblem(await search(stranger, 'alpha'), 404, 'APP_NOT_FOUND');
    });
  });

  describe('recycle bin', () => {
    it('lists who deleted what and when; bulk restore and purge act on the member’s own and report the rest', async () => {
      const a1 = await make({ title: 'bin a1', ownerId: a.id });
      const a2 = await make({ title: 'bin a2', ownerId: a.id });
      const live = await make({ title: 'live a3', ownerId: a.id });
      const b1 = await make({ title: 'bin b1', ownerId: b.id });
      for (const [c, id] of [
        [repA, a1],
        [repA, a2],
        [repB, b1],
      ] as const)
        expect((await c.delete(`${E()}/records/${id}`)).status).toBe(204);
      const bin = await repA.get(`${E()}/recycle-bin`);
      expect(bin.body.items.map((r: any) => r.id).sort()).toEqual([a1, a2].sort());
      expect(bin.body.items[0]).toMatchObject({ deletedBy: a.id, deletedAt: expect.any(String) });

      const restored = await repA.post(`${E()}/recycle-bin/restore`, { ids: [a1, b1, live] });
      expect(restored.status, JSON.stringify(restored.body)).toBe(200);
      expect(restored.body.ids).toEqual([a1]);
      expect(restored.body.failed).toEqual([
        { id: b1, code: 'RECORD_NOT_FOUND', detail: expect.any(String) },
        { id: live, code: 'NOT_IN_RECYCLE_BIN', detail: expect.any(String) },
      ]);
      expect((await repA.get(`${E()}/records/${a1}`)).body.title).toBe('bin a1');
      // B's record stays in B's bin.
      expect((await repB.get(`${E()}/recycle-bin`)).body.items.map((r: any) => r.id)).toContain(b1);

      const purged = await repA.post(`${E()}/recycle-bin/purge`, { ids: [a2, b1] });
      expect(purged.body).toMatchObject({ ids: [a2], failed: [{ id: b1, code: 'RECORD_NOT_FOUND' }] });
      expectProblem(await api.admin.get(`${E()}/records/${a2}`), 404, 'RECORD_NOT_FOUND');
      expectProblem(await api.admin.post(`${E()}/records/${a2}/restore`), 404, 'RECORD_NOT_FOUND');
      expect((await api.admin.get(`${E()}/recycle-bin`)).body.items.map((r: any) => r.id)).toEqual([b1]);
      const history = await api.admin.get(`${E()}/records/${a2}/history`);
      expect(history.body.items.map((h: any) => h.action)).toContain('purge');
    });

    it('refuses a bad list of ids', async () => {
      for (const body of [{}, { ids: [] }, { ids: ['1'] }, { ids: Array.from({ length: 201 }, (_, i) => i + 1) }])
        expect(expectProblem(await repA.post(`${E()}/recycle-bin/purge`, body), 400, 'INVALID_REQUEST').errors[0].path).toBe('/ids');
    });

    it('a member without delete cannot purge', async () => {
      const id = await make({ title: 'viewer cannot purge', ownerId: a.id });
      await api.admin.delete(`${E()}/records/${id}`);
      expectProblem(await stranger.post(`${E()}/recycle-bin/purge`, { ids: [id] }), 404, 'ENTITY_NOT_FOUND');
      expect((await api.admin.get(`${E()}/recycle-bin`)).body.items.map((r: any) => r.id)).toContain(id);
    });
  });

  describe('calendar range listing', () => {
    it('lists only the records whose date or date-time falls in the visible range', async () => {
      const ids: Record<string, number> = {};
      for (const [name, due, at] of [
        ['mar31', '2026-03-31', '2026-03-31T15:59:00.000Z'],
        ['apr01', '2026-04-01', '2026-03-31T16:00:00.000Z'],
        ['apr30', '2026-04-30', '2026-04-30T15:59:00.000Z'],
        ['may01', '2026-05-01', '2026-04-30T16:00:00.000Z'],
      ])
        ids[name] = await make({ title: `cal ${name}`, due, at, ownerId: a.id });
      const list = async (filter: unknown) => {
        const res = await repA.post(`${E()}/records/query`, { filter, sort: 'id', limit: 200 });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.items.map((r: any) => r.id);
      };
      // April by the date field: whole days, no time zone.
      const byDate = await list({ and: [{ '>=': [{ var: 'due' }, '2026-04-01'] }, { '<': [{ var: 'due' }, '2026-05-01'] }] });
      expect(byDate).toEqual([ids.apr01, ids.apr30]);
      // April in Asia/Shanghai (UTC+8) by the date-time field: the range's instants in UTC.
      const byTime = await list({ and: [{ '>=': [{ var: 'at' }, '2026-03-31T16:00:00.000Z'] }, { '<': [{ var: 'at' }, '2026-04-30T16:00:00.000Z'] }] });
      expect(byTime).toEqual([ids.apr01, ids.apr30]);
      // A date moved by the calendar through the normal write path lands on that day.
      const rec = (await repA.get(`${E()}/records/${ids.mar31}`)).body;
      const moved = await repA.patch(`${E()}/records/${ids.mar31}`, { version: rec.version, due: '2026-04-15' });
      expect(moved.body.due).toBe('2026-04-15');
      expect(await list({ and: [{ '>=': [{ var: 'due' }, '2026-04-01'] }, { '<': [{ var: 'due' }, '2026-05-01'] }] })).toEqual([
        ids.mar31,
        ids.apr01,
        ids.apr30,
      ]);
    });
  });
});
