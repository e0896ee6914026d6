import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { download, fromGbk, gbk, uploadImport, waitForImport, xlsxOf, xlsxRows } from './support/imports';
import { OrgSeed, type SeededMember } from './support/org';
import { expectProblem } from './support/problems';
import { RecordWritePipeline } from '../src/modules/records/write-pipeline';
import { countOf, listIds, qs } from './support/records';

/** Imports through the API: upload, scans with value mapping, the job, error files, upsert, all-or-nothing, permissions. */
describe('imports', () => {
  let api: TestApi;
  let products: any;
  let customers: any;
  let sales: SeededMember;
  let viewer: SeededMember;
  let viewerClient: Client;
  let salesClient: Client;

  const records = async (entityId: string, params: Record<string, unknown> = {}) =>
    (await api.admin.get(`/api/entities/${entityId}/records${qs({ limit: 200, sort: 'id', ...params })}`)).body.items as any[];

  beforeAll(async () => {
    api = await startApi({ env: { JOBS_CONSUME: 'on' } });
    const org = await OrgSeed.of(api);
    const reps = await org.role('reps');
    const viewers = await org.role('viewers');
    sales = await org.member('Sales Zhang', { roles: [reps] });
    viewer = await org.member('Viewer Li', { roles: [viewers] });
    products = await makeEntity(api.admin, [
      { key: 'name', label: '产品名称', type: 'text', unique: true },
      { key: 'sku', label: 'SKU', type: 'text', unique: true },
    ]);
    for (const [name, sku] of [
      ['Phone', 'P-1'],
      ['Laptop', 'P-2'],
    ])
      expect((await api.admin.post(`/api/entities/${products.id}/records`, { name, sku })).status).toBe(201);
    customers = await makeEntity(api.admin, [
      { key: 'name', label: '客户名称', type: 'text', required: true },
      { key: 'code', label: '编码', type: 'text', unique: true },
      {
        key: 'level',
        label: '等级',
        type: 'select',
        settings: {
          options: [
            { value: 'hot', label: 'Hot' },
            { value: 'warm', label: 'Warm' },
          ],
        },
      },
      { key: 'amount', label: '金额', type: 'money', settings: { precision: 2 } },
      { key: 'signed', label: '签约日期', type: 'date' },
      { key: 'sales', label: '负责销售', type: 'member' },
      { key: 'product', label: '产品', type: 'relation', settings: { targetEntityId: products.id } },
    ]);
    const parent = await api.admin.post(`/api/entities/${customers.id}/fields`, {
      key: 'parent',
      label: '上级公司',
      type: 'relation',
      settings: { targetEntityId: customers.id },
    });
    expect(parent.status, JSON.stringify(parent.body)).toBeLessThan(300);
    for (const [entity, role, preset] of [
      [customers, reps, 'manage_all'],
      [products, reps, 'view_all'],
      [customers, viewers, 'view_all'],
    ] as const) {
      const g = await api.admin.post(`/api/entities/${entity.id}/permission-groups`, { preset, roles: [role] });
      expect(g.status, JSON.stringify(g.body)).toBe(201);
    }
    salesClient = await org.login(sales);
    viewerClient = await org.login(viewer);
  });
  afterAll(async () => api?.close());

  it('a dirty GBK CSV: columns matched by label, unmatched values listed and mapped, the job imports the rest, the error file is the original with an error column', async () => {
    const csv = [
      '客户名称,编码,等级,金额,签约日期,负责销售,产品',
      `甲公司,C-1,hot,"1,234.50",2026/03/01,${sales.email},Phone`,
      '乙公司,C-2,Hott,88,2026/03/02,,Laptop',
      '丙公司,C-3,warm,12,2026/13/40,,Phone',
      '丁公司,C-4,warm,5,2026/03/04,,Tablet',
      ',C-5,warm,5,2026/03/05,,Phone',
    ].join('\r\n');
    const up = await uploadImport(salesClient, customers.id, '客户.csv', gbk(csv));
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.info.csv.encoding).toBe('gb18030');
    const targets = up.body.mapping.columns.map((c: any) => c.target);
    expect(targets).toEqual(['name', 'code', 'level', 'amount', 'signed', 'sales', 'product']);
    const id = up.body.id;

    const scan = await salesClient.post(`/api/imports/${id}/scan`, { dateFormat: 'YMD' });
    expect(scan.status, JSON.stringify(scan.body)).toBe(200);
    expect(scan.body.totalRows).toBe(5);
    const unmatched = Object.fromEntries(scan.body.unmatched.map((u: any) => [u.target, u.values.map((v: any) => v.value)]));
    expect(unmatched).toEqual({ level: ['Hott'], product: ['Tablet'] });
    expect(scan.body.unmatched.find((u: any) => u.target === 'level').values[0].suggestions).toContain('hot');
    expect(scan.body.preview[0].values).toMatchObject({ name: '甲公司', amount: 1234.5, signed: '2026-03-01', sales: sales.id, level: 'hot' });

    const valueMappings = [
      { target: 'level', value: 'Hott', action: 'map', to: 'hot' },
      { target: 'product', value: 'Tablet', action: 'skip' },
    ];
    const rescan = await salesClient.post(`/api/imports/${id}/scan`, { valueMappings });
    expect(rescan.body.unmatched).toEqual([]);
    expect(rescan.body.validRows).toBe(2);

    const run = await salesClient.post(`/api/imports/${id}/run`, {});
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    const done = await waitForImport(salesClient, id);
    expect(done).toMatchObject({ status: 'done', errorFile: true, progress: { created: 2, errorRows: 3 } });
    const rows = await records(customers.id);
    expect(rows.map((r) => [r.name, r.level, r.amount])).toEqual([
      ['甲公司', 'hot', 1234.5],
      ['乙公司', 'hot', 88],
    ]);
    expect(rows[0].product).toBeGreaterThan(0);
    expect((await salesClient.post(`/api/imports/${id}/run`, {})).status).toBe(409);

    const file = await download(salesClient, `/api/imports/${id}/error-file`);
    expect(file.status).toBe(200);
    const text = fromGbk(file.bytes);
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('客户名称,编码,等级,金额,签约日期,负责销售,产品,Errors');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['C-3', 'C-4', 'C-5']);
    expect(text).toContain('Row 4: 签约日期');
  });

  it('an .xlsx with upsert by a unique field and a parent in the same file; an option added by the value-mapping step', async () => {
    const bytes = await xlsxOf([
      ['客户名称', '编码', '等级', '上级公司', '签约日期'],
      ['甲公司（新）', 'C-1', 'Cold', null, 46082],
      ['戊公司', 'C-6', 'warm', '己公司', '03/15/2026'],
      ['己公司', 'C-7', 'warm', '甲公司（新）', '03/16/2026'],
    ]);
    const up = await uploadImport(api.admin, customers.id, 'customers.xlsx', bytes);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.format).toBe('xlsx');
    const choices = { upsertBy: 'code', dateFormat: 'MDY', valueMappings: [{ target: 'level', value: 'Cold', action: 'add' }] };
    const scan = await api.admin.post(`/api/imports/${up.body.id}/scan`, choices);
    expect(scan.status, JSON.stringify(scan.body)).toBe(200);
    expect(scan.body).toMatchObject({ creates: 2, updates: 1, errorRows: 0 });
    expect(scan.body.optionsToAdd).toEqual([{ target: 'level', options: [{ value: 'Cold', label: 'Cold' }] }]);
    expect((await api.admin.post(`/api/imports/${up.body.id}/run`, choices)).status).toBe(202);
    const done = await waitForImport(api.admin, up.body.id);
    expect(done).toMatchObject({ status: 'done', errorFile: false, progress: { created: 2, updated: 1, errorRows: 0 } });
    const byCode = Object.fromEntries((await records(customers.id)).map((r) => [r.code, r]));
    expect(byCode['C-1']).toMatchObject({ name: '甲公司（新）', level: 'Cold', signed: '2026-03-01' });
    expect(byCode['C-6'].parent).toBe(byCode['C-7'].id);
    expect(byCode['C-7'].parent).toBe(byCode['C-1'].id);
    expect(byCode['C-6'].signed).toBe('2026-03-15');
  });

  it('all or nothing: one bad row and nothing is written; its error file lists it', async () => {
    const before = (await listIds(api.admin, customers.id)).length;
    const csv = '客户名称,金额\r\nA,1\r\nB,abc\r\nC,3\r\n';
    const up = await uploadImport(salesClient, customers.id, 'all.csv', Buffer.from(csv));
    expect((await salesClient.post(`/api/imports/${up.body.id}/run`, { write: 'all-or-nothing' })).status).toBe(202);
    const done = await waitForImport(salesClient, up.body.id);
    expect(done).toMatchObject({ status: 'aborted', errorFile: true, progress: { created: 0, errorRows: 1 } });
    expect((await listIds(api.admin, customers.id)).length).toBe(before);
    const file = await download(salesClient, `/api/imports/${up.body.id}/error-file`);
    expect(file.bytes.toString('utf8')).toContain('B,abc,');
  });

  it('a job that dies mid-import is run again and resumes after the last committed batch: no row twice, none lost', async () => {
    const target = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text', required: true },
      { key: 'code', label: 'Code', type: 'text', unique: true },
    ]);
    const csv = ['Name,Code', ...Array.from({ length: 2500 }, (_, i) => `N${i},K${i}`)].join('\n');
    const up = await uploadImport(api.admin, target.id, 'big.csv', Buffer.from(csv));
    // The second batch's write fails once, inside its transaction, as a crash there would.
    let imports = 0;
    const remove = api.app.get(RecordWritePipeline).register({
      name: 'crash-once',
      persist: (w) => {
        if (w.source === 'import' && w.c.meta.id === target.id && ++imports === 2) throw new Error('simulated crash');
      },
    });
    try {
      expect((await api.admin.post(`/api/imports/${up.body.id}/run`, {})).status).toBe(202);
      const done = await waitForImport(api.admin, up.body.id);
      expect(done).toMatchObject({ status: 'done', progress: { created: 2500, errorRows: 0, rowsDone: 2500 } });
    } finally {
      remove();
    }
    expect(imports).toBeGreaterThanOrEqual(4);
    expect(await countOf(api.admin, target.id)).toBe(2500);
  });

  it('batches written two at a time (MySQL) still count, log and report refused rows in row order', async () => {
    const target = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text', required: true },
      { key: 'qty', label: 'Qty', type: 'number' },
    ]);
    const bad = new Set([5, 1500, 1501, 2400]);
    const csv = ['Name,Qty', ...Array.from({ length: 3500 }, (_, i) => `N${i},${bad.has(i) ? 'many' : i}`)].join('\n');
    const up = await uploadImport(api.admin, target.id, 'four-batches.csv', Buffer.from(csv));
    expect((await api.admin.post(`/api/imports/${up.body.id}/run`, {})).status).toBe(202);
    const done = await waitForImport(api.admin, up.body.id);
    expect(done).toMatchObject({ status: 'done', errorFile: true, progress: { created: 3496, errorRows: 4, rowsDone: 3500 } });
    expect(await countOf(api.admin, target.id)).toBe(3496);
    const lines = (await download(api.admin, `/api/imports/${up.body.id}/error-file`)).bytes.toString('utf8').split(/\r?\n/).filter(Boolean);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['N5', 'N1500', 'N1501', 'N2400']);
  });

  it('an import’s creates skip the pipeline’s second schema pass, never its required-field check', async () => {
    const target = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text', required: true },
      { key: 'qty', label: 'Qty', type: 'number' },
    ]);
    const csv = ['Name,Qty', ...Array.from({ length: 5 }, (_, i) => `N${i},${i}`)].join('\n');
    const up = await uploadImport(api.admin, target.id, 'prechecked.csv', Buffer.from(csv));
    // After the import checked the rows, a value the schema requires goes missing from the third.
    const flags: unknown[] = [];
    const remove = api.app.get(RecordWritePipeline).register({
      name: 'drop-required',
      open: (w) => {
        if (w.c.meta.id !== target.id) return;
        flags.push(w.valuesChecked);
        for (const r of w.records) if ((r.input as { name?: string }).name === 'N2') delete (r.input as { name?: string }).name;
      },
    });
    try {
      expect((await api.admin.post(`/api/imports/${up.body.id}/run`, {})).status).toBe(202);
      expect(await waitForImport(api.admin, up.body.id)).toMatchObject({ status: 'done', progress: { created: 4, errorRows: 1, rowsDone: 5 } });
      expect((await api.admin.post(`/api/entities/${target.id}/records`, { name: 'API', qty: 1 })).status).toBe(201);
    } finally {
      remove();
    }
    // The import's writes carry the flag; the records API's create does not.
    expect(flags[0]).toBe('import-schema');
    expect(flags.at(-1)).toBeUndefined();
    expect((await records(target.id)).map((r) => r.name)).toEqual(['N0', 'N1', 'N3', 'N4', 'API']);
  });

  it('refused without the import permission; another member’s import is not found; bad files are named', async () => {
    const csv = Buffer.from('客户名称\r\nX\r\n');
    expectProblem(await uploadImport(viewerClient, customers.id, 'x.csv', csv), 403, 'FORBIDDEN');
    const mine = await uploadImport(salesClient, customers.id, 'x.csv', csv);
    expectProblem(await viewerClient.get(`/api/imports/${mine.body.id}`), 404, 'IMPORT_NOT_FOUND');
    expectProblem(await viewerClient.post(`/api/imports/${mine.body.id}/run`, {}), 404, 'IMPORT_NOT_FOUND');
    expectProblem(await uploadImport(salesClient, customers.id, 'old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0])), 415, 'UNSUPPORTED_FILE');
    expectProblem(await uploadImport(salesClient, customers.id, 'empty.csv', Buffer.from('')), 400, 'EMPTY_FILE');
    expectProblem(await salesClient.post(`/api/imports/${mine.body.id}/scan`, { write: 'sometimes' }), 400, 'VALIDATION_FAILED');
    // Adding options is a design change: a member who may import but not design is refused.
    const add = await salesClient.post(`/api/imports/${mine.body.id}/run`, { valueMappings: [{ target: 'level', value: 'New', action: 'add' }] });
    expect(add.status).toBe(403);
  });

  it('exports the filtered, sorted view as CSV and .xlsx, formulas made inert, under the export permission', async () => {
    expect((await api.admin.post(`/api/entities/${customers.id}/records`, { name: '=HYPERLINK("x")', code: 'C-9', amount: -5 })).status).toBe(201);
    const filter = encodeURIComponent(JSON.stringify({ in: [{ var: 'code' }, ['C-1', 'C-9']] }));
    const csv = await download(api.admin, `/api/entities/${customers.id}/export?format=csv&columns=name,code,amount&sort=-code&filter=${filter}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = csv.bytes.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1).split('\r\n').filter(Boolean)).toEqual(['客户名称,编码,金额', `"'=HYPERLINK(""x"")",C-9,-5.00`, '甲公司（新）,C-1,1234.50']);
    const xlsx = await download(api.admin, `/api/entities/${customers.id}/export?format=xlsx&columns=code,level&filter=${filter}&sort=code`);
    expect(xlsx.status).toBe(200);
    expect(await xlsxRows(xlsx.bytes)).toEqual([['编码', '等级'], ['C-1', 'Cold'], ['C-9']]);
    expectProblem(await viewerClient.get(`/api/entities/${customers.id}/export?columns=nope`), 400, 'UNKNOWN_FIELD');
    const viewerCsv = await download(viewerClient, `/api/entities/${customers.id}/export?format=csv&columns=code`);
    expect(viewerCsv.status).toBe(200);
  });

  it('exports as a background job: progress, then the file; someone else’s export is not found', async () => {
    const started = await api.admin.post(`/api/entities/${customers.id}/exports`, {
      format: 'csv',
      columns: 'code',
      sort: 'code',
      filter: { in: [{ var: 'code' }, ['C-1', 'C-9']] },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body.status).toBe('queued');
    const until = Date.now() + 30_000;
    let state = started.body;
    while (state.status !== 'done' && state.status !== 'failed' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await api.admin.get(`/api/exports/${started.body.id}`)).body;
    }
    expect(state).toMatchObject({ status: 'done', rows: 2, format: 'csv' });
    const file = await download(api.admin, `/api/exports/${started.body.id}/file`);
    expect(file.bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean)).toEqual(['编码', 'C-1', 'C-9']);
    expectProblem(await viewerClient.get(`/api/exports/${started.body.id}`), 404, 'IMPORT_NOT_FOUND');
    expectProblem(await salesClient.post(`/api/entities/${customers.id}/exports`, { format: 'pdf' }), 400, 'VALIDATION_FAILED');
  });
});
