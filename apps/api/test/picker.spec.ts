import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';
import { qs } from './support/records';

/**
 * Relation pickers (search, a filter on the form's current values, display fields) and
 * related lists (关联查询), both under the other entity's permissions: row scope and
 * readable fields.
 */
const opts = (...values: string[]) => values.map((value) => ({ value, label: value }));

describe('relation pickers and related lists', () => {
  let api: TestApi;
  let org: OrgSeed;
  let customers: any;
  let contacts: any;
  let deals: any;
  let rep: SeededMember;
  let repClient: Client;
  const c: Record<string, number> = {};
  const ct: Record<string, number> = {};
  const options = (key: string, params: Record<string, unknown> = {}, client?: Client) =>
    (client ?? api.admin).get(`/api/entities/${deals.id}/fields/${key}/options${qs(params)}`);
  const related = (customerId: number, params: Record<string, unknown>, client?: Client) =>
    (client ?? api.admin).get(`/api/entities/${customers.id}/records/${customerId}/related${qs({ entityId: deals.id, field: 'customer', ...params })}`);

  beforeAll(async () => {
    api = await startApi();
    org = await OrgSeed.of(api);
    customers = await makeEntity(
      api.admin,
      [
        { key: 'name', label: 'Name', type: 'text' },
        { key: 'region', label: 'Region', type: 'select', settings: { options: opts('east', 'west') } },
        { key: 'credit', label: 'Credit', type: 'money' },
      ],
      'customer',
    );
    contacts = await makeEntity(
      api.admin,
      [
        { key: 'name', label: 'Name', type: 'text' },
        { key: 'customer', label: 'Customer', type: 'relation', settings: { targetEntityId: customers.id } },
        { key: 'phone', label: 'Phone', type: 'phone' },
      ],
      'contact',
    );
    deals = await makeEntity(
      api.admin,
      [
        { key: 'title', label: 'Title', type: 'text' },
        { key: 'customer', label: 'Customer', type: 'relation', settings: { targetEntityId: customers.id, displayFields: ['region', 'credit'] } },
        {
          key: 'contact',
          label: 'Contact',
          type: 'relation',
          settings: { targetEntityId: contacts.id, displayFields: ['phone'], filter: { '==': [{ var: 'customer' }, '$form.customer'] } },
        },
        { key: 'amount', label: 'Amount', type: 'money' },
        {
          key: 'items',
          label: 'Items',
          type: 'subform',
          settings: {
            fields: [
              {
                key: 'buyer',
                label: 'Buyer',
                type: 'relation',
                settings: { targetEntityId: customers.id, filter: { '==': [{ var: 'region' }, '$row.region'] } },
              },
              { key: 'region', label: 'Region', type: 'text' },
            ],
          },
        },
      ],
      'deal',
    );
    for (const [name, region, credit] of [
      ['Acme East', 'east', 100],
      ['Acme West', 'west', 200],
      ['Globex', 'east', 300],
      ['Initech', 'west', 400],
    ] as const) {
      c[name] = (await api.admin.post(`/api/entities/${customers.id}/records`, { name, region, credit })).body.id;
    }
    for (const [name, customer, phone] of [
      ['Ann', 'Acme East', '+86 111'],
      ['Bob', 'Acme East', '+86 222'],
      ['Cid', 'Globex', '+86 333'],
      ['Dee', null, '+86 444'],
    ] as const) {
      ct[name] = (await api.admin.post(`/api/entities/${contacts.id}/records`, { name, customer: customer ? c[customer] : null, phone })).body.id;
    }
    rep = await org.member('Rep');
    // The rep works deals (own) and sees east customers without their credit, and contacts without phones.
    const groups: [any, Record<string, unknown>][] = [
      [deals, { name: 'Reps', members: [rep.id], actions: ['view', 'create', 'edit'], rowScope: { kind: 'own' } }],
      [
        customers,
        {
          name: 'East',
          members: [rep.id],
          actions: ['view'],
          rowScope: { kind: 'condition', condition: { '==': [{ var: 'region' }, 'east'] } },
          fields: { credit: { visible: false } },
        },
      ],
      [contacts, { name: 'Contacts', members: [rep.id], actions: ['view'], rowScope: { kind: 'all' }, fields: { phone: { visible: false } } }],
    ];
    for (const [e, g] of groups) {
      const res = await api.admin.post(`/api/entities/${e.id}/permission-groups`, g);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    repClient = await org.login(rep);
  });
  afterAll(async () => api?.close());

  describe('picker', () => {
    it('lists targets with the display field and the chosen display fields, sorted by the display field', async () => {
      const res = await options('customer');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items).toEqual([
        { id: c['Acme East'], label: 'Acme East', fields: { name: 'Acme East', region: 'east', credit: 100 } },
        { id: c['Acme West'], label: 'Acme West', fields: { name: 'Acme West', region: 'west', credit: 200 } },
        { id: c.Globex, label: 'Globex', fields: { name: 'Globex', region: 'east', credit: 300 } },
        { id: c.Initech, label: 'Initech', fields: { name: 'Initech', region: 'west', credit: 400 } },
      ]);
      expect(res.body.nextCursor).toBeNull();
    });

    it('searches the display field (contains, any case) and pages with a cursor', async () => {
      expect((await options('customer', { q: 'acme' })).body.items.map((i: any) => i.label)).toEqual(['Acme East', 'Acme West']);
      const p1 = await options('customer', { limit: 3 });
      expect(p1.body.items).toHaveLength(3);
      const p2 = await options('customer', { limit: 3, cursor: p1.body.nextCursor });
      expect(p2.body.items.map((i: any) => i.label)).toEqual(['Initech']);
      // Injection attempts are only text to search for.
      expect((await options('customer', { q: "%' OR 1=1 --" })).body.items).toEqual([]);
    });

    it("filters by the form's current values ($form.customer)", async () => {
      let res = await options('contact', { values: { customer: c['Acme East'] } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items.map((i: any) => [i.label, i.fields.phone])).toEqual([
        ['Ann', '+86 111'],
        ['Bob', '+86 222'],
      ]);
      res = await options('contact', { values: { customer: c.Globex }, q: 'ci' });
      expect(res.body.items.map((i: any) => i.label)).toEqual(['Cid']);
      // No customer chosen yet: the condition compares with empty, so contacts without a customer.
      res = await options('contact', { values: {} });
      expect(res.body.items.map((i: any) => i.label)).toEqual(['Dee']);
      expectProblem(await options('contact', { values: '[1' }), 400, 'INVALID_REQUEST');
      expectProblem(await options('contact', { values: { customer: 'not an id' } }), 400, 'INVALID_VALUE');
    });

    it('filters a relation inside subform rows by the current row ($row.region)', async () => {
      const res = await options('items.buyer', { row: { region: 'west' } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items.map((i: any) => i.label)).toEqual(['Acme West', 'Initech']);
    });

    it("applies the target's permissions: only in-scope targets, only readable display fields", async () => {
      const res = await options('customer', {}, repClient);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items).toEqual([
        { id: c['Acme East'], label: 'Acme East', fields: { name: 'Acme East', region: 'east' } },
        { id: c.Globex, label: 'Globex', fields: { name: 'Globex', region: 'east' } },
      ]);
      const contactsRes = await options('contact', { values: { customer: c['Acme East'] } }, repClient);
      expect(contactsRes.body.items).toEqual([
        { id: ct.Ann, label: 'Ann', fields: { name: 'Ann' } },
        { id: ct.Bob, label: 'Bob', fields: { name: 'Bob' } },
      ]);
      expect(JSON.stringify(contactsRes.body)).not.toContain('+86');
    });

    it('refuses members who cannot fill in the form or view the target', async () => {
      const viewer = await org.member('Viewer');
      await api.admin.post(`/api/entities/${deals.id}/permission-groups`, { name: 'View', members: [viewer.id], preset: 'view_all' });
      const v = await org.login(viewer);
      expectProblem(await options('customer', {}, v), 403, 'FORBIDDEN');
      const writer = await org.member('Writer');
      await api.admin.post(`/api/entities/${deals.id}/permission-groups`, { name: 'Write', members: [writer.id], preset: 'submit_only' });
      const w = await org.login(writer);
      expectProblem(await options('customer', {}, w), 403, 'FORBIDDEN');
    });

    it('answers 404 for unknown fields and 400 for fields that are not relations', async () => {
      expectProblem(await options('nope'), 404, 'FIELD_NOT_FOUND');
      expectProblem(await options('title'), 400, 'INVALID_REQUEST');
      expectProblem(await options('items.nope'), 404, 'FIELD_NOT_FOUND');
    });

    it('refuses picker settings naming fields that do not exist', async () => {
      const add = (settings: Record<string, unknown>) =>
        api.admin.post(`/api/entities/${deals.id}/fields`, {
          key: 'other',
          label: 'Other',
          type: 'relation',
          settings: { targetEntityId: customers.id, ...settings },
        });
      expect(expectProblem(await add({ displayFields: ['nope'] }), 400, 'INVALID_SETTINGS').errors[0].path).toBe('/settings/displayFields/0');
      expect(expectProblem(await add({ filter: { '==': [{ var: 'nope' }, 1] } }), 400, 'INVALID_SETTINGS').errors[0].path).toBe('/settings/filter');
      expectProblem(await add({ filter: { '==': [{ var: 'region' }, '$form.nope'] } }), 400, 'INVALID_SETTINGS');
      expectProblem(await add({ filter: { '==': [{ var: '__proto__' }, 1] } }), 400, 'INVALID_SETTINGS');
    });
  });

  describe('related list', () => {
    const dealIds: number[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 5; i++)
        dealIds.push(
          (await api.admin.post(`/api/entities/${deals.id}/records`, { title: `Admin deal ${i}`, customer: c['Acme East'], amount: 10 + i })).body.id,
        );
      await api.admin.post(`/api/entities/${deals.id}/records`, { title: 'Other customer', customer: c.Globex });
      for (let i = 0; i < 2; i++) {
        const res = await repClient.post(`/api/entities/${deals.id}/records`, { title: `Rep deal ${i}`, customer: c['Acme East'] });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        dealIds.push(res.body.id);
      }
    });

    it('pages the records that point here, newest first', async () => {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 10; guard++) {
        const res = await related(c['Acme East'], { limit: 3, cursor });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        seen.push(...res.body.items.map((r: any) => r.id));
        expect(res.body.items.every((r: any) => r.customer === c['Acme East'])).toBe(true);
        if (!res.body.nextCursor) break;
        cursor = res.body.nextCursor;
      }
      expect(seen).toEqual([...dealIds].sort((a, b) => b - a));
      const sorted = await related(c['Acme East'], { sort: 'amount', filter: { '>=': [{ var: 'amount' }, 12] } });
      expect(sorted.body.items.map((r: any) => r.amount)).toEqual([12, 13, 14]);
    });

    it("applies the source's permissions: a member sees only their own deals", async () => {
      const res = await related(c['Acme East'], {}, repClient);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items.map((r: any) => r.title)).toEqual(['Rep deal 1', 'Rep deal 0']);
    });

    it('answers 404 for a record outside the member’s scope, 400 for a field that does not point here', async () => {
      expectProblem(await related(c['Acme West'], {}, repClient), 404, 'RECORD_NOT_FOUND');
      expectProblem(await related(c['Acme East'], { field: 'contact' }), 400, 'INVALID_REQUEST');
      expectProblem(await related(c['Acme East'], { field: 'title' }), 400, 'INVALID_REQUEST');
      expectProblem(await api.admin.get(`/api/entities/${customers.id}/records/${c['Acme East']}/related`), 400, 'INVALID_REQUEST');
      // Contacts point at customers through "customer" too; the rep may view them, without phones.
      const res = await repClient.get(`/api/entities/${customers.id}/records/${c['Acme East']}/related${qs({ entityId: contacts.id, field: 'customer' })}`);
      expect(res.body.items.map((r: any) => r.name)).toEqual(['Bob', 'Ann']);
      expect(res.body.items.every((r: any) => !('phone' in r))).toBe(true);
    });
  });
});
