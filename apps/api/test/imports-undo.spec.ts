import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntity, startApi, type TestApi } from './support/harness';
import { download, uploadImport, waitForImport } from './support/imports';
import { countOf } from './support/records';
import { Db } from '../src/database/db';
import { RecordWritePipeline } from '../src/modules/records/write-pipeline';

/**
 * All or nothing undoes what the pipeline refused only while writing (docs/import-export.md,
 * "All or nothing"): a form's submit validation the engine does not know refuses a row of the
 * third batch; the records the first two batches created are purged, the ones they updated
 * get their values back, and the error file names the row.
 */
describe('all-or-nothing imports undo what they wrote', () => {
  let api: TestApi;
  let target: any;

  beforeAll(async () => {
    api = await startApi({ env: { JOBS_CONSUME: 'on' } });
    target = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text', required: true },
      { key: 'code', label: 'Code', type: 'text', unique: true },
      { key: 'qty', label: 'Qty', type: 'number', settings: { precision: 0 } },
    ]);
    const form = {
      layout: [],
      fields: {},
      validations: [
        { id: 'no_bad', condition: { '!': { '==': [{ var: 'name' }, 'BAD'] } }, field: 'name', message: { en: 'BAD is not a name', 'zh-CN': 'BAD 不是名称' } },
      ],
      hiddenFieldPolicy: 'clear',
    };
    expect((await api.admin.request('PUT', `/api/entities/${target.id}/form`, form)).status).toBe(200);
    expect((await api.admin.post(`/api/entities/${target.id}/form/publish`)).status).toBe(200);
  });
  afterAll(async () => api?.close());
  const journal = async () => Number((await api.app.get(Db).query<{ n: unknown }>('SELECT COUNT(*) AS n FROM import_writes'))[0]!.n);

  const csvOf = (names: (i: number) => string) => ['Name,Code,Qty', ...Array.from({ length: 2500 }, (_, i) => `${names(i)},K${i},${i}`)].join('\n');

  it('a row the server refuses in the third batch: nothing of the import remains, updated records are restored, the error file names the row', async () => {
    const kept = await api.admin.post(`/api/entities/${target.id}/records`, { name: 'Stored', code: 'K5', qty: 7 });
    expect(kept.status, JSON.stringify(kept.body)).toBe(201);
    // File row 2302 (data row 2301, the header is row 1) is in the third batch of 1 000.
    const up = await uploadImport(api.admin, target.id, 'undo.csv', Buffer.from(csvOf((i) => (i === 2300 ? 'BAD' : `N${i}`))));
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    // Counts the records the import's writes committed before the refusal (so the undo really had work).
    let written = 0;
    const remove = api.app.get(RecordWritePipeline).register({
      name: 'count-writes',
      persist: (w) => {
        if (w.source === 'import' && w.c.meta.id === target.id) written += w.records.length;
      },
    });
    let done: any;
    try {
      const run = await api.admin.post(`/api/imports/${up.body.id}/run`, { write: 'all-or-nothing', upsertBy: 'code' });
      expect(run.status, JSON.stringify(run.body)).toBe(202);
      done = await waitForImport(api.admin, up.body.id, 120_000);
    } finally {
      remove();
    }
    // Two batches of 1 000 (one of them the upsert of K5) went in before row 2302 was refused; the restore of K5 is one more write.
    expect(written).toBeGreaterThanOrEqual(2001);
    expect(done).toMatchObject({ status: 'aborted', errorFile: true, progress: { created: 0, updated: 0, errorRows: 1 } });
    expect(await countOf(api.admin, target.id)).toBe(1);
    const stored = await api.admin.get(`/api/entities/${target.id}/records/${kept.body.id}`);
    expect(stored.body).toMatchObject({ name: 'Stored', code: 'K5', qty: 7 });
    const file = (await download(api.admin, `/api/imports/${up.body.id}/error-file`)).bytes.toString('utf8');
    const lines = file.split(/\r?\n/).filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('BAD,K2300,2300');
    expect(lines[1]).toContain('Row 2302');
    expect(lines[1]).toContain('BAD is not a name');
    // The journal is gone with the undo; the same file without the bad row then imports whole.
    expect(Number(await journal())).toBe(0);
  });

  it('the same import without the refused row goes in whole, and leaves no journal', async () => {
    const up = await uploadImport(api.admin, target.id, 'ok.csv', Buffer.from(csvOf((i) => `M${i}`)));
    expect((await api.admin.post(`/api/imports/${up.body.id}/run`, { write: 'all-or-nothing', upsertBy: 'code' })).status).toBe(202);
    const done = await waitForImport(api.admin, up.body.id, 120_000);
    expect(done).toMatchObject({ status: 'done', progress: { created: 2499, updated: 1, errorRows: 0 } });
    expect(await countOf(api.admin, target.id)).toBe(2500);
    expect(Number(await journal())).toBe(0);
  });

  it('a job that dies after its first batch and is run again still undoes the batch the first attempt wrote', async () => {
    const before = await countOf(api.admin, target.id);
    const up = await uploadImport(api.admin, target.id, 'crash.csv', Buffer.from(csvOf((i) => (i === 2400 ? 'BAD' : `C${i}`)).replace(/K(\d+)/g, 'X$1')));
    let imports = 0;
    const remove = api.app.get(RecordWritePipeline).register({
      name: 'crash-once',
      persist: (w) => {
        if (w.source === 'import' && w.kind === 'create' && w.c.meta.id === target.id && ++imports === 2) throw new Error('simulated crash');
      },
    });
    try {
      expect((await api.admin.post(`/api/imports/${up.body.id}/run`, { write: 'all-or-nothing' })).status).toBe(202);
      const done = await waitForImport(api.admin, up.body.id, 120_000);
      expect(done).toMatchObject({ status: 'aborted', errorFile: true, progress: { created: 0, errorRows: 1 } });
    } finally {
      remove();
    }
    expect(imports).toBeGreaterThanOrEqual(3);
    expect(await countOf(api.admin, target.id)).toBe(before);
    expect(await journal()).toBe(0);
    const file = (await download(api.admin, `/api/imports/${up.body.id}/error-file`)).bytes.toString('utf8');
    expect(file).toContain('Row 2402');
  });
});
