import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntity, startApi, type Client, type TestApi } from './support/harness';
import { OrgSeed } from './support/org';
import { expectProblem } from './support/problems';
import { qs } from './support/records';

type Rec = Record<string, any>;
const v = (key: string) => ({ var: key });
const opts = (...values: string[]) => values.map((value) => ({ value, label: value }));

/** Filter and sort through a single relation (`account.name`), under the target entity's permissions. */
describe('records: filter and sort by a related record field', () => {
  let api: TestApi;
  let accounts: any;
  let deals: any;
  const acc: Record<string, number> = {};
  const deal: Rec[] = [];
  const url = (e: any, rest = '') => `/api/entities/${e.id}/records${rest}`;

  /** Every id of the list in order, walking the cursor in pages of `limit`. */
  async function walk(c: Client, params: Record<string, unknown>, limit = 2): Promise<number[]> {
    const ids: number[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const res = await c.get(url(deals, qs({ ...params, limit, cursor })));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      ids.push(...res.body.items.map((r: Rec) => r.id));
      if (!res.body.nextCursor) return ids;
      cursor = res.body.nextCursor;
    }
    throw new Error('too many pages');
  }

  beforeAll(async () => {
    api = await startApi();
    accounts = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text' },
      { key: 'tier', label: 'Tier', type: 'select', settings: { options: opts('gold', 'silver') } },
    ]);
    for (const [name, tier] of [
      ['globex', 'gold'],
      ['acme', 'silver'],
      ['initech', 'gold'],
    ])
      acc[name] = (await api.admin.post(url(accounts), { name, tier })).body.id;
    deals = await makeEntity(api.admin, [
      { key: 'title', label: 'Title', type: 'text' },
      { key: 'amount', label: 'Amount', type: 'number' },
      { key: 'account', label: 'Account', type: 'relation', settings: { targetEntityId: accounts.id } },
      { key: 'partners', label: 'Partners', type: 'relation', settings: { targetEntityId: accounts.id, multiple: true } },
    ]);
    const rows: [string, number, string | null][] = [
      ['d1', 10, 'acme'],
      ['d2', 20, 'globex'],
      ['d3', 30, 'initech'],
      ['d4', 40, 'acme'],
      ['d5', 50, null],
      ['d6', 60, 'globex'],
      ['d7', 70, 'acme'],
    ];
    for (const [title, amount, a] of rows) {
      const res = await api.admin.post(url(deals), { title, amount, account: a ? acc[a] : null });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      deal.push({ id: res.body.id, title, amount, account: a });
    }
  });

  afterAll(async () => api?.close());

  const ids = (pred: (d: Rec) => boolean) => deal.filter(pred).map((d) => d.id);
  /** Expected order: account name (NULL lowest), then id in the direction of the last key. */
  const byName = (desc: boolean) =>
    [...deal]
      .sort((x, y) => {
        const a = x.account ?? '';
        const b = y.account ?? '';
        const c = a === b ? x.id - y.id : a < b ? -1 : 1;
        return desc ? -c : c;
      })
      .map((d) => d.id);

  it('filters by the related record name, in lists and counts', async () => {
    const filter = { '==': [v('account.name'), 'acme'] };
    expect(await walk(api.admin, { filter, sort: 'id' })).toEqual(ids((d) => d.account === 'acme'));
    const count = await api.admin.get(url(deals, `/count${qs({ filter })}`));
    expect(count.body).toEqual({ count: 3, capped: false });
    const combined = { and: [{ in: [v('account.tier'), ['gold']] }, { '>': [v('amount'), 25] }] };
    expect(await walk(api.admin, { filter: combined, sort: 'id' })).toEqual(ids((d) => ['globex', 'initech'].includes(d.account) && d.amount > 25));
    expect(await walk(api.admin, { filter: { is_empty: [v('account.name')] }, sort: 'id' })).toEqual(ids((d) => d.account === null));
  });

  it('sorts by the related record name across keyset pages, both directions', async () => {
    expect(await walk(api.admin, { sort: 'account.name' })).toEqual(byName(false));
    expect(await walk(api.admin, { sort: '-account.name' })).toEqual(byName(true));
    const first = await api.admin.get(url(deals, qs({ sort: 'account.name,-amount', limit: 3, expand: 'account' })));
    expect(first.status).toBe(200);
    expect(first.body.items.map((r: Rec) => r.expand.account?.name ?? null)).toEqual([null, 'acme', 'acme']);
    expect(first.body.items.map((r: Rec) => r.amount)).toEqual([50, 70, 40]);
    // The joined column never leaks into the record.
    expect(Object.keys(first.body.items[0]).some((k) => k.startsWith('j0'))).toBe(false);
  });

  it('a renamed related record moves in the sort at once', async () => {
    const res = await api.admin.patch(url(accounts, `/${acc.globex}`), { version: 1, name: 'aaa globex' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const order = await walk(api.admin, { sort: 'account.name', filter: { '!=': [v('account.name'), null] } }, 10);
    expect(order.slice(0, 2)).toEqual(ids((d) => d.account === 'globex'));
    await api.admin.patch(url(accounts, `/${acc.globex}`), { version: 2, name: 'globex' });
  });

  it('refuses paths that name nothing followable, saying what is wrong', async () => {
    const list = (filter: unknown, sort?: string) => api.admin.get(url(deals, qs({ filter, sort })));
    expect(expectProblem(await list({ '==': [v('nope.name'), 'x'] }), 400, 'UNKNOWN_FIELD').detail).toContain('nope');
    expect(expectProblem(await list({ '==': [v('account.nope'), 'x'] }), 400, 'UNKNOWN_FIELD').detail).toContain('nope');
    expect(expectProblem(await list({ '==': [v('title.name'), 'x'] }), 400, 'INVALID_FILTER').detail).toContain('not a relation');
    expect(expectProblem(await list({ '==': [v('partners.name'), 'x'] }), 400, 'INVALID_FILTER').detail).toContain('single relations');
    expect(expectProblem(await list(undefined, 'account.name.x'), 400, 'INVALID_SORT'));
    expect(expectProblem(await list({ '==': [v('account.__proto__'), 'x'] }), 400, 'INVALID_FILTER'));
    // A cursor of one sort does not continue another.
    const page = await api.admin.get(url(deals, qs({ sort: 'account.name', limit: 2 })));
    expectProblem(await api.admin.get(url(deals, qs({ sort: '-account.name', cursor: page.body.nextCursor }))), 400, 'INVALID_CURSOR');
  });

  describe('under the related entity permissions', () => {
    let seeAll: Client;
    let noAccounts: Client;

    beforeAll(async () => {
      const org = await OrgSeed.of(api);
      const a = await org.member('Sees Deals And Some Accounts');
      const b = await org.member('Sees Deals Only');
      const group = (e: any, body: Record<string, unknown>) => api.admin.post(`/api/entities/${e.id}/permission-groups`, body);
      expect((await group(deals, { name: 'deals', preset: 'view_all', members: [a.id, b.id] })).status).toBe(201);
      const scoped = await group(accounts, {
        name: 'accounts but initech',
        members: [a.id],
        actions: ['view'],
        rowScope: { kind: 'condition', condition: { '!=': [v('name'), 'initech'] } },
        fields: { tier: { visible: false } },
      });
      expect(scoped.status, JSON.stringify(scoped.body)).toBe(201);
      seeAll = await org.login(a);
      noAccounts = await org.login(b);
    });

    it('a related record outside the view scope reads as no value', async () => {
      expect(await walk(seeAll, { filter: { '==': [v('account.name'), 'initech'] } })).toEqual([]);
      expect(await walk(seeAll, { filter: { '==': [v('account.name'), 'acme'] }, sort: 'id' })).toEqual(ids((d) => d.account === 'acme'));
      const nulls = await walk(seeAll, { filter: { is_empty: [v('account.name')] }, sort: 'id' });
      expect(nulls).toEqual(ids((d) => d.account === null || d.account === 'initech'));
      const count = await seeAll.get(url(deals, `/count${qs({ filter: { '==': [v('account.name'), 'initech'] } })}`));
      expect(count.body.count).toBe(0);
    });

    it('a hidden related field cannot be filtered or sorted by', async () => {
      expectProblem(await seeAll.get(url(deals, qs({ filter: { '==': [v('account.tier'), 'gold'] } }))), 403, 'FIELD_NOT_READABLE');
      expectProblem(await seeAll.get(url(deals, qs({ sort: 'account.tier' }))), 403, 'FIELD_NOT_READABLE');
      expectProblem(await seeAll.get(url(deals, `/count${qs({ filter: { '==': [v('account.tier'), 'gold'] } })}`)), 403, 'FIELD_NOT_READABLE');
    });

    it('a member who may not view the related entity is refused', async () => {
      expectProblem(await noAccounts.get(url(deals, qs({ sort: 'account.name' }))), 403, 'FORBIDDEN');
      expectProblem(await noAccounts.get(url(deals, qs({ filter: { '==': [v('account.name'), 'acme'] } }))), 403, 'FORBIDDEN');
      // Their own fields still work.
      expect((await noAccounts.get(url(deals, qs({ sort: '-amount' })))).status).toBe(200);
    });
  });
});
