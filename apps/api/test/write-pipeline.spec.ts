import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordEvent, RecordEvents } from '../src/modules/records/record-events';
import { type WriteBatch, type WriteParticipant, WRITE_STAGES } from '../src/modules/records/write-batch';
import { RecordWritePipeline } from '../src/modules/records/write-pipeline';
import { makeEntity, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';

/**
 * Every write path runs the same stages in the same order (docs/architecture.md, "The record-write
 * pipeline"). A probe registered like forms, computed and files records each stage it is called
 * at, with what the values hold there: the formula is computed between `formRules` and
 * `validate`, and the record has its id only from `persist` on.
 */
describe('the record-write pipeline', () => {
  let api: TestApi;
  let e: any;
  const recs = () => `/api/entities/${e.id}/records`;
  let trace: { stage: string; kind: string; source: string; double: unknown; id: unknown }[] = [];
  let events: RecordEvent[] = [];
  let inTransaction: RecordEvent[] = [];

  const probe: WriteParticipant = { name: 'probe' };
  for (const stage of ['open', ...WRITE_STAGES] as const) {
    (probe as unknown as Record<string, (w: WriteBatch) => void>)[stage] = (w: WriteBatch) => {
      const r = w.records[0];
      trace.push({ stage, kind: w.kind, source: w.source, double: r?.values.double, id: r?.id });
    };
  }
  const stagesOf = () => trace.map((t) => t.stage);
  const ALL = ['open', ...WRITE_STAGES];

  beforeAll(async () => {
    api = await startApi();
    e = await makeEntity(api.admin, [
      { key: 'title', label: 'Title', type: 'text' },
      { key: 'qty', label: 'Qty', type: 'number', settings: { precision: 0 } },
      { key: 'double', label: 'Double', type: 'formula', settings: { expression: 'qty * 2', precision: 0 } },
    ]);
    api.app.get(RecordWritePipeline).register(probe);
    api.app.get(RecordEvents).subscribe({
      name: 'test',
      inTransaction: async (_tx, evs) => void inTransaction.push(...evs),
      afterCommit: (evs) => void events.push(...evs),
    });
  });
  afterAll(async () => api?.close());

  const fresh = () => {
    trace = [];
    events = [];
    inTransaction = [];
  };

  it('create: every stage in order; compute fills the formula before validate; persist gives the id', async () => {
    fresh();
    const res = await api.admin.post(recs(), { title: 'A', qty: 3 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(stagesOf()).toEqual(ALL);
    const at = (s: string) => trace.find((t) => t.stage === s)!;
    expect([at('formRules').double, at('validate').double]).toEqual([undefined, 6]);
    expect([at('references').id, at('persist').id]).toEqual([undefined, res.body.id]);
    expect(events).toEqual([
      expect.objectContaining({ type: 'record.created', entityId: e.id, recordId: res.body.id, source: 'api', changedKeys: ['title', 'qty', 'double'] }),
    ]);
    expect(events[0].changes).toEqual({ title: { from: null, to: 'A' }, qty: { from: null, to: 3 }, double: { from: null, to: 6 } });
    expect(inTransaction).toEqual(events);
  });

  it('update, bulk update, delete, bulk delete, restore and purge run the same stages', async () => {
    const id = (await api.admin.post(recs(), { title: 'B', qty: 1 })).body.id;
    fresh();
    expect((await api.admin.patch(`${recs()}/${id}`, { version: 1, qty: 5 })).body).toMatchObject({ qty: 5, double: 10 });
    expect(stagesOf()).toEqual(ALL);
    expect(trace.find((t) => t.stage === 'validate')!.double).toBe(10);
    expect(events.map((x) => [x.type, x.recordId, x.changes])).toEqual([['record.updated', id, { qty: { from: 1, to: 5 }, double: { from: 2, to: 10 } }]]);

    fresh();
    const bulk = await api.admin.post(`${recs()}/bulk-update`, { filter: { '==': [{ var: 'id' }, id] }, values: { qty: 7 } });
    expect(bulk.body).toEqual({ updated: 1, ids: [id] });
    expect(stagesOf()).toEqual(ALL);
    expect(trace.every((t) => t.kind === 'update' && t.source === 'bulk')).toBe(true);
    expect(events.map((x) => [x.type, x.changes])).toEqual([['record.updated', { qty: { from: 5, to: 7 }, double: { from: 10, to: 14 } }]]);

    for (const [call, type] of [
      [() => api.admin.delete(`${recs()}/${id}`), 'record.deleted'],
      [() => api.admin.post(`${recs()}/${id}/restore`), 'record.restored'],
      [() => api.admin.post(`${recs()}/bulk-delete`, { filter: { '==': [{ var: 'id' }, id] } }), 'record.deleted'],
      [() => api.admin.delete(`${recs()}/${id}/purge`), 'record.purged'],
    ] as const) {
      fresh();
      expect((await call()).status).toBeLessThan(300);
      expect(stagesOf()).toEqual(ALL);
      expect(events.map((x) => [x.type, x.recordId])).toEqual([[type, id]]);
    }
  });

  it('bulk create runs the stages once for the whole batch; a refused write stops before persist and publishes nothing', async () => {
    fresh();
    const res = await api.admin.post(`${recs()}/bulk`, { records: [{ title: 'C', qty: 1 }, { title: 'D' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(stagesOf()).toEqual(ALL);
    expect(trace.every((t) => t.source === 'bulk')).toBe(true);
    expect(events.map((x) => [x.type, x.recordId, x.changedKeys])).toEqual([
      ['record.created', res.body.ids[0], ['title', 'qty', 'double']],
      ['record.created', res.body.ids[1], ['title', 'double']],
    ]);

    fresh();
    expectProblem(await api.admin.post(recs(), { title: 'E', qty: 'many' }), 400, 'VALIDATION_FAILED');
    expect(stagesOf()).toEqual(['open', 'normalise']);
    expect(events).toEqual([]);
  });

  it('a public-form submission runs the same stages, as an anonymous actor', async () => {
    expect((await api.admin.request('PUT', `/api/entities/${e.id}/form`, { layout: [], fields: {}, validations: [] })).status).toBe(200);
    expect((await api.admin.post(`/api/entities/${e.id}/form/publish`)).status).toBe(200);
    const link = await api.admin.post(`/api/entities/${e.id}/form/public-link`, { exposedFields: ['title', 'qty'] });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    fresh();
    const res = await api.client().post(`/api/public/forms/${link.body.token}/submit`, { title: 'F', qty: 4 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(stagesOf()).toEqual(ALL);
    expect(trace.every((t) => t.source === 'public-form')).toBe(true);
    expect(trace.find((t) => t.stage === 'validate')!.double).toBe(8);
    expect(events).toEqual([expect.objectContaining({ type: 'record.created', source: 'public-form', actor: { kind: 'anonymous', userId: null } })]);
  });

  it('an in-transaction subscriber that throws undoes the write', async () => {
    const off = api.app.get(RecordEvents).subscribe({
      name: 'failing',
      inTransaction: async () => {
        throw new Error('outbox refused');
      },
    });
    try {
      const before = (await api.admin.get(`${recs()}/count`)).body.count;
      expect((await api.admin.post(recs(), { title: 'G' })).status).toBe(500);
      expect((await api.admin.get(`${recs()}/count`)).body.count).toBe(before);
    } finally {
      off();
    }
  });
});
