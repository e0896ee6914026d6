import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/database/db';
import { EntityRuntime } from '../src/modules/entities/entity-runtime.service';
import { FormRuntime } from '../src/modules/forms/form-runtime.service';
import { type Client, makeEntity, startApi, type TestApi } from './support/harness';
import { expectProblem } from './support/problems';

const PASSWORD = 'member-password-1';
const opts = (...values: string[]) => values.map((value) => ({ value, label: value.toUpperCase() }));
const isCompany = { '==': [{ var: 'kind' }, 'company'] };

let api: TestApi;
let products: any;
let deals: any;
let member: Client;
let memberId: string;
const recs = (e: any = deals) => `/api/entities/${e.id}/records`;
const formUrl = (e: any = deals) => `/api/entities/${e.id}/form`;
const put = (c: Client, path: string, body: unknown, headers: Record<string, string> = {}) => c.request('PUT', path, body, headers);
const zh = { 'accept-language': 'zh-CN,zh;q=0.9' };

/** The deals form used through most tests. */
function dealForm(over: Record<string, unknown> = {}) {
  return {
    layout: [
      {
        type: 'section',
        id: 'main',
        title: { en: 'Deal', 'zh-CN': '商机' },
        columns: 2,
        children: [
          { type: 'field', key: 'name', width: '1/2' },
          { type: 'field', key: 'kind', width: '1/2' },
        ],
      },
      {
        type: 'section',
        id: 'company_box',
        visibleWhen: isCompany,
        children: [
          { type: 'field', key: 'company' },
          { type: 'field', key: 'tax_no' },
        ],
      },
      { type: 'divider', id: 'd1' },
      { type: 'description', id: 'note', text: { en: 'Prices come from the catalogue', 'zh-CN': '价格取自产品目录' } },
    ],
    fields: {
      name: { help: { en: 'Who buys', 'zh-CN': '购买方' }, placeholder: 'Acme' },
      kind: { default: { kind: 'static', value: 'person' } },
      stage: { default: { kind: 'static', value: 'new' } },
      tax_no: { requiredWhen: isCompany },
      discount: { visibleWhen: { '>': [{ var: 'amount' }, 1000] } },
      approved: { readOnly: true, default: { kind: 'static', value: false } },
      price: { default: { kind: 'linkage', entityId: products.id, condition: { '==': [{ var: 'code' }, '$form.product_code'] }, valueField: 'list_price' } },
      label: { default: { kind: 'formula', formula: 'CONCATENATE(UPPER(name), "/", stage)' } },
    },
    validations: [
      { id: 'max_discount', condition: { '<=': [{ var: 'discount' }, 30] }, field: 'discount', message: { en: 'At most 30% off', 'zh-CN': '折扣不能超过30%' } },
    ],
    submitHint: { en: 'Saved', 'zh-CN': '已保存' },
    ...over,
  };
}

