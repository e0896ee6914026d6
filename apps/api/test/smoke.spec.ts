import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntity, startApi, type TestApi } from './support/harness';

describe('smoke', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api?.close());

  it('creates an entity and a record, and lists it', async () => {
    const e = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text', required: true },
      { key: 'amount', label: 'Amount', type: 'money' },
      {
        key: 'level',
        label: 'Level',
        type: 'select',
        indexed: true,
        settings: {
          options: [
            { value: 'A', label: 'A' },
            { value: 'B', label: 'B' },
          ],
        },
      },
    ]);
    const r = await api.admin.post(`/api/entities/${e.id}/records`, { name: 'Acme', amount: 12.5, level: 'A' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Acme', amount: 12.5, level: 'A', version: 1 });
    const list = await api.admin.get(`/api/entities/${e.id}/records?filter=${encodeURIComponent(JSON.stringify({ '==': [{ var: 'level' }, 'A'] }))}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: any) => x.name)).toEqual(['Acme']);
  });
});
