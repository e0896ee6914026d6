import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComputedPlans } from '../src/modules/computed/computed-plans';
import { EntityRuntime } from '../src/modules/entities/entity-runtime.service';
import { makeEntity, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';
import { paths, qs } from './support/records';

/**
 * Formula fields and subform totals: a quote with line items (qty × price × (1 − discount)
 * per row), subtotal = SUM(items.amount), total with a header discount. The server computes
 * them on every write; client values are refused; design-time checks refuse bad formulas
 * with a position and loops with the keys in order.
 */
const formula = (key: string, expression: string, extra: Record<string, unknown> = {}) => ({
  key,
  label: key,
  type: 'formula',
  settings: { expression, ...extra },
});

const QUOTE_FIELDS = [
  { key: 'title', label: 'Title', type: 'text' },
  { key: 'discount', label: 'Discount', type: 'number', settings: { precision: 2, min: 0, max: 1 } },
  {
    key: 'items',
    label: 'Line items',
    type: 'subform',
    settings: {
      maxRows: 5,
      fields: [
        { key: 'product', label: 'Product', type: 'text', required: true },
        { key: 'qty', label: '数量', type: 'number', settings: { min: 0 } },
        { key: 'price', label: '单价', type: 'money' },
        { key: 'discount', label: 'Discount', type: 'number', settings: { precision: 2, min: 0, max: 1 } },
        formula('amount', 'qty * price * (1 - discount)'),
      ],
    },
  },
  formula('subtotal', 'SUM(items.amount)'),
  formula('total', 'subtotal * (1 - discount)'),
  formula('lines', 'COUNT(items.product)', { precision: 0 }),
  formula('label', 'CONCATENATE(title, " / ", lines, " lines")', { resultType: 'text' }),
];

describe('computed fields: formulas and subform totals', () => {
  let api: TestApi;
  let quotes: any;
  const recs = (rest = '') => `/api/entities/${quotes.id}/records${rest}`;

  beforeAll(async () => {
    api = await startApi();
    quotes = await makeEntity(api.admin, QUOTE_FIELDS, 'quote');
  });
  afterAll(async () => api?.close());

  it('stores the parsed AST with the expression', () => {
    const total = quotes.fields.find((f: any) => f.key === 'total');
    expect(total.settings).toMatchObject({
      expression: 'subtotal * (1 - discount)',
      resultType: 'number',
      precision: 2,
      ast: { '*': [{ var: 'subtotal' }, { '-': [1, { var: 'discount' }] }] },
    });
    const amount = quotes.fields.find((f: any) => f.key === 'items').settings.fields.find((f: any) => f.key === 'amount');
    expect(amount.settings.ast).toBeTruthy();
  });

  it('computes row amounts, the subtotal and the total on create (decimals exact)', async () => {
    const res = await api.admin.post(recs(), {
      title: 'Q-1',
      discount: 0.05,
      items: [
        { product: 'Desk', qty: 2, price: 10.5, discount: 0.1 },
        { product: 'Pen', qty: 3, price: 0.1 },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.items.map((r: any) => r.amount)).toEqual([18.9, 0.3]);
    expect(res.body).toMatchObject({ subtotal: 19.2, total: 18.24, lines: 2, label: 'Q-1 / 2 lines' });
    const read = await api.admin.get(recs(`/${res.body.id}`));
    expect(read.body).toMatchObject({ subtotal: 19.2, total: 18.24, lines: 2 });
    expect(read.body.items.map((r: any) => r.amount)).toEqual([18.9, 0.3]);
  });

  it('refuses client values for computed fields, in rows too', async () => {
    const res = await api.admin.post(recs(), { title: 'Q-x', total: 1, subtotal: 2, items: [{ product: 'A', qty: 1, price: 1, amount: 99 }] });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(paths(res.body)).toEqual(['/items/0/amount', '/subtotal', '/total']);
    expect(res.body.errors.every((e: any) => e.code === 'read_only')).toBe(true);
    const created = (await api.admin.post(recs(), { title: 'Q-y' })).body;
    const upd = await api.admin.patch(recs(`/${created.id}`), { version: created.version, total: 5 });
    expectProblem(upd, 400, 'VALIDATION_FAILED');
    expect(paths(upd.body)).toEqual(['/total']);
    const bulk = await api.admin.post(recs('/bulk'), { records: [{ title: 'B' }, { title: 'C', lines: 3 }] });
    expectProblem(bulk, 400, 'VALIDATION_FAILED');
    expect(paths(bulk.body)).toEqual(['/records/1/lines']);
  });

  it('an empty quote has a zero subtotal and total', async () => {
    const res = await api.admin.post(recs(), { title: 'Empty' });
    expect(res.body).toMatchObject({ subtotal: 0, total: 0, lines: 0, items: [] });
  });

  it('follows updates: a row changed, a row added and removed, the header discount', async () => {
    const q = (
      await api.admin.post(recs(), {
        title: 'Q-2',
        items: [
          { product: 'A', qty: 1, price: 100 },
          { product: 'B', qty: 2, price: 50 },
        ],
      })
    ).body;
    expect(q).toMatchObject({ subtotal: 200, total: 200 });
    const [a, b] = q.items;
    // Change B's quantity and discount; rows go back with their id and without computed columns.
    let res = await api.admin.patch(recs(`/${q.id}`), {
      version: q.version,
      items: [
        { id: a.id, product: 'A', qty: 1, price: 100 },
        { id: b.id, product: 'B', qty: 4, price: 50, discount: 0.25 },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.map((r: any) => [r.id, r.amount])).toEqual([
      [a.id, 100],
      [b.id, 150],
    ]);
    expect(res.body).toMatchObject({ subtotal: 250, total: 250 });
    // Header discount only: rows untouched, the total follows.
    res = await api.admin.patch(recs(`/${q.id}`), { version: res.body.version, discount: 0.2 });
    expect(res.body).toMatchObject({ subtotal: 250, total: 200 });
    expect(res.body.items.map((r: any) => r.id)).toEqual([a.id, b.id]);
    // Drop A, add C.
    res = await api.admin.patch(recs(`/${q.id}`), {
      version: res.body.version,
      items: [
        { id: b.id, product: 'B', qty: 4, price: 50, discount: 0.25 },
        { product: 'C', qty: 1, price: 0.3 },
      ],
    });
    expect(res.body.items.map((r: any) => r.amount)).toEqual([150, 0.3]);
    expect(res.body).toMatchObject({ subtotal: 150.3, total: 120.24, lines: 2 });
    // History names the computed changes with the edit that caused them.
    const hist = await api.admin.get(recs(`/${q.id}/history`));
    const last = hist.body.items[0];
    expect(last.action).toBe('update');
    expect(last.changes.total).toEqual({ from: 200, to: 120.24 });
    expect(last.changes.subtotal).toEqual({ from: 250, to: 150.3 });
  });

  it('a no-op update changes nothing, computed fields included', async () => {
    const q = (await api.admin.post(recs(), { title: 'Same', items: [{ product: 'A', qty: 1, price: 1 }] })).body;
    const res = await api.admin.patch(recs(`/${q.id}`), { version: q.version, title: 'Same' });
    expect(res.body.version).toBe(q.version);
  });

  it('bulk create and bulk edit compute every record', async () => {
    const bulk = await api.admin.post(recs('/bulk'), {
      records: [
        { title: 'Bulk-1', discount: 0.5, items: [{ product: 'A', qty: 2, price: 3 }] },
        {
          title: 'Bulk-2',
          items: [
            { product: 'A', qty: 1, price: 7 },
            { product: 'B', qty: 1, price: 1 },
          ],
        },
      ],
    });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(201);
    const [x, y] = await Promise.all(bulk.body.ids.map((id: number) => api.admin.get(recs(`/${id}`))));
    expect(x.body).toMatchObject({ subtotal: 6, total: 3 });
    expect(y.body).toMatchObject({ subtotal: 8, total: 8 });
    const edit = await api.admin.post(recs('/bulk-update'), { filter: { in: [{ var: 'title' }, ['Bulk-1', 'Bulk-2']] }, values: { discount: 0.25 } });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    const after = await api.admin.get(recs(qs({ filter: { in: [{ var: 'title' }, ['Bulk-1', 'Bulk-2']] }, sort: 'title' })));
    expect(after.body.items.map((r: any) => [r.title, r.total, r.label])).toEqual([
      ['Bulk-1', 4.5, 'Bulk-1 / 1 lines'],
      ['Bulk-2', 6, 'Bulk-2 / 2 lines'],
    ]);
    const hist = await api.admin.get(recs(`/${bulk.body.ids[0]}/history`));
    expect(hist.body.items[0].changes).toEqual({ discount: { from: 0.5, to: 0.25 }, total: { from: 3, to: 4.5 } });
  });

  it('builds computation plans once per metadata version, never per request', async () => {
    await api.admin.post(recs(), { title: 'warm-up', items: [{ product: 'A', qty: 1, price: 1 }] });
    const plans = ComputedPlans.builds;
    const compiles = EntityRuntime.compiles;
    for (let i = 0; i < 5; i++) {
      const q = (await api.admin.post(recs(), { title: `n-${i}`, items: [{ product: 'A', qty: i, price: 2 }] })).body;
      await api.admin.patch(recs(`/${q.id}`), { version: q.version, discount: 0.5 });
    }
    expect(ComputedPlans.builds).toBe(plans);
    expect(EntityRuntime.compiles).toBe(compiles);
  });

  it('computed columns filter and sort like real columns', async () => {
    const res = await api.admin.get(recs(qs({ filter: { '>=': [{ var: 'total' }, 100] }, sort: '-total', limit: 200 })));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const totals = res.body.items.map((r: any) => r.total);
    expect(totals.length).toBeGreaterThan(0);
    expect(totals.every((t: number) => t >= 100)).toBe(true);
    expect([...totals].sort((p: number, q: number) => q - p)).toEqual(totals);
    const text = await api.admin.get(recs(qs({ filter: { starts_with: [{ var: 'label' }, 'Q-1 /'] } })));
    expect(text.body.items.map((r: any) => r.title)).toEqual(['Q-1']);
  });

  it('enforces the subform row limit', async () => {
    const items = Array.from({ length: 6 }, (_, i) => ({ product: `P${i}`, qty: 1, price: 1 }));
    const res = await api.admin.post(recs(), { title: 'Too many', items });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/items', code: 'too_many' })]);
  });

  it('validates each subform row on its own (required column, ranges), with row paths', async () => {
    const res = await api.admin.post(recs(), {
      title: 'Rows',
      items: [
        { qty: 1, price: 1 },
        { product: 'B', qty: -1, price: 1, discount: 2 },
      ],
    });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(paths(res.body)).toEqual(['/items/0/product', '/items/1/discount', '/items/1/qty']);
  });

  describe('run-time errors', () => {
    let e: any;
    beforeAll(async () => {
      e = await makeEntity(api.admin, [
        { key: 'a', label: 'A', type: 'number' },
        { key: 'b', label: 'B', type: 'number' },
        formula('ratio', 'a / b', { precision: 4 }),
        formula('safe', 'IF(b = 0, 0, a / b)', { precision: 4 }),
      ]);
    });

    it('division by zero stores null (the write succeeds); a guarded formula gives its value', async () => {
      const res = await api.admin.post(`/api/entities/${e.id}/records`, { a: 1, b: 0 });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ ratio: null, safe: 0 });
      const ok = await api.admin.patch(`/api/entities/${e.id}/records/${res.body.id}`, { version: res.body.version, b: 3 });
      expect(ok.body).toMatchObject({ ratio: 0.3333, safe: 0.3333 });
    });
  });

  describe('design-time checks', () => {
    let e: any;
    const fieldsUrl = () => `/api/entities/${e.id}/fields`;
    beforeAll(async () => {
      e = await makeEntity(api.admin, [
        { key: 'qty', label: '数量', type: 'number' },
        { key: 'price', label: '单价', type: 'money' },
        { key: 'name', label: 'Name', type: 'text' },
        { key: 'due', label: 'Due', type: 'date' },
      ]);
    });

    it('refuses formula text that does not parse, with the position', async () => {
      const res = await api.admin.post(fieldsUrl(), formula('bad', 'qty * (price + 1'));
      const body = expectProblem(res, 400, 'FORMULA_PARSE');
      expect(body.position).toMatchObject({ line: 1 });
      expect(body.field).toBe('bad');
      expect(body.errors[0].path).toBe('/settings/expression');
    });

    it('refuses an unknown field with its position', async () => {
      const res = await api.admin.post(fieldsUrl(), formula('bad', 'qty * prise'));
      const body = expectProblem(res, 400, 'FORMULA_UNKNOWN_FIELD');
      expect(body.position).toMatchObject({ offset: 6, line: 1, column: 7, length: 5 });
    });

    it('refuses unknown functions, type errors and a result of the wrong type', async () => {
      expectProblem(await api.admin.post(fieldsUrl(), formula('bad', 'FROB(qty)')), 400, 'FORMULA_UNKNOWN_FUNCTION');
      expectProblem(await api.admin.post(fieldsUrl(), formula('bad', 'due * 2')), 400, 'FORMULA_TYPE');
      const wrong = await api.admin.post(fieldsUrl(), formula('bad', 'CONCATENATE(name, "!")'));
      expect(expectProblem(wrong, 400, 'FORMULA_TYPE').detail).toMatch(/result type is number/);
      expectProblem(await api.admin.post(fieldsUrl(), formula('bad', 'qty.__proto__')), 400, 'FORMULA_FORBIDDEN');
    });

    it('resolves {label} references, Chinese labels included, and stores keys', async () => {
      const res = await api.admin.post(fieldsUrl(), formula('amount', '{数量} * {单价}'));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.fields.find((f: any) => f.key === 'amount').settings.ast).toEqual({ '*': [{ var: 'qty' }, { var: 'price' }] });
      const rec = await api.admin.post(`/api/entities/${e.id}/records`, { qty: 3, price: 2.5 });
      expect(rec.body.amount).toBe(7.5);
    });

    it('refuses a loop between formulas, naming the keys in order', async () => {
      expect((await api.admin.post(fieldsUrl(), formula('f1', 'qty + 1'))).status).toBe(201);
      expect((await api.admin.post(fieldsUrl(), formula('f2', 'f1 * 2'))).status).toBe(201);
      expect((await api.admin.post(fieldsUrl(), formula('f3', 'f2 + 1'))).status).toBe(201);
      const res = await api.admin.patch(`${fieldsUrl()}/f1`, { settings: { expression: 'f3 - 1' } });
      const body = expectProblem(res, 409, 'FORMULA_CYCLE');
      expect(body.cycle).toEqual(['f1', 'f3', 'f2', 'f1']);
      expect(body.detail).toContain('f1 → f3 → f2 → f1');
      const self = await api.admin.post(fieldsUrl(), formula('me', 'me + 1'));
      expect(expectProblem(self, 409, 'FORMULA_CYCLE').cycle).toEqual(['me', 'me']);
      const created = await api.admin.post(`/api/apps/${e.appId}/entities`, {
        key: 'loop',
        name: 'Loop',
        fields: [formula('x', 'y + 1'), formula('y', 'x + 1')],
      });
      expect(expectProblem(created, 409, 'FORMULA_CYCLE').cycle).toEqual(['x', 'y', 'x']);
    });

    it('refuses a loop between row formulas, named with the subform', async () => {
      const res = await api.admin.post(fieldsUrl(), {
        key: 'lines',
        label: 'Lines',
        type: 'subform',
        settings: { fields: [{ key: 'n', label: 'N', type: 'number' }, formula('a', 'b + n'), formula('b', 'a * 2')] },
      });
      expect(expectProblem(res, 409, 'FORMULA_CYCLE').cycle).toEqual(['lines.a', 'lines.b', 'lines.a']);
    });

    it('refuses removing a field a formula reads; removing the formula first works', async () => {
      const res = await api.admin.delete(`${fieldsUrl()}/qty`);
      const body = expectProblem(res, 409, 'FIELD_IN_USE');
      expect(body.usedBy).toEqual(expect.arrayContaining(['amount', 'f1']));
      const typeChange = await api.admin.patch(`${fieldsUrl()}/price`, { type: 'text' });
      expectProblem(typeChange, 400, 'FORMULA_TYPE');
    });

    it('computes a new formula for existing records, and recomputes when the expression changes', async () => {
      const recs2 = `/api/entities/${e.id}/records`;
      const r = (await api.admin.post(recs2, { qty: 4, price: 10, name: 'x' })).body;
      expect((await api.admin.post(fieldsUrl(), formula('double', 'qty * 2', { precision: 0 }))).status).toBe(201);
      let read = await api.admin.get(`${recs2}/${r.id}`);
      expect(read.body.double).toBe(8);
      expect(read.body.version).toBe(r.version + 1);
      expect((await api.admin.patch(`${fieldsUrl()}/double`, { settings: { expression: 'qty * 3' } })).status).toBe(200);
      read = await api.admin.get(`${recs2}/${r.id}`);
      expect(read.body.double).toBe(12);
      // Precision changes re-round without a type change.
      expect((await api.admin.patch(`${fieldsUrl()}/double`, { settings: { expression: 'qty / 3', precision: 2 } })).status).toBe(200);
      expect((await api.admin.get(`${recs2}/${r.id}`)).body.double).toBe(1.33);
    });

    it('computes a new row formula for existing subform rows', async () => {
      const sub = await makeEntity(api.admin, [
        { key: 'lines', label: 'Lines', type: 'subform', settings: { fields: [{ key: 'n', label: 'N', type: 'number' }] } },
      ]);
      const rec = (await api.admin.post(`/api/entities/${sub.id}/records`, { lines: [{ n: 2 }, { n: 5 }] })).body;
      const fieldsNow = sub.fields.find((f: any) => f.key === 'lines').settings.fields;
      const res = await api.admin.patch(`/api/entities/${sub.id}/fields/lines`, {
        settings: { fields: [...fieldsNow, formula('sq', 'n * n', { precision: 0 })] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect((await api.admin.post(`/api/entities/${sub.id}/fields`, formula('sum_sq', 'SUM(lines.sq)', { precision: 0 }))).status).toBe(201);
      const read = await api.admin.get(`/api/entities/${sub.id}/records/${rec.id}`);
      expect(read.body.lines.map((r: any) => r.sq)).toEqual([4, 25]);
      expect(read.body.sum_sq).toBe(29);
    });
  });
});

/**
 * With a published form, a create computes its formulas once, before the rules, and stores
 * what the rules saw; formulas over attachments are computed again once the files are
 * resolved, so they read what is stored.
 */
describe('computed fields under a published form', () => {
  let api: TestApi;
  let docs: any;
  const recs = () => `/api/entities/${docs.id}/records`;
  const upload = async (name: string) => {
    const form = new FormData();
    form.append('file', new Blob([name], { type: 'text/plain' }), name);
    const res = await api.admin.request('POST', '/api/files', form);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };

  beforeAll(async () => {
    api = await startApi();
    docs = await makeEntity(api.admin, [
      { key: 'title', label: 'Title', type: 'text' },
      { key: 'qty', label: 'Qty', type: 'number', settings: { precision: 0, min: 0 } },
      { key: 'files', label: 'Files', type: 'attachment' },
      formula('double', 'qty * 2', { precision: 0 }),
      formula('nfiles', 'COUNT(files)', { precision: 0 }),
      formula('summary', 'CONCATENATE(title, " ×", double)', { resultType: 'text' }),
    ]);
    const saved = await api.admin.request('PUT', `/api/entities/${docs.id}/form`, {
      layout: [],
      fields: {},
      validations: [
        { id: 'small', formula: 'double <= 100', field: 'qty', message: { en: 'Twice the quantity is at most 100' } },
        { id: 'one_file', formula: 'nfiles >= 1', field: 'files', message: { en: 'Attach a file' } },
      ],
      hiddenFieldPolicy: 'clear',
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await api.admin.post(`/api/entities/${docs.id}/form/publish`)).status).toBe(200);
  });
  afterAll(async () => api?.close());

  it('rules read the computed values, and the record stores exactly those', async () => {
    const file = await upload('a.txt');
    const ok = await api.admin.post(recs(), { title: 'Box', qty: 21, files: [file] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ double: 42, nfiles: 1, summary: 'Box ×42' });
    expect(ok.body.files).toEqual([expect.objectContaining({ id: file, name: 'a.txt' })]);
    const read = await api.admin.get(`${recs()}/${ok.body.id}`);
    expect(read.body).toMatchObject({ double: 42, nfiles: 1, summary: 'Box ×42' });

    const tooMany = await api.admin.post(recs(), { title: 'Big', qty: 51, files: [await upload('b.txt')] });
    expectProblem(tooMany, 400, 'VALIDATION_FAILED');
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ path: '/qty', message: 'Twice the quantity is at most 100' })]);
    const noFile = await api.admin.post(recs(), { title: 'Empty', qty: 1 });
    expectProblem(noFile, 400, 'VALIDATION_FAILED');
    expect(noFile.body.errors).toEqual([expect.objectContaining({ path: '/files', message: 'Attach a file' })]);
  });

  it('a bulk create computes each record once under the form, and refuses by the computed values', async () => {
    const [f1, f2] = [await upload('c.txt'), await upload('d.txt')];
    const res = await api.admin.post(`${recs()}/bulk`, {
      records: [
        { title: 'One', qty: 3, files: [f1] },
        { title: 'Two', qty: 4, files: [f2] },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const read = await Promise.all(res.body.ids.map((id: number) => api.admin.get(`${recs()}/${id}`)));
    expect(read.map((r) => [r.body.double, r.body.nfiles, r.body.summary])).toEqual([
      [6, 1, 'One ×6'],
      [8, 1, 'Two ×8'],
    ]);
    const bad = await api.admin.post(`${recs()}/bulk`, {
      records: [
        { title: 'Ok', qty: 1, files: [await upload('e.txt')] },
        { title: 'Big', qty: 60, files: [await upload('f.txt')] },
      ],
    });
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: '/records/1/qty', message: 'Twice the quantity is at most 100' })]);
  });
});
