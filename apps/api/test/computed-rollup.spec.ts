import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { makeEntity, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';
import { qs } from './support/records';

/**
 * Rollups: Customer.total_won = SUM(opportunity.amount WHERE stage = 'won') follows every
 * write of opportunities (create, stage/amount/customer changes, delete, restore, purge, bulk
 * paths), in the same transaction, and formulas reading the rollup follow too.
 */
const opts = (...values: string[]) => values.map((value) => ({ value, label: value }));
const WON = { '==': [{ var: 'stage' }, 'won'] };

describe('computed fields: rollups over relations', () => {
  let api: TestApi;
  let customers: any;
  let opps: any;
  const cust = (rest = '') => `/api/entities/${customers.id}/records${rest}`;
  const opp = (rest = '') => `/api/entities/${opps.id}/records${rest}`;
  const get = async (id: number) => (await api.admin.get(cust(`/${id}`))).body;
  const newCustomer = async (name: string) => (await api.admin.post(cust(), { name })).body.id as number;
  const newOpp = async (values: Record<string, unknown>) => {
    const res = await api.admin.post(opp(), values);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const patchOpp = async (o: { id: number }, values: Record<string, unknown>) => {
    const cur = (await api.admin.get(opp(`/${o.id}`))).body;
    const res = await api.admin.patch(opp(`/${o.id}`), { version: cur.version, ...values });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    api = await startApi();
    customers = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }], 'customer');
    opps = await makeEntity(
      api.admin,
      [
        { key: 'title', label: 'Title', type: 'text' },
        { key: 'customer', label: 'Customer', type: 'relation', settings: { targetEntityId: customers.id } },
        { key: 'partners', label: 'Partners', type: 'relation', settings: { targetEntityId: customers.id, multiple: true } },
        { key: 'stage', label: 'Stage', type: 'select', settings: { options: opts('lead', 'won', 'lost') } },
        { key: 'amount', label: 'Amount', type: 'money' },
      ],
      'opportunity',
    );
  });
  afterAll(async () => api?.close());

  it('refuses rollups whose source or relation does not point here, or whose field is not a number', async () => {
    const add = (settings: Record<string, unknown>) =>
      api.admin.post(`/api/entities/${customers.id}/fields`, { key: 'r', label: 'R', type: 'rollup', settings });
    const base = { sourceEntityId: opps.id, relationField: 'customer', aggregate: 'sum', field: 'amount' };
    let body = expectProblem(await add({ ...base, sourceEntityId: 'nope' }), 400, 'INVALID_SETTINGS');
    expect(body.errors[0].path).toBe('/settings/sourceEntityId');
    body = expectProblem(await add({ ...base, relationField: 'title' }), 400, 'INVALID_SETTINGS');
    expect(body.errors[0]).toMatchObject({ path: '/settings/relationField', code: 'not_a_relation_here' });
    body = expectProblem(await add({ ...base, relationField: 'nope' }), 400, 'INVALID_SETTINGS');
    expect(body.errors[0]).toMatchObject({ path: '/settings/relationField', code: 'not_found' });
    body = expectProblem(await add({ ...base, field: 'title' }), 400, 'INVALID_SETTINGS');
    expect(body.errors[0]).toMatchObject({ path: '/settings/field', code: 'not_numeric' });
    body = expectProblem(await add({ ...base, condition: { '==': [{ var: 'colour' }, 'red'] } }), 400, 'INVALID_SETTINGS');
    expect(body.errors[0].path).toBe('/settings/condition');
    // A relation of another entity to opportunities, not to customers.
    const other = await makeEntity(api.admin, [
      { key: 'opp', label: 'Opp', type: 'relation', settings: { targetEntityId: opps.id } },
      { key: 'n', label: 'N', type: 'number' },
    ]);
    body = expectProblem(await add({ sourceEntityId: other.id, relationField: 'opp', aggregate: 'sum', field: 'n' }), 400, 'INVALID_SETTINGS');
    expect(body.errors[0].code).toBe('not_a_relation_here');
  });

  describe('Customer.total_won', () => {
    let acme: number;
    let globex: number;
    let early: number;

    beforeAll(async () => {
      early = await newCustomer('Early');
      // Records that exist before the rollup is defined are computed when it is added.
      await newOpp({ title: 'Before', customer: early, stage: 'won', amount: 70 });
      await newOpp({ title: 'Before lost', customer: early, stage: 'lost', amount: 5 });
      for (const field of [
        {
          key: 'total_won',
          label: 'Total won',
          type: 'rollup',
          settings: { sourceEntityId: opps.id, relationField: 'customer', aggregate: 'sum', field: 'amount', condition: WON },
        },
        {
          key: 'won_count',
          label: 'Won deals',
          type: 'rollup',
          settings: { sourceEntityId: opps.id, relationField: 'customer', aggregate: 'count', condition: WON, precision: 0 },
        },
        {
          key: 'avg_deal',
          label: 'Average deal',
          type: 'rollup',
          settings: { sourceEntityId: opps.id, relationField: 'customer', aggregate: 'avg', field: 'amount' },
        },
        {
          key: 'biggest',
          label: 'Biggest deal',
          type: 'rollup',
          settings: { sourceEntityId: opps.id, relationField: 'customer', aggregate: 'max', field: 'amount' },
        },
        {
          key: 'partner_deals',
          label: 'Deals as partner',
          type: 'rollup',
          settings: { sourceEntityId: opps.id, relationField: 'partners', aggregate: 'count', precision: 0 },
        },
        {
          key: 'level',
          label: 'Level',
          type: 'formula',
          settings: { expression: 'IF(total_won >= 1000, "A", IF(total_won > 0, "B", "C"))', resultType: 'text' },
        },
        { key: 'bonus', label: 'Bonus', type: 'formula', settings: { expression: 'total_won * 0.1' } },
      ]) {
        const res = await api.admin.post(`/api/entities/${customers.id}/fields`, field);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
      acme = await newCustomer('Acme');
      globex = await newCustomer('Globex');
    });

    it('backfills existing records when the rollup is added', async () => {
      expect(await get(early)).toMatchObject({ total_won: 70, won_count: 1, avg_deal: 37.5, biggest: 70, level: 'B', bonus: 7 });
    });

    it('a new customer starts at 0 (sum, count) and empty (avg, max)', async () => {
      expect(await get(acme)).toMatchObject({ total_won: 0, won_count: 0, avg_deal: null, biggest: null, partner_deals: 0, level: 'C', bonus: 0 });
    });

    it('follows creates, stage and amount changes, customer moves, delete, restore and purge', async () => {
      const v0 = (await get(acme)).version;
      const lead = await newOpp({ title: 'Lead', customer: acme, stage: 'lead', amount: 500 });
      expect(await get(acme)).toMatchObject({ total_won: 0, won_count: 0, avg_deal: 500 });
      const won = await newOpp({ title: 'Won', customer: acme, stage: 'won', amount: 300 });
      let a = await get(acme);
      expect(a).toMatchObject({ total_won: 300, won_count: 1, avg_deal: 400, biggest: 500, level: 'B', bonus: 30 });
      expect(a.version).toBeGreaterThan(v0);

      await patchOpp(lead, { stage: 'won' }); // the opportunity is won
      expect(await get(acme)).toMatchObject({ total_won: 800, won_count: 2, bonus: 80 });
      await patchOpp(lead, { amount: 900.5 });
      expect(await get(acme)).toMatchObject({ total_won: 1200.5, level: 'A', bonus: 120.05 });
      await patchOpp(won, { customer: globex }); // moves 300 from Acme to Globex
      expect(await get(acme)).toMatchObject({ total_won: 900.5, won_count: 1 });
      expect(await get(globex)).toMatchObject({ total_won: 300, won_count: 1, level: 'B' });
      const unrelated = (await get(acme)).version;
      await patchOpp(lead, { title: 'Renamed' }); // not read by any rollup: no recompute
      expect((await get(acme)).version).toBe(unrelated);

      expect((await api.admin.delete(opp(`/${lead.id}`))).status).toBe(204);
      expect(await get(acme)).toMatchObject({ total_won: 0, won_count: 0, avg_deal: null, level: 'C' });
      expect((await api.admin.post(opp(`/${lead.id}/restore`))).status).toBe(200);
      expect(await get(acme)).toMatchObject({ total_won: 900.5, won_count: 1 });
      expect((await api.admin.delete(opp(`/${lead.id}`))).status).toBe(204);
      expect((await api.admin.delete(opp(`/${lead.id}/purge`))).status).toBe(204);
      a = await get(acme);
      expect(a).toMatchObject({ total_won: 0, won_count: 0 });

      // Each recompute is in the customer's history, by the member whose write caused it.
      const hist = await api.admin.get(cust(`/${acme}/history`));
      const recomputes = hist.body.items.filter((h: any) => h.action === 'recompute');
      expect(recomputes.length).toBeGreaterThanOrEqual(6);
      const me = (await api.admin.get('/api/auth/me')).body.user.id;
      expect(recomputes.every((h: any) => h.actorId === me)).toBe(true);
      expect(recomputes.find((h: any) => h.changes.total_won?.to === 1200.5)?.changes).toMatchObject({
        total_won: { from: 800, to: 1200.5 },
        level: { from: 'B', to: 'A' },
      });
    });

    it('counts link-table relations (many) too', async () => {
      const o = await newOpp({ title: 'Partnered', customer: acme, stage: 'lead', partners: [acme, globex] });
      expect((await get(globex)).partner_deals).toBe(1);
      expect((await get(acme)).partner_deals).toBe(1);
      await patchOpp(o, { partners: [globex] });
      expect((await get(acme)).partner_deals).toBe(0);
      expect((await get(globex)).partner_deals).toBe(1);
    });

    it('follows bulk create, bulk edit and bulk delete', async () => {
      const c1 = await newCustomer('Bulk one');
      const c2 = await newCustomer('Bulk two');
      const bulk = await api.admin.post(opp('/bulk'), {
        records: [
          { title: 'b1', customer: c1, stage: 'won', amount: 10 },
          { title: 'b2', customer: c1, stage: 'lead', amount: 20 },
          { title: 'b3', customer: c2, stage: 'won', amount: 40 },
        ],
      });
      expect(bulk.status, JSON.stringify(bulk.body)).toBe(201);
      expect(await get(c1)).toMatchObject({ total_won: 10 });
      expect(await get(c2)).toMatchObject({ total_won: 40 });
      const filter = { in: [{ var: 'title' }, ['b1', 'b2', 'b3']] };
      const edit = await api.admin.post(opp('/bulk-update'), { filter, values: { stage: 'won' } });
      expect(edit.body.updated).toBe(3);
      expect(await get(c1)).toMatchObject({ total_won: 30, won_count: 2 });
      const del = await api.admin.post(opp('/bulk-delete'), { filter: { '==': [{ var: 'customer' }, c1] } });
      expect(del.body.deleted).toBe(2);
      expect(await get(c1)).toMatchObject({ total_won: 0, won_count: 0 });
      expect(await get(c2)).toMatchObject({ total_won: 40 });
    });

    it('rollup and dependent formula columns filter and sort', async () => {
      const res = await api.admin.get(cust(qs({ filter: { '>': [{ var: 'total_won' }, 0] }, sort: '-total_won' })));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const totals = res.body.items.map((r: any) => r.total_won);
      expect(totals.every((t: number) => t > 0)).toBe(true);
      expect([...totals].sort((x: number, y: number) => y - x)).toEqual(totals);
    });

    it('refuses removing what a rollup reads, and a rollup changed to another condition recomputes', async () => {
      const res = await api.admin.delete(`/api/entities/${opps.id}/fields/amount`);
      expect(expectProblem(res, 409, 'FIELD_IN_USE').usedBy).toEqual(expect.arrayContaining(['customer.total_won', 'customer.avg_deal']));
      const typeChange = await api.admin.patch(`/api/entities/${opps.id}/fields/customer`, { settings: { targetEntityId: opps.id } });
      expect([409, 422]).toContain(typeChange.status);
      const lost = { '==': [{ var: 'stage' }, 'lost'] };
      expect((await api.admin.patch(`/api/entities/${customers.id}/fields/won_count`, { settings: { condition: lost } })).status).toBe(200);
      expect((await get(early)).won_count).toBe(1); // "Before lost"
      expect((await api.admin.patch(`/api/entities/${customers.id}/fields/won_count`, { settings: { condition: WON } })).status).toBe(200);
      expect((await get(early)).won_count).toBe(1);
    });

    it('stays exact under concurrent writes to one customer (creates, moves, deletes at once)', async () => {
      const a = await newCustomer('Busy A');
      const b = await newCustomer('Busy B');
      const seed = await Promise.all(Array.from({ length: 6 }, (_, i) => newOpp({ title: `seed-${i}`, customer: a, stage: 'won', amount: 100 })));
      const writes = [
        ...Array.from({ length: 12 }, (_, i) => api.admin.post(opp(), { title: `c-${i}`, customer: i % 2 ? a : b, stage: 'won', amount: 1 })),
        ...seed.slice(0, 3).map((o) => api.admin.patch(opp(`/${o.id}`), { version: o.version, customer: b })),
        ...seed.slice(3, 5).map((o) => api.admin.delete(opp(`/${o.id}`))),
      ];
      const results = await Promise.all(writes);
      expect(results.map((r) => r.status).filter((s) => s >= 300)).toEqual([]);
      // A: 6 + 300 (one seed stays) ... B: 6 + 300 (three seeds moved).
      expect(await get(a)).toMatchObject({ total_won: 106, won_count: 7 });
      expect(await get(b)).toMatchObject({ total_won: 306, won_count: 9 });
    });

    it('recomputes for a bulk create of 1000 opportunities over 10 customers with a bounded number of statements', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 10; i++) ids.push(await newCustomer(`Big ${i}`));
      const records = Array.from({ length: 1000 }, (_, i) => ({
        title: `big-${i}`,
        customer: ids[i % 10],
        stage: Math.floor(i / 10) % 2 ? 'won' : 'lead',
        amount: 1.25,
      }));
      const before = Db.statements;
      const res = await api.admin.post(opp('/bulk'), { records });
      const used = Db.statements - before;
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
      expect(used, `${used} statements`).toBeLessThan(40);
      for (const id of [ids[0], ids[9]]) expect(await get(id)).toMatchObject({ total_won: 62.5, won_count: 50, avg_deal: 1.25 });
    });
  });

  it('refuses a loop through rollups across entities, naming it', async () => {
    const a = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }], 'alpha');
    const b = await makeEntity(
      api.admin,
      [
        { key: 'a', label: 'A', type: 'relation', settings: { targetEntityId: a.id } },
        { key: 'n', label: 'N', type: 'number' },
      ],
      'beta',
    );
    const addA = async (field: unknown) => api.admin.post(`/api/entities/${a.id}/fields`, field);
    const addB = async (field: unknown) => api.admin.post(`/api/entities/${b.id}/fields`, field);
    expect((await addA({ key: 'b', label: 'B', type: 'relation', settings: { targetEntityId: b.id } })).status).toBe(201);
    expect(
      (await addA({ key: 'sum_v', label: 'Sum v', type: 'rollup', settings: { sourceEntityId: b.id, relationField: 'a', aggregate: 'sum', field: 'n' } }))
        .status,
    ).toBe(201);
    expect(
      (await addB({ key: 'sum_a', label: 'Sum a', type: 'rollup', settings: { sourceEntityId: a.id, relationField: 'b', aggregate: 'sum', field: 'sum_v' } }))
        .status,
    ).toBe(201);
    // Now make B.n... cannot: n is plain. A formula v = sum_a + 1 and A.sum_v over v closes the loop.
    expect((await addB({ key: 'v', label: 'V', type: 'formula', settings: { expression: 'sum_a + 1' } })).status).toBe(201);
    const res = await api.admin.patch(`/api/entities/${a.id}/fields/sum_v`, { settings: { field: 'v' } });
    const body = expectProblem(res, 409, 'FORMULA_CYCLE');
    expect(body.cycle).toEqual(['alpha.sum_v', 'beta.v', 'beta.sum_a', 'alpha.sum_v']);
    // Rollups over rollups that do not loop cascade: B.n → A.sum_v → B.sum_a.
    const x = (await api.admin.post(`/api/entities/${a.id}/records`, { name: 'x' })).body;
    const y = (await api.admin.post(`/api/entities/${b.id}/records`, { a: x.id, n: 5 })).body;
    const res2 = await api.admin.patch(`/api/entities/${a.id}/records/${x.id}`, {
      version: (await api.admin.get(`/api/entities/${a.id}/records/${x.id}`)).body.version,
      b: y.id,
    });
    expect(res2.body.sum_v).toBe(5);
    const yRead = (await api.admin.get(`/api/entities/${b.id}/records/${y.id}`)).body;
    expect(yRead).toMatchObject({ sum_a: 5, v: 6 });
  });
});