async function publish(form: unknown, e: any = deals): Promise<number> {
  const saved = await put(api.admin, formUrl(e), form);
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const res = await api.admin.post(`${formUrl(e)}/publish`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.version;
}

beforeAll(async () => {
  api = await startApi();
  products = await makeEntity(api.admin, [
    { key: 'code', label: 'Code', type: 'text', indexed: true },
    { key: 'list_price', label: 'List price', type: 'money' },
  ]);
  for (const [code, list_price] of [
    ['P-1', 10.5],
    ['P-2', 99],
  ] as const)
    expect((await api.admin.post(recs(products), { code, list_price })).status).toBe(201);
  deals = await makeEntity(api.admin, [
    { key: 'name', label: 'Name', type: 'text', required: true },
    { key: 'kind', label: 'Kind', type: 'select', settings: { options: opts('person', 'company') } },
    { key: 'company', label: 'Company', type: 'text' },
    { key: 'tax_no', label: 'Tax number', type: 'text' },
    { key: 'amount', label: 'Amount', type: 'money' },
    { key: 'discount', label: 'Discount', type: 'number', settings: { min: 0, max: 100 } },
    { key: 'stage', label: 'Stage', type: 'select', required: true, settings: { options: opts('new', 'won', 'lost') } },
    { key: 'approved', label: 'Approved', type: 'switch' },
    { key: 'product_code', label: 'Product code', type: 'text' },
    { key: 'price', label: 'Price', type: 'money' },
    { key: 'label', label: 'Label', type: 'text' },
  ]);
  const email = `m${randomBytes(4).toString('hex')}@example.com`;
  const m = await api.admin.post('/api/members', { email, name: 'Sam Staff', password: PASSWORD });
  expect(m.status, JSON.stringify(m.body)).toBe(201);
  memberId = m.body.member.id;
  const g = await api.admin.post(`/api/entities/${deals.id}/permission-groups`, { name: 'Sales', preset: 'manage_own', members: [memberId] });
  // A linkage default reads as the member (issue 8, hole 2): they may view the catalogue.
  const catalogue = await api.admin.post(`/api/entities/${products.id}/permission-groups`, { name: 'Catalogue', preset: 'view_all', members: [memberId] });
  expect(catalogue.status, JSON.stringify(catalogue.body)).toBe(201);
  expect(g.status, JSON.stringify(g.body)).toBe(201);
  member = api.client();
  expect((await member.login(email, PASSWORD)).status).toBe(200);
});
afterAll(async () => api?.close());

describe('form design', () => {
  it('before any design: no published form, an empty draft, records have no form version', async () => {
    const res = await api.admin.get(formUrl());
    expect(res.body).toMatchObject({
      entityId: deals.id,
      published: null,
      draft: { definition: { layout: [], fields: {}, validations: [], hiddenFieldPolicy: 'clear' } },
      versions: [],
    });
    expect((await member.get(formUrl())).body).toEqual({ entityId: deals.id, published: null });
    // Staff still get a form to fill in: the default one, every field they may see in the entity's order.
    const def = await member.get(`${formUrl()}/schema?locale=en`);
    expect(def.status, JSON.stringify(def.body)).toBe(200);
    expect(def.body).toMatchObject({ entityId: deals.id, version: 0, form: { layout: [], validations: [] } });
    expect(def.body.uiSchema['ui:order'].filter((k: string) => k !== '*')).toEqual(
      Object.keys(def.body.schema.properties).filter((k) => deals.fields.some((f: any) => f.key === k)),
    );
    const rec = await member.post(recs(), { name: 'Before', stage: 'new' });
    expect(rec.status).toBe(201);
    expect(rec.body.formVersion).toBeNull();
    // Without a published form the entity's own rules hold as before.
    const missing = expectProblem(await member.post(recs(), { name: 'No status' }), 400, 'VALIDATION_FAILED');
    expect(missing.errors).toEqual([{ path: '/stage', code: 'required', message: '/stage is required' }]);
  });

  it('only app admins design; members read the published form only', async () => {
    expectProblem(await put(member, formUrl(), dealForm()), 403, 'FORBIDDEN');
    expectProblem(await member.post(`${formUrl()}/publish`), 403, 'FORBIDDEN');
    expectProblem(await member.post(`${formUrl()}/public-link`, { exposedFields: ['name'] }), 403, 'FORBIDDEN');
    const stranger = await makeEntity(api.admin, [{ key: 'x', label: 'X', type: 'text' }]);
    expectProblem(await member.get(`/api/entities/${stranger.id}/form`), 404, 'ENTITY_NOT_FOUND');
  });

  it('refuses bad rules at design time with the path: unknown fields, __proto__ paths, oversized rules, bad linkage', async () => {
    const bad = async (form: unknown) =>
      expectProblem(await put(api.admin, formUrl(), form), 400, 'INVALID_FORM').errors as { path: string; code: string; message: string }[];
    expect(await bad({ fields: { company: { visibleWhen: { '==': [{ var: 'ghost' }, 1] } } } })).toEqual([
      { path: '/fields/company/visibleWhen/==', code: 'unknown_field', message: '/fields/company/visibleWhen/==: Unknown field "ghost"' },
    ]);
    expect(await bad({ layout: [{ type: 'field', key: 'nope' }], fields: { nope: {} } })).toEqual([
      expect.objectContaining({ path: '/layout/0/key', code: 'unknown_field' }),
      expect.objectContaining({ path: '/fields/nope', code: 'unknown_field' }),
    ]);
    const proto =
      '{"fields": {"company": {"requiredWhen": {"==": [{"var": "__proto__"}, 1]}}}, "validations": [{"id": "v", "message": "m", "condition": {"and": [{"constructor": {"prototype": 1}}]}}]}';
    const protoRes = expectProblem(await api.admin.request('PUT', formUrl(), proto), 400, 'INVALID_FORM');
    expect(protoRes.errors.map((e: any) => [e.path, e.code])).toEqual([
      ['/fields/company/requiredWhen/==/0/var', 'invalid_rule'],
      ['/validations/0/condition/and/0/constructor', 'invalid_rule'],
    ]);
    const wide = { or: Array.from({ length: 400 }, (_, i) => ({ '==': [{ var: 'name' }, `n${i}`] })) };
    expect((await bad({ validations: [{ id: 'w', condition: wide, message: 'x' }] }))[0]).toMatchObject({
      path: expect.stringMatching(/^\/validations\/0\/condition\/or/),
      code: 'too_complex',
    });
    let deep: unknown = { '==': [{ var: 'name' }, 'x'] };
    for (let i = 0; i < 15; i++) deep = { '!': deep };
    expect((await bad({ fields: { company: { visibleWhen: deep } } }))[0]).toMatchObject({ code: 'too_complex' });
    expect((await bad({ fields: { price: { default: { kind: 'linkage', entityId: 'nope', condition: true, valueField: 'x' } } } }))[0]).toMatchObject({
      path: '/fields/price/default/entityId',
      code: 'unknown_entity',
    });
    expect((await bad({ fields: { label: { default: { kind: 'formula', formula: 'UPPER(name' } } } }))[0]).toMatchObject({
      path: '/fields/label/default/formula',
      code: 'invalid_formula',
      message: expect.stringMatching(/column/),
    });
    // Nothing of it was stored.
    expect((await api.admin.get(formUrl())).body.draft.definition.fields).toEqual({});
  });
});

describe('published form applied to record writes', () => {
  let version: number;
  beforeAll(async () => {
    version = await publish(dealForm());
  });

  it('fills defaults (static, formula, linkage), clears hidden fields and remembers the form version', async () => {
    const res = await member.post(recs(), { name: 'Ann', company: 'Hidden Co', product_code: 'P-2' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Ann',
      kind: 'person',
      stage: 'new',
      company: null,
      price: 99,
      label: 'ANN/new',
      approved: false,
      formVersion: version,
    });
    // A linkage that finds nothing gives no value; a blank form value means no lookup.
    expect((await member.post(recs(), { name: 'Bo', product_code: 'P-404' })).body.price).toBeNull();
    expect((await member.post(recs(), { name: 'Cy' })).body.price).toBeNull();
    // Sent values win over defaults.
    expect((await member.post(recs(), { name: 'Di', stage: 'won', price: 5 })).body).toMatchObject({ stage: 'won', price: 5, label: 'DI/won' });
  });

  it('answers a linkage default for the current values as the member (POST form/linkage), refusing what is not a linkage', async () => {
    const linkage = (c: Client, body: unknown) => c.post(`${formUrl()}/linkage`, body);
    expect((await linkage(member, { field: 'price', values: { product_code: 'P-2', name: 'x' } })).body).toEqual({ field: 'price', value: 99 });
    expect((await linkage(member, { field: 'price', values: { product_code: 'P-1' } })).body).toEqual({ field: 'price', value: 10.5 });
    // Nothing matches, or the value the condition reads is blank: no value.
    expect((await linkage(member, { field: 'price', values: { product_code: 'P-404' } })).body).toEqual({ field: 'price', value: null });
    expect((await linkage(member, { field: 'price' })).body).toEqual({ field: 'price', value: null });
    const none = expectProblem(await linkage(member, { field: 'name', values: {} }), 400, 'INVALID_REQUEST');
    expect(none.errors).toEqual([{ path: '/field', code: 'no_linkage', message: '"name" is not a field of this form with a data-linkage default' }]);
    expectProblem(await linkage(member, { field: 'nope' }), 400, 'INVALID_REQUEST');
    expect(expectProblem(await linkage(member, { values: {} }), 400, 'INVALID_REQUEST').errors[0].path).toBe('/field');
    expect(expectProblem(await linkage(member, { field: 'price', values: [1] }), 400, 'INVALID_REQUEST').errors[0].path).toBe('/values');
    // A member who may use the deals but not read the catalogue gets no value (as a save would fill none).
    const email = `n${randomBytes(4).toString('hex')}@example.com`;
    const m = await api.admin.post('/api/members', { email, name: 'No Catalogue', password: PASSWORD });
    expect(
      (await api.admin.post(`/api/entities/${deals.id}/permission-groups`, { name: 'Deals only', preset: 'manage_own', members: [m.body.member.id] })).status,
    ).toBe(201);
    const blind = api.client();
    expect((await blind.login(email, PASSWORD)).status).toBe(200);
    expect((await linkage(blind, { field: 'price', values: { product_code: 'P-2' } })).body).toEqual({ field: 'price', value: null });
    // An entity the member cannot reach is not found, whatever the body.
    const stranger = await makeEntity(api.admin, [{ key: 'x', label: 'X', type: 'text' }]);
    expectProblem(await member.post(`/api/entities/${stranger.id}/form/linkage`, { field: 'x' }), 404, 'ENTITY_NOT_FOUND');
  });

  it('required-when and submit validations refuse with paths and messages in English or Chinese', async () => {
    const en = expectProblem(await member.post(recs(), { name: 'Acme', kind: 'company', amount: 5000, discount: 40 }), 400, 'VALIDATION_FAILED');
    expect(en.errors).toEqual([
      { path: '/tax_no', code: 'required', message: 'Tax number is required' },
      { path: '/discount', code: 'rule_failed', message: 'At most 30% off' },
    ]);
    const cn = expectProblem(await member.request('POST', recs(), { name: 'Acme', kind: 'company', amount: 5000, discount: 40 }, zh), 400, 'VALIDATION_FAILED');
    expect(cn.errors.map((e: any) => e.message)).toEqual(['Tax number不能为空', '折扣不能超过30%']);
    // The discount check applies only while the discount shows (amount over 1000).
    const ok = await member.post(recs(), { name: 'Acme', kind: 'company', tax_no: 'T-1', company: 'Acme Ltd', amount: 500, discount: 40 });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ company: 'Acme Ltd', tax_no: 'T-1', discount: null });
    // Field checks (ajv) speak Chinese too, naming the field by its label.
    const typed = expectProblem(await member.request('POST', recs(), { name: 'X', amount: 'lots', discount: 101 }, zh), 400, 'VALIDATION_FAILED');
    expect(typed.errors).toEqual(
      expect.arrayContaining([
        { path: '/amount', code: 'invalid_type', message: 'Amount必须是数字' },
        { path: '/discount', code: 'too_large', message: 'Discount不能大于 100' },
      ]),
    );
    const enTyped = expectProblem(await member.post(recs(), { name: 'X', discount: 101 }), 400, 'VALIDATION_FAILED');
    expect(enTyped.errors).toEqual([{ path: '/discount', code: 'too_large', message: '/discount must be at most 100' }]);
  });

  it("read-only fields: members' values are ignored, admins may set them", async () => {
    const m = await member.post(recs(), { name: 'Ro', approved: true });
    expect(m.body.approved).toBe(false);
    const edit = await member.patch(`${recs()}/${m.body.id}`, { version: m.body.version, approved: true, name: 'Ro2' });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect(edit.body).toMatchObject({ approved: false, name: 'Ro2' });
    const a = await api.admin.post(recs(), { name: 'Ad', approved: true });
    expect(a.body.approved).toBe(true);
  });

  it('on update the rules see the whole record: hiding clears, required-when holds', async () => {
    const rec = (await member.post(recs(), { name: 'Co', kind: 'company', company: 'Co Ltd', tax_no: 'T-9' })).body;
    const noTax = expectProblem(await member.patch(`${recs()}/${rec.id}`, { version: rec.version, tax_no: null }), 400, 'VALIDATION_FAILED');
    expect(noTax.errors).toEqual([{ path: '/tax_no', code: 'required', message: 'Tax number is required' }]);
    const person = await member.patch(`${recs()}/${rec.id}`, { version: rec.version, kind: 'person' });
    expect(person.status, JSON.stringify(person.body)).toBe(200);
    expect(person.body).toMatchObject({ kind: 'person', company: null, tax_no: null, formVersion: version });
    const history = (await api.admin.get(`${recs()}/${rec.id}/history`)).body.items[0];
    expect(history.changes).toEqual({ kind: { from: 'company', to: 'person' }, company: { from: 'Co Ltd', to: null }, tax_no: { from: 'T-9', to: null } });
  });

  it('bulk create applies the form to every record, naming the record in each path', async () => {
    const bad = expectProblem(await api.admin.post(`${recs()}/bulk`, { records: [{ name: 'B1' }, { name: 'B2', kind: 'company' }] }), 400, 'VALIDATION_FAILED');
    expect(bad.errors).toEqual([{ path: '/records/1/tax_no', code: 'required', message: 'Tax number is required' }]);
    const ok = await api.admin.post(`${recs()}/bulk`, {
      records: [
        { name: 'B1', product_code: 'P-1' },
        { name: 'B2', product_code: 'P-1' },
      ],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    for (const id of ok.body.ids) expect((await api.admin.get(`${recs()}/${id}`)).body).toMatchObject({ stage: 'new', price: 10.5, formVersion: version });
  });

  it('the schema endpoint gives JSON Schema + uiSchema in the asked language; members get their fields', async () => {
    const en = await api.admin.get(`${formUrl()}/schema?locale=en`);
    expect(en.status).toBe(200);
    expect(en.body).toMatchObject({
      version,
      locale: 'en',
      uiSchema: { name: { 'ui:help': 'Who buys', 'ui:placeholder': 'Acme', 'ui:options': { width: '1/2' } }, 'ui:options': { submitHint: 'Saved' } },
    });
    expect(en.body.uiSchema['ui:order'].slice(0, 4)).toEqual(['name', 'kind', 'company', 'tax_no']);
    expect(en.body.schema.properties.stage).toMatchObject({ title: 'Stage', default: 'new' });
    expect(en.body.form.fields.tax_no).toEqual({ requiredWhen: isCompany });
    const cn = await api.admin.request('GET', `${formUrl()}/schema`, undefined, zh);
    expect(cn.body).toMatchObject({ locale: 'zh-CN', uiSchema: { name: { 'ui:help': '购买方' }, 'ui:options': { submitHint: '已保存' } } });
    expect(cn.body.uiSchema['ui:layout'][3]).toEqual({ type: 'description', id: 'note', text: '价格取自产品目录' });
    expectProblem(await api.admin.get(`${formUrl()}/schema?locale=fr`), 400, 'INVALID_REQUEST');
    // A member whose group hides "amount" and makes "status" read-only.
    const groups = (await api.admin.get(`/api/entities/${deals.id}/permission-groups`)).body.items;
    const g = groups.find((x: any) => x.name === 'Sales');
    expect(
      (
        await api.admin.patch(`/api/permission-groups/${g.id}`, {
          fields: { amount: { visible: false, editable: false }, stage: { visible: true, editable: false } },
        })
      ).status,
    ).toBe(200);
    const mine = (await member.get(`${formUrl()}/schema`)).body;
    expect(Object.keys(mine.schema.properties)).not.toContain('amount');
    expect(mine.uiSchema.amount).toBeUndefined();
    expect(mine.uiSchema.stage['ui:readonly']).toBe(true);
    expect((await api.admin.patch(`/api/permission-groups/${g.id}`, { fields: {} })).status).toBe(200);
  });
});

describe('form versions', () => {
  it('draft edits do not reach staff until published; records remember their version; versions are immutable', async () => {
    const before = (await api.admin.get(formUrl())).body.published.version;
    const old = (await member.post(recs(), { name: 'Old rules' })).body;
    expect(old.formVersion).toBe(before);
    // A stricter draft: amount required for everyone.
    const stricter = dealForm({ fields: { ...dealForm().fields, amount: { requiredWhen: true } } });
    expect((await put(api.admin, formUrl(), stricter)).status).toBe(200);
    const still = await member.post(recs(), { name: 'Still old' });
    expect(still.status, JSON.stringify(still.body)).toBe(201);
    expect(still.body.formVersion).toBe(before);
    expect((await member.get(formUrl())).body.published.version).toBe(before);
    expect((await member.get(formUrl())).body.draft).toBeUndefined();
    const pub = await api.admin.post(`${formUrl()}/publish`);
    expect(pub.body).toMatchObject({ version: before + 1, created: true });
    expectProblem(await member.post(recs(), { name: 'New rules' }), 400, 'VALIDATION_FAILED');
    const fresh = await member.post(recs(), { name: 'New rules', amount: 1 });
    expect(fresh.body.formVersion).toBe(before + 1);
    expect((await member.get(`${recs()}/${old.id}`)).body.formVersion).toBe(before);
    // Publishing the same draft again makes no new version.
    expect((await api.admin.post(`${formUrl()}/publish`)).body).toMatchObject({ version: before + 1, created: false });
    const v1 = await member.get(`${formUrl()}/versions/${before}`);
    expect(v1.body.definition.fields.amount).toBeUndefined();
    expect((await member.get(`${formUrl()}/versions/${before + 1}`)).body.definition.fields.amount).toEqual({ requiredWhen: true });
    expectProblem(await member.get(`${formUrl()}/versions/999`), 404, 'FORM_VERSION_NOT_FOUND');
    expectProblem(await member.get(`${formUrl()}/versions/abc`), 404, 'FORM_VERSION_NOT_FOUND');
    const listed = (await api.admin.get(formUrl())).body.versions.map((v: any) => v.version);
    expect(listed).toEqual([before + 1, before]);
    // Back to the friendlier rules for the tests that follow.
    await publish(dealForm());
  });

  it('hidden-field policy keep leaves hidden values; recalculate restores the default', async () => {
    await publish(dealForm({ hiddenFieldPolicy: 'keep' }));
    expect((await member.post(recs(), { name: 'K', company: 'Kept Co' })).body.company).toBe('Kept Co');
    await publish(dealForm({ hiddenFieldPolicy: 'recalculate', fields: { ...dealForm().fields, company: { default: { kind: 'static', value: 'n/a' } } } }));
    expect((await member.post(recs(), { name: 'R', company: 'Typed Co' })).body.company).toBe('n/a');
    // On update too, inside the record's transaction: a price hidden for people is looked up again.
    const fields = dealForm().fields;
    await publish(
      dealForm({ hiddenFieldPolicy: 'recalculate', fields: { ...fields, price: { ...fields.price, visibleWhen: { '==': [{ var: 'kind' }, 'company'] } } } }),
    );
    const rec = (await member.post(recs(), { name: 'U', kind: 'company', tax_no: 'T', product_code: 'P-1', price: 7 })).body;
    expect(rec.price).toBe(7);
    const updated = await member.patch(`${recs()}/${rec.id}`, { version: rec.version, kind: 'person' });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.price).toBe(10.5);
    await publish(dealForm());
  });

  it('a published form survives a field removal: its rules on that field are dropped and reported', async () => {
    const e = await makeEntity(api.admin, [
      { key: 'name', label: 'Name', type: 'text' },
      { key: 'note', label: 'Note', type: 'text' },
    ]);
    await publish(
      {
        layout: [{ type: 'field', key: 'note' }],
        fields: { name: { requiredWhen: { is_not_empty: [{ var: 'note' }] } }, note: { default: { kind: 'static', value: 'hi' } } },
      },
      e,
    );
    expect((await api.admin.delete(`/api/entities/${e.id}/fields/note`)).status).toBe(200);
    const rec = await api.admin.post(recs(e), {});
    expect(rec.status, JSON.stringify(rec.body)).toBe(201);
    const form = (await api.admin.get(formUrl(e))).body.published;
    expect(form.problems.map((p: any) => p.path)).toEqual(expect.arrayContaining(['/layout/0/key', '/fields/note']));
    expect(form.definition.fields).toEqual({});
  });
});

