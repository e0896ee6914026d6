import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntity, startApi, type TestApi } from './support/harness';
import { countOf } from './support/records';

const SERIAL = { key: 'no', label: 'No', type: 'serial', settings: { prefix: 'QT-', datePart: '', digits: 4 } };
const qt = (n: number) => `QT-${String(n).padStart(4, '0')}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => qt(from + i));

describe('serial numbers under concurrency', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api?.close());

  it('200 concurrent creates get QT-0001..QT-0200, each once', async () => {
    const e = await makeEntity(api.admin, [{ key: 'title', label: 'Title', type: 'text' }, SERIAL]);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => api.admin.post(`/api/entities/${e.id}/records`, { title: `t${i}` })));
    const failed = results.filter((r) => r.status !== 201);
    expect(failed.map((r) => `${r.status} ${JSON.stringify(r.body)}`).slice(0, 3)).toEqual([]);
    const values = results.map((r) => r.body.no);
    expect(new Set(values).size).toBe(200);
    expect([...values].sort()).toEqual(range(1, 200));
    // What was answered is what was stored.
    for (const r of results.slice(0, 20)) {
      expect((await api.admin.get(`/api/entities/${e.id}/records/${r.body.id}`)).body.no).toBe(r.body.no);
    }
    expect(await countOf(api.admin, e.id)).toBe(200);
  });

  it('inserts that fail in between (unique violations) leave no gap', async () => {
    const e = await makeEntity(api.admin, [{ key: 'ref', label: 'Ref', type: 'text', unique: true }, SERIAL]);
    // Every 10th request reuses the same ref: one of those wins, the other nine fail inside their transaction.
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => api.admin.post(`/api/entities/${e.id}/records`, { ref: i % 10 === 0 ? 'DUP' : `r${i}` })),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(9);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ code: 'UNIQUE_VIOLATION', field: 'ref' });
    }
    expect(ok.map((r) => r.body.no).sort()).toEqual(range(1, 91));
    const next = await api.admin.post(`/api/entities/${e.id}/records`, { ref: 'last' });
    expect(next.body.no).toBe(qt(92));
  });

  it('a bulk create running among single creates takes one unbroken block', async () => {
    const e = await makeEntity(api.admin, [{ key: 'title', label: 'Title', type: 'text' }, SERIAL]);
    const url = `/api/entities/${e.id}/records`;
    const singles = Array.from({ length: 40 }, (_, i) => api.admin.post(url, { title: `s${i}` }));
    const bulk = api.admin.post(`${url}/bulk`, { records: Array.from({ length: 60 }, (_, i) => ({ title: `b${i}` })) });
    const [bulkRes, ...singleRes] = await Promise.all([bulk, ...singles]);
    expect(bulkRes.status).toBe(201);
    for (const r of singleRes) expect(r.status).toBe(201);
    const bulkNos: string[] = [];
    for (const id of bulkRes.body.ids) bulkNos.push((await api.admin.get(`${url}/${id}`)).body.no);
    const first = Number(bulkNos[0].slice(3));
    expect(bulkNos).toEqual(range(first, first + 59));
    expect([...bulkNos, ...singleRes.map((r) => r.body.no)].sort()).toEqual(range(1, 100));
  });

  it('a failed bulk create gives its numbers back', async () => {
    const e = await makeEntity(api.admin, [{ key: 'ref', label: 'Ref', type: 'text', unique: true }, SERIAL]);
    const url = `/api/entities/${e.id}/records`;
    expect((await api.admin.post(url, { ref: 'taken' })).body.no).toBe(qt(1));
    const bad = await api.admin.post(`${url}/bulk`, { records: [{ ref: 'a' }, { ref: 'b' }, { ref: 'taken' }] });
    expect(bad.status).toBe(409);
    expect((await api.admin.post(url, { ref: 'c' })).body.no).toBe(qt(2));
  });
});
