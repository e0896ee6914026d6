import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';

/** Issue 8, hole 7: a relation picker filter is checked when the field is saved, as the options route checks it. */
describe('relation picker filters are checked at design time (hole 7)', () => {
  let api: TestApi;
  let admin: Client;
  let target: any;
  let source: any;
  const fieldsOf = async (id: string) => (await admin.get(`/api/entities/${id}`)).body.fields.map((f: any) => f.key);

  beforeAll(async () => {
    api = await startApi();
    admin = api.admin;
    const app = (await admin.post('/api/apps', { key: 'picker_sec', name: 'Picker' })).body;
    target = (await admin.post(`/api/apps/${app.id}/entities`, { key: 'target', name: 'Target', fields: [{ key: 'name', label: 'Name', type: 'text' }] })).body;
    source = (await admin.post(`/api/apps/${app.id}/entities`, { key: 'source', name: 'Source', fields: [{ key: 'title', label: 'Title', type: 'text' }] }))
      .body;
  });
  afterAll(async () => api?.close());

  it('an unknown operation is refused when the field is added or changed, naming the filter; nothing is saved', async () => {
    for (const filter of [{ exec: [1] }, { and: [{ '==': [{ var: 'name' }, '$form.title'] }, { exec: [{ var: 'name' }] }] }]) {
      const res = await admin.post(`/api/entities/${source.id}/fields`, {
        key: 'pick',
        label: 'Pick',
        type: 'relation',
        settings: { targetEntityId: target.id, filter },
      });
      const p = expectProblem(res, 400, 'INVALID_SETTINGS');
      expect(p.errors[0].path).toBe('/settings/filter');
      expect(p.detail).toContain('"pick"');
    }
    expect(await fieldsOf(source.id)).toEqual(['title']);

    const ok = await admin.post(`/api/entities/${source.id}/fields`, {
      key: 'pick',
      label: 'Pick',
      type: 'relation',
      settings: { targetEntityId: target.id, filter: { '==': [{ var: 'name' }, '$form.title'] } },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const changed = await admin.patch(`/api/entities/${source.id}/fields/pick`, { settings: { targetEntityId: target.id, filter: { exec: [1] } } });
    expectProblem(changed, 400, 'INVALID_SETTINGS');
    // The saved field still answers its options.
    expect((await admin.get(`/api/entities/${source.id}/fields/pick/options?values=${encodeURIComponent('{"title":"x"}')}`)).status).toBe(200);
  });
});