describe('compiled artefacts', () => {
  it('forms and validators are compiled once per version, never on a request after the first', async () => {
    await member.post(recs(), { name: 'Warm' });
    await member.get(`${formUrl()}/schema?locale=zh-CN`);
    const forms = FormRuntime.compiles;
    const entities = EntityRuntime.compiles;
    for (let i = 0; i < 5; i++) {
      expect((await member.post(recs(), { name: `Hot ${i}`, product_code: 'P-1' })).status).toBe(201);
      expect((await member.get(`${formUrl()}/schema?locale=${i % 2 ? 'en' : 'zh-CN'}`)).status).toBe(200);
      expect((await member.post(recs(), { name: 'Bad', kind: 'company' })).status).toBe(400);
    }
    expect(FormRuntime.compiles).toBe(forms);
    expect(EntityRuntime.compiles).toBe(entities);
    // Publishing moves the version: exactly one new compilation serves the next requests.
    await publish(dealForm({ submitHint: 'Saved again' }));
    await member.post(recs(), { name: 'After publish' });
    await member.post(recs(), { name: 'After publish 2' });
    expect(FormRuntime.compiles).toBe(forms + 1);
  });

  it('a record write pays one query for forms (the published version) besides its linkage lookups', async () => {
    await member.post(recs(), { name: 'Warm again' });
    const q0 = Db.statements;
    await member.post(recs(), { name: 'Count me' });
    const withForm = Db.statements - q0;
    const plain = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
    await api.admin.post(recs(plain), { name: 'warm' });
    const q1 = Db.statements;
    await api.admin.post(recs(plain), { name: 'Count me' });
    const withoutForm = Db.statements - q1;
    // The member pays for permission checks too; compare against the admin on the form-less entity loosely.
    expect(withForm).toBeLessThanOrEqual(withoutForm + 6);
  });
});

