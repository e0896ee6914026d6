import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntity, startApi, type TestApi } from './support/harness';
import { countOf, listIds, paths, upload } from './support/records';

const opts = (...values: string[]) => values.map((value) => ({ value, label: value.toUpperCase() }));

/** One field of every type; `customers` is the relation target. */
function dealFields(customersId: string) {
  return [
    { key: 'name', label: 'Name', type: 'text', required: true, settings: { maxLength: 20 } },
    { key: 'code', label: 'Code', type: 'text', unique: true },
    { key: 'notes', label: 'Notes', type: 'textarea', settings: { maxLength: 50 } },
    { key: 'qty', label: 'Qty', type: 'number', settings: { precision: 2, min: 0, max: 1000 } },
    { key: 'amount', label: 'Amount', type: 'money', settings: { currency: 'EUR', precision: 2 } },
    { key: 'due', label: 'Due', type: 'date' },
    { key: 'met_at', label: 'Met at', type: 'datetime' },
    { key: 'active', label: 'Active', type: 'switch' },
    { key: 'size', label: 'Size', type: 'radio', settings: { options: opts('s', 'm', 'l') } },
    { key: 'tags', label: 'Tags', type: 'checkbox', settings: { options: opts('a', 'b', 'c') } },
    { key: 'level', label: 'Level', type: 'select', settings: { options: opts('hot', 'cold') } },
    { key: 'colors', label: 'Colors', type: 'multiselect', settings: { options: opts('red', 'green', 'blue') } },
    { key: 'email', label: 'Email', type: 'email' },
    { key: 'phone', label: 'Phone', type: 'phone' },
    { key: 'site', label: 'Site', type: 'url' },
    { key: 'rep', label: 'Rep', type: 'member' },
    { key: 'dept', label: 'Department', type: 'department' },
    { key: 'customer', label: 'Customer', type: 'relation', settings: { targetEntityId: customersId } },
    { key: 'contacts', label: 'Contacts', type: 'relation', settings: { targetEntityId: customersId, multiple: true } },
    {
      key: 'lines',
      label: 'Lines',
      type: 'subform',
      settings: {
        fields: [
          { key: 'product', label: 'Product', type: 'text', required: true },
          { key: 'qty', label: 'Qty', type: 'number', settings: { precision: 0, min: 1 } },
          { key: 'doc', label: 'Doc', type: 'attachment', settings: { maxFiles: 1 } },
        ],
      },
    },
    { key: 'files', label: 'Files', type: 'attachment' },
    { key: 'no', label: 'No', type: 'serial', settings: { prefix: 'D-', datePart: '', digits: 3 } },
  ];
}

