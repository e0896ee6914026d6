import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { makeEntity, startApi, type TestApi } from './support/harness';
import { countOf, qs, upload } from './support/records';

type Rec = Record<string, any>;
type Pred = (r: Rec) => boolean;

const v = (key: string) => ({ var: key });
const opts = (...values: string[]) => values.map((value) => ({ value, label: value }));
const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
const DAY = 86_400_000;
const dayOffset = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** NULL lowest (first ascending, last descending), then the id in the direction of the last key, as the API documents. */
function expectedOrder(records: Rec[], sort: string): number[] {
  const keys = sort ? sort.split(',').map((p) => ({ key: p.replace(/^-/, ''), desc: p.startsWith('-') })) : [];
  if (!keys.some((k) => k.key === 'id')) keys.push({ key: 'id', desc: keys.length ? keys[keys.length - 1].desc : true });
  const cmp = (a: unknown, b: unknown) =>
    a === b ? 0 : a === null || a === undefined ? -1 : b === null || b === undefined ? 1 : (a as never) < (b as never) ? -1 : 1;
  return [...records]
    .sort((x, y) => {
      for (const k of keys) {
        const c = cmp(x[k.key], y[k.key]);
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    })
    .map((r) => r.id);
}

describe('records queries', () => {
  let api: TestApi;
  let customers: any;
  let deals: any;
  let cust: number[];
  let all: Rec[];
  let batchTwoFrom: string;
  const url = (e: any, rest = '') => `/api/entities/${e.id}/records${rest}`;

  async function list(params: Record<string, unknown>, e = deals) {
    return api.admin.get(url(e, qs(params)));
  }

  /** Every matching id, walking the cursor with big pages. */
  async function matchIds(filter: unknown, sort = ''): Promise<number[]> {
    const ids: number[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const res = await list({ filter, sort: sort || undefined, limit: 200, cursor });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      ids.push(...res.body.items.map((r: Rec) => r.id));
      if (!res.body.nextCursor) return ids;
      cursor = res.body.nextCursor;
    }
    throw new Error('too many pages');
  }

  async function expectMatches(filter: unknown, pred: Pred) {
    const want = all
      .filter(pred)
      .map((r) => r.id)
      .sort((a, b) => a - b);
    const got = (await matchIds(filter)).sort((a, b) => a - b);
    expect(got).toEqual(want);
    const count = await api.admin.get(url(deals, `/count${qs({ filter })}`));
    expect(count.body).toEqual({ count: want.length, capped: false });
    return want;
  }

  beforeAll(async () => {
    api = await startApi();
    customers = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
    cust = [];
    for (const name of ['acme', 'globex', 'initech']) cust.push((await api.admin.post(url(customers), { name })).body.id);
    deals = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text' },
      { key: 'amount', label: 'Amount', type: 'number', settings: { precision: 2 } },
      { key: 'stage', label: 'Stage', type: 'select', settings: { options: opts('lead', 'won', 'lost') } },
      { key: 'tags', label: 'Tags', type: 'multiselect', settings: { options: opts('vip', 'new', 'eu') } },
      { key: 'closed', label: 'Closed', type: 'date' },
      { key: 'seen', label: 'Seen', type: 'datetime' },
      { key: 'active', label: 'Active', type: 'switch' },
      { key: 'notes', label: 'Notes', type: 'textarea' },
      { key: 'customer', label: 'Customer', type: 'relation', settings: { targetEntityId: customers.id } },
      { key: 'contacts', label: 'Contacts', type: 'relation', settings: { targetEntityId: customers.id, multiple: true } },
    ]);
    const seed = (i: number) => ({
      name: i % 11 === 0 ? null : NAMES[i % 8],
      amount: i % 5 === 0 ? null : ((i * 37) % 20) + (i % 3) * 0.25,
      stage: (['lead', 'won', 'lost', null] as const)[i % 4],
      tags: ['vip', 'new', 'eu'].filter((_, bit) => (i % 8) & (1 << bit)),
      closed: i % 6 === 0 ? null : dayOffset((i % 15) - 9),
      seen: i % 7 === 0 ? null : new Date(Date.UTC(2026, 4, 10, 10) + i * 3_600_000 * 7).toISOString(),
      active: i % 3 === 0 ? null : i % 2 === 0,
      notes: i % 4 === 0 ? null : i % 4 === 1 ? `progress 100% (${i})` : i % 4 === 2 ? `progress 1000 (${i})` : `a_b ${i}`,
      customer: i % 4 === 3 ? null : cust[i % 3],
      contacts: i % 5 === 0 ? [] : [cust[i % 3], ...(i % 2 ? [cust[(i + 1) % 3]] : [])],
    });
    const first = await api.admin.post(url(deals, '/bulk'), { records: Array.from({ length: 24 }, (_, i) => seed(i)) });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    await new Promise((r) => setTimeout(r, 30));
    batchTwoFrom = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 30));
    const second = await api.admin.post(url(deals, '/bulk'), { records: Array.from({ length: 21 }, (_, i) => seed(i + 24)) });
    expect(second.status).toBe(201);
    const res = await list({ limit: 200 });
    all = res.body.items;
    expect(all).toHaveLength(45);
  });
  afterAll(async () => api?.close());

  describe('filters', () => {
    it('== and != (!= takes blanks in, as json-logic)', async () => {
      expect(await expectMatches({ '==': [v('stage'), 'won'] }, (r) => r.stage === 'won')).not.toHaveLength(0);
      await expectMatches({ '!=': [v('stage'), 'won'] }, (r) => r.stage !== 'won');
      await expectMatches({ '==': [v('stage'), null] }, (r) => r.stage === null);
      await expectMatches({ '!=': [v('stage'), null] }, (r) => r.stage !== null);
      await expectMatches({ '==': [v('amount'), 7.5] }, (r) => r.amount === 7.5);
      await expectMatches({ '==': [v('active'), false] }, (r) => r.active === false);
      await expectMatches({ '==': [v('closed'), dayOffset(-2)] }, (r) => r.closed === dayOffset(-2));
    });

    it('<, <=, >, >= on numbers, dates and datetimes (blanks never match)', async () => {
      await expectMatches({ '<': [v('amount'), 7] }, (r) => r.amount !== null && r.amount < 7);
      await expectMatches({ '<=': [v('amount'), 7.25] }, (r) => r.amount !== null && r.amount <= 7.25);
      await expectMatches({ '>': [v('amount'), 10.5] }, (r) => r.amount !== null && r.amount > 10.5);
      await expectMatches({ '>=': [v('amount'), 10.5] }, (r) => r.amount !== null && r.amount >= 10.5);
      await expectMatches({ '>=': [v('closed'), dayOffset(0)] }, (r) => r.closed !== null && r.closed >= dayOffset(0));
      await expectMatches({ '<': [v('seen'), '2026-05-15T00:00:00Z'] }, (r) => r.seen !== null && r.seen < '2026-05-15T00:00:00.000Z');
      // An offset is an instant: 02:00+02:00 is midnight UTC.
      await expectMatches({ '>=': [v('seen'), '2026-05-15T02:00:00+02:00'] }, (r) => r.seen !== null && r.seen >= '2026-05-15T00:00:00.000Z');
    });

    it('between via {"<=": [a, {var}, b]} is inclusive; "<" is exclusive', async () => {
      const inc = await expectMatches({ '<=': [5, v('amount'), 9.25] }, (r) => r.amount !== null && r.amount >= 5 && r.amount <= 9.25);
      expect(inc.length).toBeGreaterThan(0);
      await expectMatches({ '<': [5, v('amount'), 9.25] }, (r) => r.amount !== null && r.amount > 5 && r.amount < 9.25);
      await expectMatches(
        { '<=': [dayOffset(-3), v('closed'), dayOffset(1)] },
        (r) => r.closed !== null && r.closed >= dayOffset(-3) && r.closed <= dayOffset(1),
      );
    });

    it('in on choices, numbers, relation ids and the record id', async () => {
      await expectMatches({ in: [v('stage'), ['won', 'lost']] }, (r) => ['won', 'lost'].includes(r.stage));
      await expectMatches({ in: [v('amount'), [2, 7.5, 13.25]] }, (r) => [2, 7.5, 13.25].includes(r.amount));
      await expectMatches({ in: [v('customer'), [cust[0], cust[2]]] }, (r) => [cust[0], cust[2]].includes(r.customer));
      const some = [all[3].id, all[9].id, all[20].id];
      expect(await expectMatches({ in: [v('id'), some] }, (r) => some.includes(r.id))).toHaveLength(3);
      await expectMatches({ in: [v('stage'), []] }, () => false);
    });

    it('contains on text (substring, % and _ literal), on multiselect and on a many relation', async () => {
      await expectMatches({ contains: [v('name'), 'ha'] }, (r) => r.name?.includes('ha'));
      const pct = await expectMatches({ contains: [v('notes'), '100%'] }, (r) => r.notes?.includes('100%'));
      expect(pct.length).toBeGreaterThan(0);
      await expectMatches({ contains: [v('notes'), 'a_b'] }, (r) => r.notes?.includes('a_b'));
      await expectMatches({ contains: [v('tags'), 'vip'] }, (r) => r.tags.includes('vip'));
      await expectMatches({ contains: [v('contacts'), cust[1]] }, (r) => r.contacts.includes(cust[1]));
      // json-logic's own spelling: {"in": ["sub", {"var": ...}]}
      await expectMatches({ in: ['eu', v('tags')] }, (r) => r.tags.includes('eu'));
    });

    it('starts_with on text', async () => {
      await expectMatches({ starts_with: [v('name'), 'ch'] }, (r) => r.name?.startsWith('ch'));
      await expectMatches({ starts_with: [v('notes'), 'progress 100%'] }, (r) => r.notes?.startsWith('progress 100%'));
      await expectMatches({ starts_with: [v('name'), '%'] }, () => false);
    });

    it('is_empty / is_not_empty on every storage kind', async () => {
      for (const key of ['name', 'amount', 'stage', 'closed', 'seen', 'active', 'notes', 'customer']) {
        await expectMatches({ is_empty: [v(key)] }, (r) => r[key] === null);
        await expectMatches({ is_not_empty: [v(key)] }, (r) => r[key] !== null);
      }
      await expectMatches({ is_empty: [v('tags')] }, (r) => r.tags.length === 0);
      await expectMatches({ is_not_empty: [v('tags')] }, (r) => r.tags.length > 0);
      await expectMatches({ is_empty: [v('contacts')] }, (r) => r.contacts.length === 0);
      await expectMatches({ is_not_empty: [v('contacts')] }, (r) => r.contacts.length > 0);
    });

    it('date_range: relative and absolute, on dates and datetimes', async () => {
      const today = dayOffset(0);
      const t = await expectMatches({ date_range: [v('closed'), 'today'] }, (r) => r.closed === today);
      expect(t.length).toBeGreaterThan(0);
      await expectMatches({ date_range: [v('closed'), 'last_7_days'] }, (r) => r.closed !== null && r.closed >= dayOffset(-6) && r.closed <= today);
      await expectMatches({ date_range: [v('closed'), 'next_7_days'] }, (r) => r.closed !== null && r.closed >= today && r.closed <= dayOffset(6));
      await expectMatches(
        { date_range: [v('closed'), { from: dayOffset(-4), to: dayOffset(-1) }] },
        (r) => r.closed !== null && r.closed >= dayOffset(-4) && r.closed <= dayOffset(-1),
      );
      await expectMatches({ date_range: [v('closed'), { from: dayOffset(2) }] }, (r) => r.closed !== null && r.closed >= dayOffset(2));
      const seen = await expectMatches(
        { date_range: [v('seen'), { from: '2026-05-12', to: '2026-05-13' }] },
        (r) => r.seen !== null && r.seen >= '2026-05-12T00:00:00.000Z' && r.seen < '2026-05-14T00:00:00.000Z',
      );
      expect(seen.length).toBeGreaterThan(0);
      await expectMatches({ date_range: [v('createdAt'), 'today'] }, () => true);
      await expectMatches({ '!': { date_range: [v('closed'), 'today'] } }, (r) => r.closed !== today);
    });

    it('and / or / ! nest, and negation takes blanks in', async () => {
      await expectMatches(
        { and: [{ or: [{ '==': [v('stage'), 'won'] }, { contains: [v('tags'), 'vip'] }] }, { '!': { '<': [v('amount'), 5] } }] },
        (r) => (r.stage === 'won' || r.tags.includes('vip')) && !(r.amount !== null && r.amount < 5),
      );
      await expectMatches(
        { or: [{ and: [{ is_not_empty: [v('name')] }, { '!': [{ in: [v('name'), ['alpha', 'bravo']] }] }] }, { '==': [v('active'), true] }] },
        (r) => (r.name !== null && !['alpha', 'bravo'].includes(r.name)) || r.active === true,
      );
      await expectMatches({ '!': { '!': { '==': [v('stage'), 'lost'] } } }, (r) => r.stage === 'lost');
      await expectMatches(
        { '!': { and: [{ '>': [v('amount'), 3] }, { '==': [v('customer'), cust[0]] }] } },
        (r) => !(r.amount !== null && r.amount > 3 && r.customer === cust[0]),
      );
      await expectMatches(true, () => true);
      await expectMatches({ '!': true }, () => false);
    });

    it('filters on relation ids and on the system fields id and createdAt', async () => {
      await expectMatches({ '==': [v('customer'), cust[1]] }, (r) => r.customer === cust[1]);
      await expectMatches({ '!=': [v('customer'), cust[1]] }, (r) => r.customer !== cust[1]);
      const cut = all.map((r) => r.id).sort((a, b) => a - b)[20];
      await expectMatches({ '>': [v('id'), cut] }, (r) => r.id > cut);
      await expectMatches({ '<=': [v('id'), cut] }, (r) => r.id <= cut);
      const late = await expectMatches({ '>=': [v('createdAt'), batchTwoFrom] }, (r) => r.createdAt >= batchTwoFrom);
      expect(late).toHaveLength(21);
      expect(await expectMatches({ '<': [v('createdAt'), batchTwoFrom] }, (r) => r.createdAt < batchTwoFrom)).toHaveLength(24);
    });

    it('the query endpoint takes the same filter in the body', async () => {
      const filter = { and: [{ '==': [v('stage'), 'lead'] }, { is_not_empty: [v('amount')] }] };
      const res = await api.admin.post(url(deals, '/query'), { filter, sort: '-amount', limit: 200 });
      expect(res.status).toBe(200);
      expect(res.body.items.map((r: Rec) => r.id)).toEqual(
        expectedOrder(
          all.filter((r) => r.stage === 'lead' && r.amount !== null),
          '-amount',
        ),
      );
    });
  });

  describe('sort and keyset pagination', () => {
    const SORTS = ['', 'name', '-name', '-amount,name', 'stage,-amount,name', 'closed,-seen', '-active,name', 'createdAt', 'id', '-id'];

    it.each(SORTS)('sort "%s" orders NULLs lowest and breaks ties by id', async (sort) => {
      const res = await list({ sort: sort || undefined, limit: 200 });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items.map((r: Rec) => r.id)).toEqual(expectedOrder(all, sort));
      expect(res.body.nextCursor).toBeNull();
    });

    it.each(SORTS)('walking pages of sort "%s" yields every record once, in order', async (sort) => {
      const big = (await list({ sort: sort || undefined, limit: 200 })).body.items.map((r: Rec) => r.id);
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await list({ sort: sort || undefined, limit: 7, cursor });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(7);
        seen.push(...res.body.items.map((r: Rec) => r.id));
        cursor = res.body.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 20);
      expect(pages).toBe(Math.ceil(45 / 7));
      expect(seen).toEqual(big);
      expect(new Set(seen).size).toBe(45);
    });

    it('walks a filtered list, through the query endpoint too', async () => {
      const filter = { or: [{ is_empty: [v('amount')] }, { '>': [v('amount'), 4] }] };
      const want = expectedOrder(
        all.filter((r) => r.amount === null || r.amount > 4),
        '-amount,name',
      );
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await api.admin.post(url(deals, '/query'), { filter, sort: '-amount,name', limit: 4, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((r: Rec) => r.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(want);
    });

    it('the last full page has no next cursor', async () => {
      const res = await list({ limit: 45 });
      expect(res.body.items).toHaveLength(45);
      expect(res.body.nextCursor).toBeNull();
      const short = await list({ limit: 44 });
      expect(short.body.nextCursor).toEqual(expect.any(String));
      const rest = await list({ limit: 44, cursor: short.body.nextCursor });
      expect(rest.body.items.map((r: Rec) => r.id)).toEqual([expectedOrder(all, '').at(-1)]);
      expect(rest.body.nextCursor).toBeNull();
    });

    it('default limit is 20', async () => {
      const res = await list({});
      expect(res.body.items).toHaveLength(20);
    });
  });

  describe('count', () => {
    it('counts up to the cap', async () => {
      expect((await api.admin.get(url(deals, '/count'))).body).toEqual({ count: 45, capped: false });
      const filter = { '==': [v('stage'), 'won'] };
      const won = all.filter((r) => r.stage === 'won').length;
      expect((await api.admin.get(url(deals, `/count${qs({ filter })}`))).body).toEqual({ count: won, capped: false });
      expect((await api.admin.get(url(deals, `/count${qs({ filter, cap: 3 })}`))).body).toEqual({ count: 3, capped: true });
      expect((await api.admin.get(url(deals, `/count${qs({ filter, cap: won })}`))).body).toEqual({ count: won, capped: false });
      expect((await api.admin.get(url(deals, `/count${qs({ cap: 44 })}`))).body).toEqual({ count: 44, capped: true });
    });

    it('refuses a cap out of range', async () => {
      for (const cap of ['0', '-1', '1000001', 'abc', '1.5']) {
        const res = await api.admin.get(url(deals, `/count?cap=${cap}`));
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('INVALID_REQUEST');
      }
    });

    it('leaves deleted records out', async () => {
      const r = (await api.admin.post(url(deals), { name: 'temp' })).body;
      expect(await countOf(api.admin, deals.id)).toBe(46);
      await api.admin.delete(url(deals, `/${r.id}`));
      expect(await countOf(api.admin, deals.id)).toBe(45);
      expect(await matchIds({ '==': [v('name'), 'temp'] })).toEqual([]);
      await api.admin.delete(url(deals, `/${r.id}/purge`));
    });
  });

  describe('bad input', () => {
    async function expectProblem(params: Record<string, unknown>, status: number, code: string, culprit?: string) {
      const res = await list(params);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      if (culprit) expect(`${res.body.field ?? ''} ${res.body.detail}`).toContain(culprit);
      return res.body;
    }

    it('unknown field in a filter or a sort is UNKNOWN_FIELD naming it', async () => {
      const body = await expectProblem({ filter: { '==': [v('nope'), 1] } }, 400, 'UNKNOWN_FIELD', 'nope');
      expect(body.field).toBe('nope');
      expect(body.path).toBe('/==');
      expect((await expectProblem({ sort: '-nope' }, 400, 'UNKNOWN_FIELD', 'nope')).field).toBe('nope');
      expect((await expectProblem({ expand: 'nope' }, 400, 'UNKNOWN_FIELD', 'nope')).field).toBe('nope');
      await expectProblem({ filter: { and: [{ '==': [v('stage'), 'won'] }, { is_empty: [v('deleted_at')] }] } }, 400, 'UNKNOWN_FIELD', 'deleted_at');
    });

    it('an operator the type does not support is UNSUPPORTED_OPERATOR naming field and operator', async () => {
      for (const [filter, field, op] of [
        [{ starts_with: [v('amount'), '1'] }, 'amount', 'starts_with'],
        [{ '<': [v('tags'), 'vip'] }, 'tags', '<'],
        [{ '==': [v('contacts'), 1] }, 'contacts', '=='],
        [{ contains: [v('customer'), 1] }, 'customer', 'contains'],
        [{ date_range: [v('amount'), 'today'] }, 'amount', 'date_range'],
        [{ '>': [v('notes'), 'a'] }, 'notes', '>'],
      ] as const) {
        const body = await expectProblem({ filter }, 400, 'UNSUPPORTED_OPERATOR', field);
        expect(body).toMatchObject({ field, operator: op });
      }
    });

    it('a malformed filter is INVALID_FILTER; a value of the wrong type is INVALID_VALUE', async () => {
      await expectProblem({ filter: '{"==": [' }, 400, 'INVALID_FILTER');
      await expectProblem({ filter: { regex: [v('name'), '.*'] } }, 400, 'INVALID_FILTER', 'regex');
      await expectProblem({ filter: { '==': ['name', 'alpha'] } }, 400, 'INVALID_FILTER');
      await expectProblem({ filter: { and: [] } }, 400, 'INVALID_FILTER');
      await expectProblem({ filter: [1, 2] }, 400, 'INVALID_FILTER');
      await expectProblem({ filter: { '==': [v('amount'), 'ten'] } }, 400, 'INVALID_VALUE', 'amount');
      await expectProblem({ filter: { '==': [v('closed'), '2026-02-30'] } }, 400, 'INVALID_VALUE', 'closed');
      await expectProblem({ filter: { date_range: [v('closed'), 'someday'] } }, 400, 'INVALID_VALUE', 'closed');
      await expectProblem({ filter: { '==': [v('customer'), -1] } }, 400, 'INVALID_VALUE', 'customer');
    });

    it('a malformed cursor, or one from another sort, is INVALID_CURSOR', async () => {
      const next = (await list({ sort: 'name', limit: 5 })).body.nextCursor;
      expect(next).toEqual(expect.any(String));
      expect((await list({ sort: 'name', limit: 5, cursor: next })).status).toBe(200);
      await expectProblem({ sort: '-name', limit: 5, cursor: next }, 400, 'INVALID_CURSOR');
      await expectProblem({ limit: 5, cursor: next }, 400, 'INVALID_CURSOR');
      for (const cursor of ['!!!', 'abc', b64url('not json'), b64url('[]'), b64url('{"s":"name,id","v":[],"id":1}'), 'x'.repeat(3000)]) {
        await expectProblem({ sort: 'name', cursor }, 400, 'INVALID_CURSOR');
      }
      const res = await api.admin.post(url(deals, '/query'), { cursor: 42 });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_CURSOR');
    });

    it('sorting by a field that cannot be sorted is INVALID_SORT naming it', async () => {
      for (const field of ['tags', 'notes', 'contacts', 'customer']) {
        expect((await expectProblem({ sort: field }, 400, 'INVALID_SORT', field)).field).toBe(field);
      }
      await expectProblem({ sort: 'name,name' }, 400, 'INVALID_SORT', 'name');
      await expectProblem({ sort: 'name,amount,stage,closed' }, 400, 'INVALID_SORT');
      const res = await api.admin.post(url(deals, '/query'), { sort: ['name'] });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_SORT');
    });

    it('a limit out of 1..200 is INVALID_REQUEST', async () => {
      for (const limit of ['0', '201', '-1', 'abc', '1.5', '1e2']) {
        const body = await expectProblem({ limit }, 400, 'INVALID_REQUEST');
        expect(body.errors).toEqual([expect.objectContaining({ path: '/limit' })]);
      }
      expect((await list({ limit: '200' })).status).toBe(200);
      expect((await list({ limit: '1' })).body.items).toHaveLength(1);
    });

    it('expanding a field that is not a relation is INVALID_REQUEST', async () => {
      await expectProblem({ expand: 'name' }, 400, 'INVALID_REQUEST', 'name');
    });
  });

  describe('injection attempts', () => {
    const attacks = ["' OR 1=1 --", "alpha' OR '1'='1", '"; DROP TABLE x; --', 'name; DROP TABLE x', "\\' OR 1=1 #", "%' OR 1=1 --", '1) OR (1=1'];

    it('in filter values match nothing', async () => {
      for (const a of attacks) {
        for (const filter of [
          { '==': [v('name'), a] },
          { contains: [v('name'), a] },
          { starts_with: [v('notes'), a] },
          { in: [v('stage'), [a, 'x']] },
          { contains: [v('tags'), a] },
          { '!=': [v('name'), a] },
        ]) {
          const res = await list({ filter, limit: 200 });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          const ids = res.body.items.map((r: Rec) => r.id);
          if ('!=' in filter) expect(ids).toHaveLength(45);
          else expect(ids).toEqual([]);
        }
        const num = await list({ filter: { '==': [v('amount'), a] } });
        expect(num.status).toBe(400);
        expect(num.body.code).toBe('INVALID_VALUE');
        const date = await list({ filter: { date_range: [v('closed'), { from: a }] } });
        expect(date.status).toBe(400);
      }
      expect(await countOf(api.admin, deals.id)).toBe(45);
    });

    it('in filter keys, operators, sort, expand and cursor answer 400', async () => {
      const bad: [Record<string, unknown>, string][] = [
        [{ filter: { '==': [v('name; DROP TABLE x'), 'a'] } }, 'INVALID_FILTER'],
        [{ filter: { '==': [v("name' OR 1=1 --"), 'a'] } }, 'INVALID_FILTER'],
        [{ filter: { "==') OR 1=1 --": [v('name'), 'a'] } }, 'INVALID_FILTER'],
        // `relation.field` is a path through a relation: there is no relation `r`.
        [{ filter: { '==': [{ var: 'r.id' }, 1] } }, 'UNKNOWN_FIELD'],
        [{ sort: 'name; DROP TABLE x' }, 'INVALID_SORT'],
        [{ sort: '-id,(SELECT 1)' }, 'INVALID_SORT'],
        [{ sort: "name' --" }, 'INVALID_SORT'],
        [{ sort: 'r.id' }, 'UNKNOWN_FIELD'],
        [{ sort: 'customer.name.x' }, 'INVALID_SORT'],
        [{ expand: 'customer;DROP TABLE x' }, 'UNKNOWN_FIELD'],
        [{ cursor: "' OR 1=1 --" }, 'INVALID_CURSOR'],
        [{ cursor: b64url(JSON.stringify({ s: '-id', v: [], id: '1 OR 1=1' })) }, 'INVALID_CURSOR'],
        [{ cursor: b64url(JSON.stringify({ s: '-id; DROP TABLE x', v: [], id: 1 })) }, 'INVALID_CURSOR'],
        [{ sort: 'name', cursor: b64url(JSON.stringify({ s: 'name,id', v: [{ sql: 'DROP TABLE x' }], id: 1 })) }, 'INVALID_CURSOR'],
        [{ sort: 'name', cursor: b64url(JSON.stringify({ s: 'name,id', v: ['a'], id: 1, extra: 'DROP TABLE x' })) }, 'INVALID_CURSOR'],
      ];
      for (const [params, code] of bad) {
        const res = await list(params);
        expect(res.status, `${JSON.stringify(params)} → ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.code).toBe(code);
      }
      expect(await countOf(api.admin, deals.id)).toBe(45);
    });

    it('a well-formed cursor carrying SQL text is only a value: it matches nothing after it', async () => {
      const cursor = b64url(JSON.stringify({ s: 'name,id', v: ["zzzz' OR 1=1 --"], id: 1 }));
      const res = await list({ sort: 'name', cursor, limit: 200 });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
      expect(await countOf(api.admin, deals.id)).toBe(45);
      expect((await list({ limit: 200 })).body.items.map((r: Rec) => r.id)).toEqual(expectedOrder(all, ''));
    });
  });

  describe('other field kinds', () => {
    it('filters member lists, checkboxes, emails and money; sorts by serial', async () => {
      const me = (await api.admin.get('/api/auth/me')).body.user.id;
      const e = await makeEntity(api.admin, [
        { key: 'team', label: 'Team', type: 'member', settings: { multiple: true } },
        { key: 'lead', label: 'Lead', type: 'member' },
        { key: 'perks', label: 'Perks', type: 'checkbox', settings: { options: opts('car', 'phone') } },
        { key: 'mail', label: 'Mail', type: 'email' },
        { key: 'fee', label: 'Fee', type: 'money', settings: { precision: 2 } },
        { key: 'no', label: 'No', type: 'serial', settings: { prefix: 'S', datePart: '', digits: 2 } },
      ]);
      const rows = [
        { team: [me], lead: me, perks: ['car'], mail: 'a@x.io', fee: 10.1 },
        { team: [], lead: null, perks: ['car', 'phone'], mail: 'b@x.io', fee: 9.99 },
        { perks: [], mail: null, fee: null },
        { team: [me], perks: ['phone'], mail: 'c@x.io', fee: 100 },
      ];
      const ids = (await api.admin.post(url(e, '/bulk'), { records: rows })).body.ids as number[];
      const find = async (filter: unknown, sort?: string) => (await list({ filter, sort, limit: 200 }, e)).body.items.map((r: Rec) => r.id);
      expect(await find({ contains: [v('team'), me] }, 'id')).toEqual([ids[0], ids[3]]);
      expect(await find({ is_empty: [v('team')] }, 'id')).toEqual([ids[1], ids[2]]);
      expect(await find({ '==': [v('lead'), me] })).toEqual([ids[0]]);
      expect(await find({ contains: [v('perks'), 'phone'] }, 'id')).toEqual([ids[1], ids[3]]);
      expect(await find({ in: [v('mail'), ['b@x.io', 'c@x.io']] }, 'id')).toEqual([ids[1], ids[3]]);
      expect(await find({ '>': [v('fee'), 10] }, '-fee')).toEqual([ids[3], ids[0]]);
      expect(await find(null, '-no')).toEqual([...ids].reverse());
      expect(await find({ starts_with: [v('no'), 'S0'] }, 'no')).toEqual(ids);
      const bad = await list({ filter: { '==': [v('team'), me] } }, e);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'UNSUPPORTED_OPERATOR', field: 'team' });
    });
  });

  describe('relation expansion', () => {
    let regions: any;
    let targets: any;
    let orders: any;
    let tgt: Rec[];
    let logo: { id: string };

    beforeAll(async () => {
      regions = await makeEntity(api.admin, [{ key: 'label', label: 'Label', type: 'text' }]);
      const eu = (await api.admin.post(url(regions), { label: 'eu' })).body.id;
      const us = (await api.admin.post(url(regions), { label: 'us' })).body.id;
      targets = await makeEntity(api.admin, [
        { key: 'name', label: 'Name', type: 'text' },
        { key: 'logo', label: 'Logo', type: 'attachment' },
        { key: 'regions', label: 'Regions', type: 'relation', settings: { targetEntityId: regions.id, multiple: true } },
      ]);
      logo = await upload(api.admin, 'logo.png', new Uint8Array([137, 80, 78, 71]), 'image/png');
      tgt = [];
      for (const [i, name] of ['north', 'south', 'east', 'west'].entries()) {
        tgt.push((await api.admin.post(url(targets), { name, logo: i === 0 ? [logo.id] : [], regions: i % 2 ? [eu, us] : [eu] })).body);
      }
      orders = await makeEntity(api.admin, [
        { key: 'title', label: 'Title', type: 'text' },
        { key: 'customer', label: 'Customer', type: 'relation', settings: { targetEntityId: targets.id } },
        { key: 'contacts', label: 'Contacts', type: 'relation', settings: { targetEntityId: targets.id, multiple: true } },
      ]);
      const records = Array.from({ length: 50 }, (_, i) => ({
        title: `o${i}`,
        customer: i % 10 === 9 ? null : tgt[i % 4].id,
        contacts: i % 3 === 0 ? [] : [tgt[(i + 1) % 4].id, tgt[(i + 2) % 4].id],
      }));
      expect((await api.admin.post(url(orders, '/bulk'), { records })).status).toBe(201);
    });

    it('expand=customer returns the related records under expand', async () => {
      const res = await list({ expand: 'customer,contacts', sort: 'title', limit: 200 }, orders);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items).toHaveLength(50);
      const byId = new Map(tgt.map((t) => [t.id, t]));
      for (const it of res.body.items) {
        if (it.customer === null) expect(it.expand.customer).toBeNull();
        else expect(it.expand.customer).toEqual(byId.get(it.customer));
        expect(it.expand.contacts).toEqual(it.contacts.map((id: number) => byId.get(id)));
      }
      // The expanded record is the same as a read of it: link values and file metadata included.
      const north = res.body.items.find((it: Rec) => it.expand.customer?.name === 'north').expand.customer;
      expect(north.logo).toEqual([{ id: logo.id, name: 'logo.png', size: 4, mime: 'application/octet-stream' }]); // four bytes are no picture: stored by what they are (docs/fields.md, image)
      expect(north.regions).toHaveLength(1);
      const one = await api.admin.get(url(orders, `/${res.body.items[1].id}?expand=customer`));
      expect(one.body.expand.customer).toEqual(byId.get(one.body.customer));
    });

    it('a target in the recycle bin expands to null', async () => {
      const t = (await api.admin.post(url(targets), { name: 'temp' })).body;
      const o = (await api.admin.post(url(orders), { title: 'zz', customer: t.id, contacts: [t.id, tgt[0].id] })).body;
      await api.admin.delete(url(targets, `/${t.id}`));
      const res = await api.admin.get(url(orders, `/${o.id}?expand=customer,contacts`));
      expect(res.status).toBe(200);
      expect(res.body.expand.customer).toBeNull();
      expect(res.body.expand.contacts.map((x: Rec) => x.id)).toEqual([tgt[0].id]);
      await api.admin.delete(url(orders, `/${o.id}`));
    });

    it('runs the same number of SQL statements for 5 rows as for 50', async () => {
      const params = { expand: 'customer,contacts', sort: 'title' };
      await list({ ...params, limit: 5 }, orders); // warm the entity caches
      const statementsFor = async (limit: number) => {
        const before = Db.statements;
        const res = await list({ ...params, limit }, orders);
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(limit);
        return Db.statements - before;
      };
      // The fewer of two runs each: the session cache's short TTL can end inside one run and add its look-up.
      const five = Math.min(await statementsFor(5), await statementsFor(5));
      const fifty = Math.min(await statementsFor(50), await statementsFor(50));
      expect(five).toBeGreaterThan(0);
      expect(fifty).toBe(five);
    });
  });
});