describe('record tables', () => {
  it('new record tables carry the form_version column', async () => {
    const db = api.app.get(Db);
    const e = await makeEntity(api.admin, [{ key: 'name', label: 'Name', type: 'text' }]);
    const table = (await db.query<{ t: string }>('SELECT table_name AS t FROM entities WHERE id = ?', [e.id]))[0].t;
    const cols =
      db.dialect === 'mysql'
        ? await db.query<{ c: string }>('SELECT COLUMN_NAME AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?', [table])
        : await db.query<{ c: string }>(`SELECT name AS c FROM pragma_table_info('${table}')`);
    expect(cols.map((c) => c.c)).toContain('form_version');
  });
});

describe('forms migration', () => {
  it('adds form_version to the record tables that exist, skipping tables not created yet', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { DataSource } = await import('typeorm');
    const { parseConfigOrThrow } = await import('../src/common/config');
    const { dataSourceOptions, ensureMysqlDatabase, MIGRATIONS } = await import('../src/database/data-source');
    const { Forms1763900000020 } = await import('../src/database/migrations/1763900000020-forms');
    const { FormDesigns1763900000200 } = await import('../src/database/migrations/1763900000200-form-designs');
    const dir = mkdtempSync(join(tmpdir(), 'crm-mig-'));
    const env: Record<string, string> = { DATA_DIR: dir };
    let dbName: string | null = null;
    if (process.env.DATABASE_URL?.startsWith('mysql')) {
      const u = new URL(process.env.DATABASE_URL);
      dbName = `crm_m_${randomBytes(5).toString('hex')}`;
      u.pathname = `/${dbName}`;
      env.DATABASE_URL = u.toString();
      await ensureMysqlDatabase(env.DATABASE_URL);
    }
    const options = dataSourceOptions(parseConfigOrThrow(env));
    const before = new DataSource({ ...options, migrations: MIGRATIONS.filter((m) => m !== Forms1763900000020 && m !== FormDesigns1763900000200) } as never);
    await before.initialize();
    await before.runMigrations();
    const now = '2026-01-01 00:00:00.000';
    await before.query('CREATE TABLE t_legacy0000001 (id INTEGER NOT NULL PRIMARY KEY, version INTEGER NOT NULL)');
    for (const [id, table] of [
      ['e1', 't_legacy0000001'],
      ['e2', 't_notyet000000'],
    ]) {
      await before.query(
        'INSERT INTO entities (id, workspace_id, app_id, `key`, name, table_name, version, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)',
        [id, 'w', 'a', id, id, table, 'active', now, now],
      );
    }
    await before.destroy();
    const after = new DataSource(options);
    await after.initialize();
    try {
      expect((await after.runMigrations()).map((m) => m.name)).toEqual(['Forms1763900000020', 'FormDesigns1763900000200']);
      const mysql = after.options.type === 'mysql';
      const cols = (await after.query(
        mysql
          ? "SELECT COLUMN_NAME AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 't_legacy0000001'"
          : "SELECT name AS c FROM pragma_table_info('t_legacy0000001')",
      )) as { c: string }[];
      expect(cols.map((c) => c.c)).toEqual(['id', 'version', 'form_version']);
    } finally {
      await after.destroy();
      if (dbName) {
        const { createConnection } = await import('mysql2/promise');
        const u = new URL(process.env.DATABASE_URL!);
        u.pathname = '/';
        const conn = await createConnection({ uri: u.toString() });
        await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
        await conn.end();
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