describe('records API', () => {
  let api: TestApi;
  let me: { id: string };
  let customers: any;
  let deals: any;
  let cust: number[];
  const recs = (e = deals) => `/api/entities/${e.id}/records`;

  beforeAll(async () => {
    api = await startApi();
    me = (await api.admin.get('/api/auth/me')).body.user;
    customers = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
    cust = [];
    for (const name of ['Acme', 'Globex', 'Initech']) cust.push((await api.admin.post(recs(customers), { name })).body.id);
    deals = await makeEntity(api.admin, dealFields(customers.id));
  });
  afterAll(async () => api?.close());

  describe('every field type', () => {
    let file: { id: string; name: string; size: number; mime: string };
    const bytes = new TextEncoder().encode('%PDF-1.4 quote body \u00e9');

    beforeAll(async () => {
      file = await upload(api.admin, 'quote.pdf', bytes, 'application/pdf');
    });

    function fullInput() {
      return {
        name: 'Big deal',
        code: 'BD-1',
        notes: 'line one\nline two',
        qty: 12.25,
        amount: 1999.9,
        due: '2026-02-28',
        met_at: '2026-03-04T10:20:30+02:00',
        active: true,
        size: 'm',
        tags: ['a', 'c'],
        level: 'hot',
        colors: ['green', 'red'],
        email: 'ann@example.com',
        phone: '+49 30 123456',
        site: 'https://example.com/deals?id=1',
        rep: me.id,
        customer: cust[0],
        contacts: [cust[2], cust[1]],
        lines: [
          { product: 'Widget', qty: 3, doc: [file.id] },
          { product: 'Gadget', qty: 1 },
        ],
        files: [file.id],
      };
    }

    it('creates a record with every type and reads back the same values', async () => {
      const res = await api.admin.post(recs(), fullInput());
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const rec = res.body;
      expect(rec).toMatchObject({
        version: 1,
        createdBy: me.id,
        updatedBy: me.id,
        ownerId: me.id,
        name: 'Big deal',
        notes: 'line one\nline two',
        qty: 12.25,
        amount: 1999.9,
        due: '2026-02-28',
        met_at: '2026-03-04T08:20:30.000Z',
        active: true,
        size: 'm',
        tags: ['a', 'c'],
        level: 'hot',
        colors: ['green', 'red'],
        email: 'ann@example.com',
        phone: '+49 30 123456',
        site: 'https://example.com/deals?id=1',
        rep: me.id,
        dept: null,
        customer: cust[0],
        files: [{ id: file.id, name: 'quote.pdf', size: bytes.length, mime: 'application/pdf' }],
      });
      expect(typeof rec.id).toBe('number');
      expect([...rec.contacts].sort()).toEqual([cust[1], cust[2]].sort());
      expect(rec.lines.map((l: any) => [l.product, l.qty, l.doc])).toEqual([
        ['Widget', 3, [{ id: file.id, name: 'quote.pdf', size: bytes.length, mime: 'application/pdf' }]],
        ['Gadget', 1, null],
      ]);
      for (const l of rec.lines) expect(l.id).toEqual(expect.any(Number));
      expect(rec.no).toMatch(/^D-\d{3}$/);
      expect(new Date(rec.createdAt).toISOString()).toBe(rec.createdAt);

      const read = await api.admin.get(`${recs()}/${rec.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(rec);
    });

    it('a bulk create stores every type exactly as a single create does', async () => {
      const single = (await api.admin.post(recs(), { ...fullInput(), code: 'BD-S' })).body;
      const res = await api.admin.post(`${recs()}/bulk`, {
        records: [
          { ...fullInput(), code: 'BD-B1' },
          { ...fullInput(), code: 'BD-B2', qty: 999.99, amount: -5.05, met_at: '2026-03-04T08:20:30.123456Z' },
        ],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const [b1, b2] = await Promise.all(res.body.ids.map(async (id: number) => (await api.admin.get(`${recs()}/${id}`)).body));
      const same = (r: any) => ({
        ...r,
        id: 0,
        code: '',
        no: '',
        createdAt: '',
        updatedAt: '',
        lines: r.lines.map((l: any) => ({ ...l, id: 0 })),
        contacts: [...r.contacts].sort(),
      });
      expect(same(b1)).toEqual(same(single));
      expect(b2).toMatchObject({ qty: 999.99, amount: -5.05, met_at: '2026-03-04T08:20:30.123Z' });
    });

    it('serves the uploaded bytes of an attachment', async () => {
      const res = await fetch(`${api.baseUrl}/api/files/${file.id}`, { headers: { cookie: api.admin.cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/pdf');
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
      const other = await api.admin.get('/api/files/00000000-0000-0000-0000-000000000000');
      expect(other.status).toBe(404);
      expect(other.body.code).toBe('FILE_NOT_FOUND');
    });

    it('accepts attachments written back as read ({ id, name, size, mime })', async () => {
      const created = (await api.admin.post(recs(), { name: 'With file', files: [file.id] })).body;
      const res = await api.admin.patch(`${recs()}/${created.id}`, { version: created.version, files: created.files, notes: 'touched' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.files).toEqual([{ id: file.id, name: 'quote.pdf', size: bytes.length, mime: 'application/pdf' }]);
    });

    it('updates every type; subform rows sent with their id keep it, rows left out are removed', async () => {
      const created = (await api.admin.post(recs(), { ...fullInput(), code: 'BD-2' })).body;
      const [widget, gadget] = created.lines;
      const second = await upload(api.admin, 'b.txt', new TextEncoder().encode('hello'), 'text/plain');
      const patch = {
        version: created.version,
        name: 'Bigger deal',
        notes: null,
        qty: 0,
        amount: -5.5,
        due: '2027-01-01',
        met_at: '2027-01-01T00:00:00Z',
        active: false,
        size: 'l',
        tags: [],
        level: 'cold',
        colors: ['blue'],
        email: 'bob@example.org',
        phone: '030 987654',
        site: 'http://example.org',
        rep: null,
        customer: cust[1],
        contacts: [cust[0]],
        lines: [
          { id: gadget.id, product: 'Gadget v2', qty: 5 },
          { product: 'Gizmo', qty: 2 },
        ],
        files: [second.id, file.id],
      };
      const res = await api.admin.patch(`${recs()}/${created.id}`, patch);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        version: 2,
        name: 'Bigger deal',
        notes: null,
        qty: 0,
        amount: -5.5,
        due: '2027-01-01',
        met_at: '2027-01-01T00:00:00.000Z',
        active: false,
        size: 'l',
        tags: [],
        level: 'cold',
        colors: ['blue'],
        email: 'bob@example.org',
        phone: '030 987654',
        site: 'http://example.org',
        rep: null,
        customer: cust[1],
        contacts: [cust[0]],
        no: created.no,
        files: [
          { id: second.id, name: 'b.txt', size: 5, mime: 'text/plain' },
          { id: file.id, name: 'quote.pdf', size: bytes.length, mime: 'application/pdf' },
        ],
      });
      expect(res.body.lines).toHaveLength(2);
      expect(res.body.lines[0]).toEqual({ id: gadget.id, product: 'Gadget v2', qty: 5, doc: null });
      expect(res.body.lines[1]).toMatchObject({ product: 'Gizmo', qty: 2 });
      expect([widget.id, gadget.id]).not.toContain(res.body.lines[1].id);
      expect(res.body.updatedAt >= created.updatedAt).toBe(true);

      const read = (await api.admin.get(`${recs()}/${created.id}`)).body;
      expect(read).toEqual(res.body);

      // A partial update leaves the other fields alone.
      const partial = await api.admin.patch(`${recs()}/${created.id}`, { version: 2, lines: [] });
      expect(partial.status).toBe(200);
      expect(partial.body).toMatchObject({ version: 3, lines: [], name: 'Bigger deal', contacts: [cust[0]] });
    });

    it('refuses a subform row id that belongs to another record', async () => {
      const a = (await api.admin.post(recs(), { name: 'A', lines: [{ product: 'x' }] })).body;
      const b = (await api.admin.post(recs(), { name: 'B', lines: [{ product: 'y' }] })).body;
      const res = await api.admin.patch(`${recs()}/${b.id}`, { version: b.version, lines: [{ id: a.lines[0].id, product: 'stolen' }] });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toEqual(['/lines/0/id']);
      expect((await api.admin.get(`${recs()}/${a.id}`)).body.lines).toEqual(a.lines);
      expect((await api.admin.get(`${recs()}/${b.id}`)).body.lines).toEqual(b.lines);
    });

    it('refuses the same subform row id twice instead of dropping a row', async () => {
      const a = (await api.admin.post(recs(), { name: 'Twice', lines: [{ product: 'x' }, { product: 'y' }] })).body;
      const res = await api.admin.patch(`${recs()}/${a.id}`, {
        version: a.version,
        lines: [
          { id: a.lines[0].id, product: 'x1' },
          { id: a.lines[0].id, product: 'x2' },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: '/lines/1/id', code: 'duplicate' })]);
      expect((await api.admin.get(`${recs()}/${a.id}`)).body).toEqual(a);
    });

    it('an unchanged PATCH keeps the version and writes no history', async () => {
      const created = (await api.admin.post(recs(), { name: 'Same', qty: 1, contacts: [cust[2], cust[0]], files: [file.id] })).body;
      expect(created.contacts).toEqual([cust[0], cust[2]]);
      // Link targets have no order; file ids stand for the files as read.
      const res = await api.admin.patch(`${recs()}/${created.id}`, { version: 1, name: 'Same', qty: 1, contacts: [cust[2], cust[0]], files: [file.id] });
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(1);
      expect(res.body).toEqual(created);
      // The same instant written with another offset is no change either; a different one is.
      const at = (await api.admin.patch(`${recs()}/${created.id}`, { version: 1, met_at: '2026-06-01T12:00:00+02:00' })).body;
      expect(at).toMatchObject({ version: 2, met_at: '2026-06-01T10:00:00.000Z' });
      const same = await api.admin.patch(`${recs()}/${created.id}`, { version: 2, met_at: '2026-06-01T10:00:00Z', qty: 1.0 });
      expect(same.body.version).toBe(2);
      const hist = (await api.admin.get(`${recs()}/${created.id}/history`)).body.items;
      expect(hist.map((h: any) => h.action)).toEqual(['update', 'create']);
      expect(hist[0].changes).toEqual({ met_at: { from: null, to: '2026-06-01T10:00:00.000Z' } });
    });
  });

  describe('references', () => {
    it('a department that does not exist is a not_found issue', async () => {
      const before = await countOf(api.admin, deals.id);
      const res = await api.admin.post(recs(), { name: 'x', dept: 'd0000000-0000-0000-0000-000000000000' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([expect.objectContaining({ path: '/dept', code: 'not_found' })]);
      expect(await countOf(api.admin, deals.id)).toBe(before);
    });

    it('unknown members, records, files and deleted targets are not_found issues, all listed', async () => {
      const gone = (await api.admin.post(recs(customers), { name: 'Gone' })).body.id;
      expect((await api.admin.delete(`${recs(customers)}/${gone}`)).status).toBe(204);
      const before = await countOf(api.admin, deals.id);
      const res = await api.admin.post(recs(), {
        name: 'x',
        rep: 'nobody',
        customer: 999999,
        contacts: [cust[0], gone],
        files: ['no-such-file'],
        lines: [{ product: 'p' }],
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toEqual(['/contacts/1', '/customer', '/files/0', '/rep']);
      for (const e of res.body.errors) expect(e.code).toBe('not_found');
      expect(await countOf(api.admin, deals.id)).toBe(before);
    });
  });

  describe('serial', () => {
    it('is assigned by the server in sequence and refused when written', async () => {
      const e = await makeEntity(api.admin, [
        { key: 'title', label: 'Title', type: 'text' },
        { key: 'no', label: 'No', type: 'serial', settings: { prefix: 'INV-', datePart: '', digits: 5 } },
      ]);
      const a = await api.admin.post(recs(e), { title: 'a' });
      const b = await api.admin.post(recs(e), { title: 'b' });
      expect([a.body.no, b.body.no]).toEqual(['INV-00001', 'INV-00002']);

      const written = await api.admin.post(recs(e), { title: 'c', no: 'INV-99999' });
      expect(written.status).toBe(400);
      expect(written.body.errors).toEqual([expect.objectContaining({ path: '/no', code: 'read_only' })]);
      const patched = await api.admin.patch(`${recs(e)}/${a.body.id}`, { version: 1, no: 'INV-00009' });
      expect(patched.status).toBe(400);
      expect(patched.body.errors).toEqual([expect.objectContaining({ path: '/no', code: 'read_only' })]);
      expect((await api.admin.get(`${recs(e)}/${a.body.id}`)).body.no).toBe('INV-00001');

      // A refused write does not use up a number.
      const c = await api.admin.post(recs(e), { title: 'c' });
      expect(c.body.no).toBe('INV-00003');
    });

    it('uses the UTC date when the pattern has a date part', async () => {
      const e = await makeEntity(api.admin, [{ key: 'no', label: 'No', type: 'serial', settings: { prefix: 'Q', datePart: 'YYYYMMDD', digits: 2 } }]);
      const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
      const res = await api.admin.post(recs(e), {});
      expect(res.status).toBe(201);
      // The day may roll over between the two clocks; accept today or tomorrow (UTC).
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
      expect([`Q${day}01`, `Q${tomorrow}01`]).toContain(res.body.no);
    });
  });

  describe('bad input', () => {
    it('lists every offending path and writes nothing', async () => {
      const before = await listIds(api.admin, deals.id);
      const res = await api.admin.post(recs(), {
        name: 'x'.repeat(21),
        bogus: 1,
        other_bogus: 'y',
        notes: 42,
        qty: 1000.5,
        amount: 1.234,
        due: '2026-02-30',
        met_at: 'yesterday',
        active: 'yes',
        size: 'xl',
        tags: ['a', 'z'],
        level: 'warm',
        colors: 'red',
        email: 'not-an-email',
        phone: 'call me',
        site: 'javascript:alert(1)',
        customer: 'one',
        contacts: [0],
        lines: [{ qty: 0.5 }],
        files: 'file',
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const byPath = new Map<string, string[]>();
      for (const e of res.body.errors) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e.code]);
      expect([...byPath.keys()].sort()).toEqual(
        [
          '/name',
          '/bogus',
          '/other_bogus',
          '/notes',
          '/qty',
          '/amount',
          '/due',
          '/met_at',
          '/active',
          '/size',
          '/tags/1',
          '/level',
          '/colors',
          '/email',
          '/phone',
          '/site',
          '/customer',
          '/contacts/0',
          '/lines/0/product',
          '/lines/0/qty',
          '/files',
        ].sort(),
      );
      expect(byPath.get('/name')).toEqual(['too_long']);
      expect(byPath.get('/bogus')).toEqual(['unknown_field']);
      expect(byPath.get('/notes')).toEqual(['invalid_type']);
      expect(byPath.get('/qty')).toEqual(['too_large']);
      expect(byPath.get('/amount')).toEqual(['too_many_decimals']);
      expect(byPath.get('/due')).toEqual(['invalid_format']);
      expect(byPath.get('/met_at')).toEqual(['invalid_format']);
      expect(byPath.get('/active')).toEqual(['invalid_type']);
      expect(byPath.get('/size')).toEqual(['invalid_option']);
      expect(byPath.get('/tags/1')).toEqual(['invalid_option']);
      expect(byPath.get('/email')).toEqual(['invalid_format']);
      expect(byPath.get('/site')).toContain('invalid_format');
      expect(byPath.get('/lines/0/product')).toEqual(['required']);
      expect(byPath.get('/lines/0/qty')).toEqual(expect.arrayContaining(['too_small']));
      expect(await listIds(api.admin, deals.id)).toEqual(before);
    });

    it('refuses numbers below the minimum, with too many decimals, and a missing required field', async () => {
      const before = await countOf(api.admin, deals.id);
      const res = await api.admin.post(recs(), { qty: -0.01 });
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(['/name', '/qty']);
      const dec = await api.admin.post(recs(), { name: 'n', qty: 1.005 });
      expect(dec.status).toBe(400);
      expect(dec.body.errors).toEqual([expect.objectContaining({ path: '/qty', code: 'too_many_decimals' })]);
      const blank = await api.admin.post(recs(), { name: '' });
      expect(blank.status).toBe(400);
      expect(blank.body.errors).toEqual([expect.objectContaining({ path: '/name', code: 'required' })]);
      expect(await countOf(api.admin, deals.id)).toBe(before);
    });

    it('refuses bad values on update with every path, and leaves the record unchanged', async () => {
      const created = (await api.admin.post(recs(), { name: 'Keep me', qty: 5, email: 'k@example.com' })).body;
      const res = await api.admin.patch(`${recs()}/${created.id}`, { version: 1, name: null, qty: 'five', email: 'nope', site: 'ftp://x', nope: true });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toEqual(['/email', '/name', '/nope', '/qty', '/site']);
      expect((await api.admin.get(`${recs()}/${created.id}`)).body).toEqual(created);
    });

    it('refuses a body that is not an object', async () => {
      const before = await countOf(api.admin, deals.id);
      const res = await api.admin.request('POST', recs(), '[1,2]');
      expect(res.status).toBe(400);
      expect(['VALIDATION_FAILED', 'INVALID_REQUEST']).toContain(res.body.code);
      const broken = await api.admin.request('POST', recs(), '{"name":');
      expect(broken.status).toBe(400);
      expect(broken.body.code).toBe('INVALID_JSON');
      expect(await countOf(api.admin, deals.id)).toBe(before);
    });

    it('answers 404 for a record that does not exist or a malformed id', async () => {
      for (const id of ['999999', 'abc', '0', '1;DROP']) {
        const res = await api.admin.get(`${recs()}/${id}`);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('RECORD_NOT_FOUND');
      }
      const ent = await api.admin.get('/api/entities/nope/records');
      expect(ent.status).toBe(404);
      expect(ent.body.code).toBe('ENTITY_NOT_FOUND');
    });
  });

  describe('optimistic concurrency', () => {
    it('a stale version is 409 VERSION_CONFLICT with the current record, and nothing is written', async () => {
      const created = (await api.admin.post(recs(), { name: 'Race', qty: 1 })).body;
      const first = await api.admin.patch(`${recs()}/${created.id}`, { version: 1, qty: 2 });
      expect(first.status).toBe(200);
      expect(first.body.version).toBe(2);
      const stale = await api.admin.patch(`${recs()}/${created.id}`, { version: 1, qty: 3 });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('VERSION_CONFLICT');
      expect(stale.body.current).toEqual(first.body);
      expect((await api.admin.get(`${recs()}/${created.id}`)).body.qty).toBe(2);
    });

    it('only one of two concurrent updates from the same version wins', async () => {
      const created = (await api.admin.post(recs(), { name: 'Both', qty: 1 })).body;
      const results = await Promise.all([10, 20].map((qty) => api.admin.patch(`${recs()}/${created.id}`, { version: 1, qty })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!.body;
      expect((await api.admin.get(`${recs()}/${created.id}`)).body).toEqual(winner);
    });

    it('a PATCH without version is 400', async () => {
      const created = (await api.admin.post(recs(), { name: 'NoVer' })).body;
      for (const body of [{ name: 'changed' }, { version: 'one', name: 'changed' }, { version: 0, name: 'changed' }]) {
        const res = await api.admin.patch(`${recs()}/${created.id}`, body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(paths(res.body)).toEqual(['/version']);
      }
      expect((await api.admin.get(`${recs()}/${created.id}`)).body).toEqual(created);
    });
  });

  describe('delete, recycle bin, restore, purge, history', () => {
    it('walks a record through its life cycle and keeps its history after purge', async () => {
      const created = (await api.admin.post(recs(), { name: 'Life', qty: 1, colors: ['red'], contacts: [cust[0]], lines: [{ product: 'p' }] })).body;
      const id = created.id;
      const upd = await api.admin.patch(`${recs()}/${id}`, { version: 1, qty: 2.5, colors: ['red', 'blue'], contacts: [cust[0], cust[1]], name: 'Life 2' });
      expect(upd.status).toBe(200);

      const notInBin = await api.admin.delete(`${recs()}/${id}/purge`);
      expect(notInBin.status).toBe(409);
      expect(notInBin.body.code).toBe('NOT_IN_RECYCLE_BIN');
      expect((await api.admin.get(`${recs()}/${id}`)).status).toBe(200);

      expect((await api.admin.delete(`${recs()}/${id}`)).status).toBe(204);
      const gone = await api.admin.get(`${recs()}/${id}`);
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('RECORD_NOT_FOUND');
      expect(await listIds(api.admin, deals.id)).not.toContain(id);
      const again = await api.admin.delete(`${recs()}/${id}`);
      expect(again.status).toBe(404);
      const staleEdit = await api.admin.patch(`${recs()}/${id}`, { version: 2, name: 'ghost' });
      expect(staleEdit.status).toBe(404);

      const bin = await api.admin.get(`/api/entities/${deals.id}/recycle-bin`);
      expect(bin.status).toBe(200);
      const inBin = bin.body.items.find((r: any) => r.id === id);
      expect(inBin).toMatchObject({ id, name: 'Life 2', qty: 2.5, deletedAt: expect.any(String) });
      expect(new Date(inBin.deletedAt).toISOString()).toBe(inBin.deletedAt);

      const restored = await api.admin.post(`${recs()}/${id}/restore`);
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ id, name: 'Life 2', qty: 2.5, colors: ['red', 'blue'], lines: [expect.objectContaining({ product: 'p' })] });
      expect((await api.admin.get(`${recs()}/${id}`)).status).toBe(200);
      expect((await api.admin.get(`/api/entities/${deals.id}/recycle-bin`)).body.items.map((r: any) => r.id)).not.toContain(id);
      const restoreLive = await api.admin.post(`${recs()}/${id}/restore`);
      expect(restoreLive.status).toBe(409);
      expect(restoreLive.body.code).toBe('NOT_IN_RECYCLE_BIN');

      expect((await api.admin.delete(`${recs()}/${id}`)).status).toBe(204);
      expect((await api.admin.delete(`${recs()}/${id}/purge`)).status).toBe(204);
      expect((await api.admin.get(`${recs()}/${id}`)).status).toBe(404);
      expect((await api.admin.get(`/api/entities/${deals.id}/recycle-bin`)).body.items.map((r: any) => r.id)).not.toContain(id);
      expect((await api.admin.post(`${recs()}/${id}/restore`)).status).toBe(404);
      expect((await api.admin.delete(`${recs()}/${id}/purge`)).status).toBe(404);

      const hist = await api.admin.get(`${recs()}/${id}/history`);
      expect(hist.status).toBe(200);
      const items = [...hist.body.items].reverse();
      expect(items.map((h: any) => h.action)).toEqual(['create', 'update', 'delete', 'restore', 'delete', 'purge']);
      for (const h of items) {
        expect(h.actorId).toBe(me.id);
        expect(new Date(h.at).toISOString()).toBe(h.at);
      }
      expect(items[0].changes).toMatchObject({
        name: { from: null, to: 'Life' },
        qty: { from: null, to: 1 },
        colors: { from: null, to: ['red'] },
        contacts: { from: null, to: [cust[0]] },
      });
      expect(items[1].changes).toEqual({
        name: { from: 'Life', to: 'Life 2' },
        qty: { from: 1, to: 2.5 },
        colors: { from: ['red'], to: ['red', 'blue'] },
        contacts: { from: [cust[0]], to: [cust[0], cust[1]].sort((a, b) => a - b) },
      });
    });

    it('history of a record that never existed is 404', async () => {
      const res = await api.admin.get(`${recs()}/987654/history`);
      expect(res.status).toBe(404);
    });
  });

  describe('unique fields', () => {
    it('a duplicate is 409 UNIQUE_VIOLATION naming the field, on create and update', async () => {
      const a = await api.admin.post(recs(), { name: 'U1', code: 'UNIQ-1' });
      expect(a.status).toBe(201);
      const before = await countOf(api.admin, deals.id);
      const dup = await api.admin.post(recs(), { name: 'U2', code: 'UNIQ-1' });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('UNIQUE_VIOLATION');
      expect(dup.body.field).toBe('code');
      expect(paths(dup.body)).toEqual(['/code']);
      expect(await countOf(api.admin, deals.id)).toBe(before);

      const b = (await api.admin.post(recs(), { name: 'U3', code: 'UNIQ-2' })).body;
      const upd = await api.admin.patch(`${recs()}/${b.id}`, { version: b.version, code: 'UNIQ-1', name: 'U3 renamed' });
      expect(upd.status).toBe(409);
      expect(upd.body.code).toBe('UNIQUE_VIOLATION');
      expect(upd.body.field).toBe('code');
      expect((await api.admin.get(`${recs()}/${b.id}`)).body).toEqual(b);
    });

    it('blank values are not duplicates', async () => {
      const x = await api.admin.post(recs(), { name: 'Blank 1', code: '' });
      const y = await api.admin.post(recs(), { name: 'Blank 2', code: null });
      const z = await api.admin.post(recs(), { name: 'Blank 3' });
      expect([x.status, y.status, z.status]).toEqual([201, 201, 201]);
      expect(x.body.code).toBeNull();
    });

    it('a value held by a record in the recycle bin is still taken', async () => {
      const a = (await api.admin.post(recs(), { name: 'Binned', code: 'UNIQ-BIN' })).body;
      expect((await api.admin.delete(`${recs()}/${a.id}`)).status).toBe(204);
      const dup = await api.admin.post(recs(), { name: 'New', code: 'UNIQ-BIN' });
      expect(dup.status).toBe(409);
      expect(dup.body.field).toBe('code');
    });
  });

  describe('bulk create', () => {
    let simple: any;
    beforeAll(async () => {
      simple = await makeEntity(api.admin, [
        { key: 'title', label: 'Title', type: 'text', required: true },
        { key: 'n', label: 'N', type: 'number', settings: { max: 100 } },
        { key: 'ref', label: 'Ref', type: 'text', unique: true },
        { key: 'contacts', label: 'Contacts', type: 'relation', settings: { targetEntityId: customers.id, multiple: true } },
        { key: 'seq', label: 'Seq', type: 'serial', settings: { prefix: 'B', datePart: '', digits: 4 } },
      ]);
    });

    it('creates all records in order and returns their ids', async () => {
      const records = Array.from({ length: 30 }, (_, i) => ({ title: `t${i}`, n: i, contacts: i % 2 ? [cust[i % 3]] : [] }));
      const res = await api.admin.post(`${recs(simple)}/bulk`, { records });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.ids).toHaveLength(30);
      expect([...res.body.ids].sort((a, b) => a - b)).toEqual(res.body.ids);
      expect(new Set(res.body.ids).size).toBe(30);
      for (const [i, id] of res.body.ids.entries()) {
        const rec = (await api.admin.get(`${recs(simple)}/${id}`)).body;
        expect(rec).toMatchObject({ title: `t${i}`, n: i, contacts: i % 2 ? [cust[i % 3]] : [], seq: `B${String(i + 1).padStart(4, '0')}` });
      }
      const hist = (await api.admin.get(`${recs(simple)}/${res.body.ids[3]}/history`)).body.items;
      expect(hist).toEqual([expect.objectContaining({ action: 'create', changes: expect.objectContaining({ title: { from: null, to: 't3' } }) })]);
    });

    it('writes nothing when one row is bad, and names it /records/N/...', async () => {
      const before = await listIds(api.admin, simple.id);
      const records = Array.from({ length: 10 }, (_, i) => ({ title: `x${i}` })) as Record<string, unknown>[];
      records[7] = { title: 'bad', n: 101 };
      records[4] = { n: 1 };
      const res = await api.admin.post(`${recs(simple)}/bulk`, { records });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toEqual(['/records/4/title', '/records/7/n']);
      expect(await listIds(api.admin, simple.id)).toEqual(before);

      const refs = await api.admin.post(`${recs(simple)}/bulk`, { records: [{ title: 'ok' }, { title: 'ok2', contacts: [424242] }] });
      expect(refs.status).toBe(400);
      expect(paths(refs.body)).toEqual(['/records/1/contacts/0']);
      expect(await listIds(api.admin, simple.id)).toEqual(before);
    });

    it('rolls back every row and the serial counter when the database refuses one (unique)', async () => {
      const before = await listIds(api.admin, simple.id);
      const res = await api.admin.post(`${recs(simple)}/bulk`, {
        records: [
          { title: 'a', ref: 'R1' },
          { title: 'b', ref: 'R2' },
          { title: 'c', ref: 'R1' },
        ],
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('UNIQUE_VIOLATION');
      expect(res.body.field).toBe('ref');
      expect(await listIds(api.admin, simple.id)).toEqual(before);
      const next = await api.admin.post(recs(simple), { title: 'after' });
      expect(next.status).toBe(201);
      expect(next.body.seq).toBe(`B${String(before.length + 1).padStart(4, '0')}`);
    });

    it('refuses more than 5000 records and a body without a records list', async () => {
      const before = await countOf(api.admin, simple.id);
      const res = await api.admin.post(`${recs(simple)}/bulk`, { records: Array.from({ length: 5001 }, () => ({ title: 't' })) });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_REQUEST');
      const shape = await api.admin.post(`${recs(simple)}/bulk`, [{ title: 't' }]);
      expect(shape.status).toBe(400);
      expect(await countOf(api.admin, simple.id)).toBe(before);
    });

    it('keeps awkward text exactly (quotes, backslashes, control characters, non-Latin, question marks)', async () => {
      const titles = [`O'Brien "quoted" \\ back\\slash`, 'line\nbreak\ttab\r\u0000nul\u001aeof', '中文 ✓ 😀 ?', "?, '?', ??", "\\' OR 1=1 --"];
      const res = await api.admin.post(`${recs(simple)}/bulk`, { records: titles.map((title) => ({ title })) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      for (const [i, id] of res.body.ids.entries()) expect((await api.admin.get(`${recs(simple)}/${id}`)).body.title).toBe(titles[i]);
    });

    it("one audit entry per import, with the count and the ids; each record's history shows its creation: who, when, the values as imported", async () => {
      const audit = async (q: string) => (await api.admin.get(`/api/audit?entityId=${simple.id}&${q}`)).body.items;
      const bulkEntriesBefore = (await audit('action=record.bulk_create&limit=500')).length;
      const first = await api.admin.post(`${recs(simple)}/bulk`, {
        records: [{ title: 'h0', n: 1 }, { title: 'h1', n: 2, contacts: [cust[1]] }, { title: 'h2' }],
      });
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const single = (await api.admin.post(recs(simple), { title: 'between' })).body;
      const second = await api.admin.post(`${recs(simple)}/bulk`, { records: [{ title: 'k0' }, { title: 'k1' }] });
      const [a0, a1] = first.body.ids;

      const entries = await audit('action=record.bulk_create&limit=500');
      expect(entries).toHaveLength(bulkEntriesBefore + 2);
      expect(entries[1]).toMatchObject({
        action: 'record.bulk_create',
        actorId: me.id,
        entityId: simple.id,
        recordId: null,
        changes: { count: 3, ids: [[a0, first.body.ids[2]]] },
      });
      expect(entries[0].changes).toEqual({ count: 2, ids: [[second.body.ids[0], second.body.ids[1]]] });
      expect(await audit(`action=record.create&recordId=${a0}`)).toEqual([]);
      // Filtering the log by record finds the import that created it, and only that one.
      expect((await audit(`recordId=${a0}`)).map((e: any) => e.id)).toEqual([entries[1].id]);
      expect((await audit(`recordId=${second.body.ids[1]}`)).map((e: any) => e.id)).toEqual([entries[0].id]);
      expect((await audit(`recordId=${single.id}`)).map((e: any) => e.action)).toEqual(['record.create']);

      const edit = await api.admin.patch(`${recs(simple)}/${a1}`, { version: 1, title: 'h1 edited', n: 3 });
      expect(edit.status, JSON.stringify(edit.body)).toBe(200);
      const hist = (await api.admin.get(`${recs(simple)}/${a1}/history`)).body.items;
      expect(hist.map((h: any) => h.action)).toEqual(['update', 'create']);
      expect(hist[1]).toMatchObject({ id: entries[1].id, actorId: me.id, bulkImport: { count: 3 }, at: entries[1].at });
      expect(new Date(hist[1].at).toISOString()).toBe(hist[1].at);
      expect(hist[1].changes).toEqual({
        title: { from: null, to: 'h1' },
        n: { from: null, to: 2 },
        contacts: { from: null, to: [cust[1]] },
        seq: { from: null, to: expect.stringMatching(/^B\d{4}$/) },
      });
      expect((await api.admin.get(`${recs(simple)}/${a0}/history`)).body.items).toEqual([
        expect.objectContaining({ action: 'create', bulkImport: { count: 3 }, changes: expect.objectContaining({ title: { from: null, to: 'h0' } }) }),
      ]);
      // A record created on its own between two imports is in neither import's range.
      expect((await api.admin.get(`${recs(simple)}/${single.id}/history`)).body.items).toEqual([
        expect.not.objectContaining({ bulkImport: expect.anything() }),
      ]);
      expect((await api.admin.get(`${recs(simple)}/${second.body.ids[1]}/history`)).body.items).toEqual([
        expect.objectContaining({ action: 'create', bulkImport: { count: 2 } }),
      ]);
    });

    it('a failed import writes no record, no audit entry and no id range, also when the database refuses its last row', async () => {
      const bulkEntries = async () => (await api.admin.get(`/api/audit?entityId=${simple.id}&action=record.bulk_create&limit=500`)).body.items.length;
      const entriesBefore = await bulkEntries();
      const before = await listIds(api.admin, simple.id);
      const invalid = await api.admin.post(`${recs(simple)}/bulk`, { records: [{ title: 'fine' }, { n: 5 }] });
      expect(invalid.status).toBe(400);
      // Wide rows: MySQL sends them as several statements; the duplicate is in the last one.
      const records = Array.from({ length: 3000 }, (_, i) => ({ title: `wide ${i} ${'w'.repeat(200)}`, ref: `W-${i}` }));
      records.push({ title: 'dup', ref: 'W-0' });
      const refused = await api.admin.post(`${recs(simple)}/bulk`, { records });
      expect(refused.status, JSON.stringify(refused.body).slice(0, 300)).toBe(409);
      expect(refused.body).toMatchObject({ code: 'UNIQUE_VIOLATION', field: 'ref' });
      expect(await listIds(api.admin, simple.id)).toEqual(before);
      expect(await bulkEntries()).toBe(entriesBefore);
      // The next import's records show only their own creation.
      const next = await api.admin.post(`${recs(simple)}/bulk`, { records: [{ title: 'after failure', ref: 'W-0' }] });
      expect(next.status, JSON.stringify(next.body)).toBe(201);
      expect((await api.admin.get(`${recs(simple)}/${next.body.ids[0]}/history`)).body.items).toEqual([
        expect.objectContaining({ action: 'create', bulkImport: { count: 1 } }),
      ]);
    });

    it('takes exactly 5000 records', async () => {
      const before = await countOf(api.admin, simple.id);
      const res = await api.admin.post(`${recs(simple)}/bulk`, { records: Array.from({ length: 5000 }, (_, i) => ({ title: `m${i}`, n: i % 100 })) });
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
      expect(res.body.ids).toHaveLength(5000);
      expect(await countOf(api.admin, simple.id)).toBe(before + 5000);
      const last = (await api.admin.get(`${recs(simple)}/${res.body.ids[4999]}`)).body;
      expect(last).toMatchObject({ title: 'm4999', n: 99 });
    });
  });
});
