import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntity, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';

let api: TestApi;
let entity: any;
let customers: any;
const url = () => `/api/entities/${entity.id}/form`;
const design = () => `${url()}/design`;
const put = (path: string, body: unknown, headers: Record<string, string> = {}) => api.admin.request('PUT', path, body, headers);

beforeAll(async () => {
  api = await startApi();
  customers = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
  entity = await makeEntity(api.admin, [
    { key: 'title', label: 'Title', type: 'text' },
    { key: 'code', label: 'Code', type: 'text' },
    { key: 'note', label: 'Note', type: 'textarea' },
  ]);
  for (const code of ['12', 'abc', '7', 'x-1'])
    expect((await api.admin.post(`/api/entities/${entity.id}/records`, { title: `t${code}`, code })).status).toBe(201);
});

afterAll(async () => {
  await api?.close();
});

describe('form draft revisions', () => {
  it('counts revisions and refuses a stale If-Match with 409 DRAFT_CONFLICT, keeping the newer save', async () => {
    const first = await api.admin.get(url());
    expect(first.body.draft.revision).toBe(0);
    const a = await put(url(), { fields: { title: { help: 'A' } } }, { 'if-match': '"0"' });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.draft.revision).toBe(1);
    // A second admin still holding revision 0 saves: refused, the first save stays.
    const b = await put(url(), { fields: { title: { help: 'B' } } }, { 'if-match': '"0"' });
    const p = expectProblem(b, 409, 'DRAFT_CONFLICT');
    expect(p.currentRevision).toBe(1);
    expect((await api.admin.get(url())).body.draft.definition.fields.title.help).toBe('A');
    expectProblem(await put(url(), {}, { 'if-match': 'soon' }), 400, 'INVALID_REQUEST');
  });
});

describe('designer document', () => {
  it('starts from the entity and survives a reload; a stale save is refused', async () => {
    const start = await api.admin.get(design());
    expect(start.status).toBe(200);
    expect(start.body.saved).toBe(false);
    expect(start.body.document.fields.map((f: any) => f.key)).toEqual(['title', 'code', 'note']);
    const rev = start.body.revision;
    const doc = {
      fields: [
        ...start.body.document.fields,
        { key: 'amount', label: 'Amount', type: 'number', settings: { precision: 2 } },
        { key: 'customer', label: 'Customer', type: 'relation', settings: { targetEntityId: customers.id } },
      ],
      form: { layout: [{ type: 'section', id: 's1', title: 'Main', children: [{ type: 'field', key: 'amount' }] }] },
    };
    const saved = await put(design(), { revision: rev, document: doc });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.revision).toBe(rev + 1);
    const again = await api.admin.get(design());
    expect(again.body.saved).toBe(true);
    expect(again.body.document.fields.map((f: any) => f.key)).toContain('customer');
    const stale = expectProblem(await put(design(), { revision: rev, document: doc }), 409, 'DRAFT_CONFLICT');
    expect(stale.currentRevision).toBe(rev + 1);
    expect((await api.admin.get(url())).body.draft.hasDesign).toBe(true);
  });

  it('refuses a body that is not a designer document, naming the part', async () => {
    const rev = (await api.admin.get(design())).body.revision;
    const bad = expectProblem(
      await put(design(), { revision: rev, document: { fields: [{ key: 'a', label: 'A', type: 'text', colour: 1 }] } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(bad.errors[0].path).toBe('/document/fields/0/colour');
    expectProblem(await put(design(), { document: { fields: [] } }), 400, 'INVALID_REQUEST');
  });

  it('previews the changes with the data check: a text holding non-numbers cannot become a number', async () => {
    const cur = (await api.admin.get(design())).body;
    const fields = cur.document.fields.map((f: any) => (f.key === 'code' ? { ...f, type: 'number', settings: {} } : f)).filter((f: any) => f.key !== 'note');
    fields[0] = { ...fields[0], label: 'Headline' };
    expect((await put(design(), { revision: cur.revision, document: { ...cur.document, fields } })).status).toBe(200);
    const pv = await api.admin.post(`${design()}/preview`);
    expect(pv.status, JSON.stringify(pv.body)).toBe(200);
    expect(pv.body.added.map((f: any) => f.key)).toEqual(['amount', 'customer']);
    expect(pv.body.removed.map((f: any) => f.key)).toEqual(['note']);
    expect(pv.body.renamed).toEqual([{ key: 'title', from: 'Title', to: 'Headline' }]);
    const tc = pv.body.typeChanged[0];
    expect(tc).toMatchObject({ key: 'code', from: 'text', to: 'number' });
    expect(tc.check).toMatchObject({ code: 'TYPE_CHANGE_DATA_MISMATCH', rowCount: 2 });
    expect(tc.check.sampleIds).toHaveLength(2);
    expect(pv.body.publishable).toBe(false);
    // Publishing is refused as a whole: nothing changes.
    const refused = expectProblem(await api.admin.post(`${design()}/publish`, { revision: pv.body.revision }), 409, 'DESIGN_REFUSED');
    expect(refused.preview.problems[0].field).toBe('code');
    const ent = await api.admin.get(`/api/entities/${entity.id}`);
    expect(ent.body.fields.map((f: any) => f.key)).toEqual(['title', 'code', 'note']);
  });

  it('publishes the previewed revision: fields added, changed, removed, then the form', async () => {
    const cur = (await api.admin.get(design())).body;
    const fields = cur.document.fields.map((f: any) => (f.key === 'code' ? { ...f, type: 'text', settings: {} } : f));
    fields.push({ key: 'bad', label: 'Bad', type: 'no_such_type' });
    expect((await put(design(), { revision: cur.revision, document: { ...cur.document, fields } })).status).toBe(200);
    const pv = (await api.admin.post(`${design()}/preview`)).body;
    expect(pv.problems.map((p: any) => p.code)).toContain('unknown_type');
    fields.pop();
    const saved = await put(design(), { revision: pv.revision, document: { ...cur.document, fields } });
    const ok = (await api.admin.post(`${design()}/preview`)).body;
    expect(ok.publishable, JSON.stringify(ok.problems)).toBe(true);
    expectProblem(await api.admin.post(`${design()}/publish`, { revision: ok.revision - 1 }), 409, 'DRAFT_CONFLICT');
    const pub = await api.admin.post(`${design()}/publish`, { revision: saved.body.revision });
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    expect(pub.body).toMatchObject({ version: 1, created: true });
    const ent = await api.admin.get(`/api/entities/${entity.id}`);
    expect(ent.body.fields.map((f: any) => [f.key, f.label])).toEqual([
      ['title', 'Headline'],
      ['code', 'Code'],
      ['amount', 'Amount'],
      ['customer', 'Customer'],
    ]);
    const form = (await api.admin.get(url())).body;
    expect(form.published.definition.layout[0].children[0].key).toBe('amount');
    expect(form.draft.hasDesign).toBe(false);
    const after = (await api.admin.get(design())).body;
    expect(after.saved).toBe(false);
    expect(after.publishedKeys).toEqual(['title', 'code', 'amount', 'customer']);
    const audit = await api.admin.get(`/api/audit?action=form.design_publish`);
    if (audit.status === 200) expect(JSON.stringify(audit.body)).toContain('form.design_publish');
  });
});
