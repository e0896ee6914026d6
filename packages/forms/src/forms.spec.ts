import { createAjv, type FieldDefinition } from '@crm/schema';
import { describe, expect, it } from 'vitest';
import { FormsError } from './errors';
import {
  applyHiddenFieldPolicy,
  buildFormSchemas,
  evaluateFormRules,
  formulaSupport,
  hiddenLayoutNodes,
  linkageRequest,
  localeFromAcceptLanguage,
  normalizeFormOrThrow,
  resolveDefaults,
} from './index';

const opts = (...values: string[]) => values.map((value) => ({ value, label: value.toUpperCase() }));

const FIELDS: FieldDefinition[] = [
  { key: 'name', label: 'Name', type: 'text', required: true, settings: {} },
  { key: 'kind', label: 'Kind', type: 'select', settings: { options: opts('person', 'company') } },
  { key: 'company', label: 'Company', type: 'text', settings: {} },
  { key: 'tax_no', label: 'Tax number', type: 'text', settings: {} },
  { key: 'amount', label: 'Amount', type: 'money', settings: { precision: 2 } },
  { key: 'discount', label: 'Discount', type: 'number', settings: { precision: 0, min: 0, max: 100 } },
  { key: 'due', label: 'Due', type: 'date', settings: {} },
  { key: 'vip', label: 'VIP', type: 'switch', settings: {} },
  { key: 'tags', label: 'Tags', type: 'checkbox', settings: { options: opts('a', 'b') } },
  { key: 'product_code', label: 'Product code', type: 'text', settings: {} },
  { key: 'price', label: 'Price', type: 'money', settings: {} },
  { key: 'no', label: 'No', type: 'serial', settings: {} },
  { key: 'lines', label: 'Lines', type: 'subform', settings: { fields: [{ key: 'item', label: 'Item', type: 'text', settings: {} }] } },
];

const PRODUCTS: FieldDefinition[] = [
  { key: 'code', label: 'Code', type: 'text', settings: {} },
  { key: 'list_price', label: 'List price', type: 'money', settings: {} },
  { key: 'title', label: 'Title', type: 'text', settings: {} },
];

const targetFields = (id: string) => (id === 'products' ? PRODUCTS : undefined);
const normalize = (form: unknown) => normalizeFormOrThrow({ form, fields: FIELDS, targetFields });

function issuesOf(form: unknown): { path: string; code: string; message: string }[] {
  try {
    normalize(form);
  } catch (err) {
    expect(err).toBeInstanceOf(FormsError);
    return (err as FormsError).issues;
  }
  throw new Error('expected the form to be refused');
}

const isCompany = { '==': [{ var: 'kind' }, 'company'] };

const FORM = {
  layout: [
    {
      type: 'section',
      id: 'main',
      title: { en: 'Main', 'zh-CN': '基本信息' },
      columns: 2,
      children: [
        { type: 'field', key: 'name', width: '1/2' },
        { type: 'field', key: 'kind', width: '1/2' },
        { type: 'divider', id: 'd1' },
        { type: 'description', id: 'hint', text: { en: 'Company details', 'zh-CN': '公司信息' } },
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
    {
      type: 'tabs',
      id: 't',
      tabs: [
        {
          id: 'money',
          title: 'Money',
          children: [
            { type: 'field', key: 'amount' },
            { type: 'field', key: 'discount' },
          ],
        },
      ],
    },
  ],
  fields: {
    name: { help: { en: 'Full name', 'zh-CN': '全名' }, placeholder: 'Jane Doe' },
    kind: { default: { kind: 'static', value: 'person' } },
    tax_no: { requiredWhen: isCompany },
    discount: { visibleWhen: { '>': [{ var: 'amount' }, 1000] }, readOnly: false },
    due: { readOnly: true },
    price: { default: { kind: 'linkage', entityId: 'products', condition: { '==': [{ var: 'code' }, '$form.product_code'] }, valueField: 'list_price' } },
  },
  validations: [
    { id: 'max_discount', condition: { '<=': [{ var: 'discount' }, 30] }, message: { en: 'At most 30% off', 'zh-CN': '折扣不能超过30%' }, field: 'discount' },
  ],
  submitHint: { en: 'Thanks!', 'zh-CN': '提交成功' },
};

describe('normalizeFormOrThrow', () => {
  it('keeps a good definition and fills the hidden-field policy (clear)', () => {
    const form = normalize(FORM);
    expect(form.hiddenFieldPolicy).toBe('clear');
    expect(form.fields.discount).toEqual({ visibleWhen: FORM.fields.discount.visibleWhen }); // readOnly: false is dropped
    expect(form.layout).toHaveLength(3);
    expect(normalize({ ...FORM, hiddenFieldPolicy: 'keep' }).hiddenFieldPolicy).toBe('keep');
    expect(normalize({})).toEqual({ layout: [], fields: {}, validations: [], hiddenFieldPolicy: 'clear' });
  });

  it('refuses unknown fields in the layout, in field settings and in rules, naming the path', () => {
    const issues = issuesOf({
      layout: [{ type: 'field', key: 'nope' }],
      fields: { ghost: {}, company: { visibleWhen: { '==': [{ var: 'missing' }, 1] } } },
      validations: [{ id: 'v', condition: { '==': [{ var: 'nothing' }, 1] }, message: 'x' }],
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['/layout/0/key', 'unknown_field'],
      ['/fields/ghost', 'unknown_field'],
      ['/fields/company/visibleWhen/==', 'unknown_field'],
      ['/validations/0/condition/==', 'unknown_field'],
    ]);
    for (const i of issues) expect(i.message.startsWith(i.path)).toBe(true);
  });

  it('refuses paths through __proto__, constructor and prototype', () => {
    const proto = JSON.parse('{"fields": {"company": {"visibleWhen": {"==": [{"var": "__proto__"}, 1]}}, "__proto__": {"x": 1}}}');
    const issues = issuesOf(proto);
    expect(issues).toContainEqual(expect.objectContaining({ path: '/fields/company/visibleWhen/==/0/var', code: 'invalid_rule' }));
    expect(issues).toContainEqual(expect.objectContaining({ path: '/fields/__proto__', code: 'unknown_field' }));
    expect(issuesOf(JSON.parse('{"__proto__": {"layout": []}}'))[0]).toMatchObject({ path: '/__proto__', code: 'unknown_property' });
    const ctor = issuesOf({ fields: { company: { requiredWhen: { '==': [{ var: 'constructor' }, 1] } } } });
    expect(ctor[0]).toMatchObject({ path: '/fields/company/requiredWhen/==/0/var', code: 'invalid_rule' });
    const key = issuesOf({ validations: [{ id: 'v', condition: JSON.parse('{"and": [{"prototype": 1}]}'), message: 'x' }] });
    expect(key[0]).toMatchObject({ path: '/validations/0/condition/and/0/prototype', code: 'invalid_rule' });
    const field = issuesOf(JSON.parse('{"fields": {"__proto__": {"readOnly": true}}}'));
    expect(field[0]).toMatchObject({ path: '/fields/__proto__', code: 'unknown_field' });
  });

  it('refuses oversized and too deep rules and forms', () => {
    let deep: unknown = { '==': [{ var: 'name' }, 'x'] };
    for (let i = 0; i < 20; i++) deep = { and: [deep] };
    expect(issuesOf({ fields: { company: { visibleWhen: deep } } })[0]).toMatchObject({
      code: 'too_complex',
      path: expect.stringMatching(/^\/fields\/company\/visibleWhen\/and/),
    });
    const wide = { or: Array.from({ length: 400 }, (_, i) => ({ '==': [{ var: 'name' }, `n${i}`] })) };
    expect(issuesOf({ validations: [{ id: 'w', condition: wide, message: 'x' }] })[0]).toMatchObject({ code: 'too_complex' });
    expect(issuesOf({ submitHint: 'x'.repeat(250_000) })[0]).toMatchObject({ path: '', code: 'too_large' });
    let nested: any = [];
    const root = nested;
    for (let i = 0; i < 8; i++) {
      const child: any[] = [];
      nested.push({ type: 'section', id: `s${i}`, children: child });
      nested = child;
    }
    expect(issuesOf({ layout: root }).map((i) => i.code)).toContain('too_deep');
    expect(issuesOf({ validations: Array.from({ length: 101 }, (_, i) => ({ id: `v${i}`, condition: true, message: 'x' })) })[0].code).toBe('too_large');
  });

  it('refuses bad layout parts, duplicate ids and fields, and bad texts', () => {
    const issues = issuesOf({
      layout: [
        { type: 'field', key: 'name', width: '5/7' },
        { type: 'field', key: 'name' },
        { type: 'section', id: 'a', columns: 9, children: [] },
        { type: 'divider', id: 'a' },
        { type: 'box', id: 'b' },
        { type: 'description', id: 'c', text: { fr: 'x' } },
      ],
      hiddenFieldPolicy: 'forget',
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['/layout/0/width', 'invalid_option'],
      ['/layout/1/key', 'duplicate_field'],
      ['/layout/2/columns', 'invalid_value'],
      ['/layout/3/id', 'duplicate_id'],
      ['/layout/4/type', 'invalid_option'],
      ['/layout/5/text/fr', 'unknown_property'],
      ['/layout/5/text', 'required'],
      ['/hiddenFieldPolicy', 'invalid_option'],
    ]);
  });

  it('checks defaults: static values must fit the field; computed fields take none', () => {
    const issues = issuesOf({
      fields: {
        discount: { default: { kind: 'static', value: 150 } },
        kind: { default: { kind: 'static', value: 'robot' } },
        no: { default: { kind: 'static', value: 'X' } },
        due: { default: { kind: 'magic' } },
      },
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['/fields/discount/default/value', 'too_large'],
      ['/fields/kind/default/value', 'invalid_option'],
      ['/fields/no/default', 'not_writable'],
      ['/fields/due/default/kind', 'invalid_option'],
    ]);
  });

  it('checks data linkage: entity, value field, type fit and $form tokens', () => {
    const link = (over: Record<string, unknown>) => ({
      fields: {
        price: {
          default: { kind: 'linkage', entityId: 'products', condition: { '==': [{ var: 'code' }, '$form.product_code'] }, valueField: 'list_price', ...over },
        },
      },
    });
    expect(issuesOf(link({ entityId: 'elsewhere' }))[0]).toMatchObject({ path: '/fields/price/default/entityId', code: 'unknown_entity' });
    expect(issuesOf(link({ valueField: 'nope' }))[0]).toMatchObject({ path: '/fields/price/default/valueField', code: 'unknown_field' });
    expect(issuesOf(link({ valueField: 'title' }))[0]).toMatchObject({ path: '/fields/price/default/valueField', code: 'type_mismatch' });
    expect(issuesOf(link({ condition: { '==': [{ var: 'code' }, '$form.nothing'] } }))[0]).toMatchObject({ code: 'unknown_field' });
    expect(issuesOf(link({ condition: { '==': [{ var: 'code' }, '$form.tags'] } }))[0]).toMatchObject({ code: 'invalid_value' });
    // A number compared with a text field of the target: refused with the leaf's path.
    expect(issuesOf(link({ condition: { '==': [{ var: 'code' }, '$form.amount'] } }))[0]).toMatchObject({
      path: '/fields/price/default/condition/==',
      code: 'invalid_value',
    });
    expect(issuesOf(link({ condition: { '==': [{ var: 'nope' }, '$form.product_code'] } }))[0]).toMatchObject({ code: 'unknown_field' });
  });

  it('formulas are checked by the formula language (refused while it is not available)', () => {
    const form = { fields: { company: { default: { kind: 'formula', formula: 'UPPER(name)' } } } };
    if (formulaSupport()) expect(normalize(form).fields.company.default).toEqual({ kind: 'formula', formula: 'UPPER(name)' });
    else expect(issuesOf(form)[0]).toMatchObject({ path: '/fields/company/default/formula', code: 'formula_unavailable' });
    expect(issuesOf({ validations: [{ id: 'v', message: 'x' }] })[0]).toMatchObject({ path: '/validations/0', code: 'invalid_value' });
  });
});

describe('evaluateFormRules', () => {
  const form = normalize(FORM);
  const now = new Date('2026-03-01T00:00:00Z');

  it('hides fields by their own rule and by their section, and requires fields by rule only while shown', () => {
    const person = evaluateFormRules({ form, values: { name: 'Ann', kind: 'person', amount: 10 }, now, fields: FIELDS });
    expect([...person.hidden].sort()).toEqual(['company', 'discount', 'tax_no']);
    expect([...person.required]).toEqual(['name']);
    expect([...person.readOnly]).toEqual(['due']);
    expect(person.issues).toEqual([]);
    const company = evaluateFormRules({ form, values: { name: 'Acme', kind: 'company', amount: 5000, discount: 40 }, now, fields: FIELDS });
    expect([...company.hidden]).toEqual([]);
    expect([...company.required].sort()).toEqual(['name', 'tax_no']);
    expect(company.issues).toEqual([
      { path: '/tax_no', code: 'required', message: 'Tax number is required' },
      { path: '/discount', code: 'rule_failed', message: 'At most 30% off' },
    ]);
  });

  it('speaks Chinese when asked, and names entity-required fields', () => {
    const res = evaluateFormRules({ form, values: { kind: 'company', amount: 5000, discount: 40 }, now, fields: FIELDS, locale: 'zh-CN' });
    expect(res.issues.map((i) => i.message)).toEqual(['Name不能为空', 'Tax number不能为空', '折扣不能超过30%']);
  });

  it('is the same with or without field metadata for plain values', () => {
    const values = { name: 'A', kind: 'company', amount: 2000, discount: 10 };
    const a = evaluateFormRules({ form, values, now });
    const b = evaluateFormRules({ form, values, now, fields: FIELDS });
    expect([...a.hidden]).toEqual([...b.hidden]);
    expect(a.issues.map((i) => i.code)).toEqual(['required']);
    expect(b.issues.map((i) => i.code)).toEqual(['required']);
  });
});

describe('hiddenLayoutNodes', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  const form = normalize({
    ...FORM,
    layout: [
      ...FORM.layout,
      {
        type: 'tabs',
        id: 'more',
        tabs: [
          {
            id: 'vip_tab',
            title: 'VIP',
            visibleWhen: { '==': [{ var: 'vip' }, true] },
            children: [{ type: 'section', id: 'inner', children: [{ type: 'field', key: 'tags' }] }],
          },
          { id: 'plain', title: 'Plain', children: [{ type: 'field', key: 'due' }] },
        ],
      },
    ],
  });

  it('names the sections and tabs whose rule fails, and those inside them', () => {
    expect([...hiddenLayoutNodes({ form, values: { kind: 'person', vip: false }, now, fields: FIELDS })].sort()).toEqual(['company_box', 'inner', 'vip_tab']);
    expect([...hiddenLayoutNodes({ form, values: { kind: 'company', vip: true }, now, fields: FIELDS })]).toEqual([]);
  });
});

describe('defaults and hidden fields', () => {
  const form = normalize(FORM);
  const now = new Date('2026-03-01T00:00:00Z');

  it('fills static and linkage defaults; a blank $form value means no lookup', async () => {
    const calls: unknown[] = [];
    const lookup = async (req: unknown) => (calls.push(req), 12.5);
    const res = await resolveDefaults({ form, values: { product_code: 'P-1' }, keys: ['kind', 'price', 'name'], now, lookup });
    expect(res.values).toEqual({ product_code: 'P-1', kind: 'person', price: 12.5 });
    expect(calls).toEqual([{ field: 'price', entityId: 'products', condition: { '==': [{ var: 'code' }, 'P-1'] }, valueField: 'list_price' }]);
    expect(linkageRequest({ form, key: 'price', values: { product_code: '' } })).toBeNull();
    const none = await resolveDefaults({ form, values: {}, keys: ['price'], now, lookup });
    expect(none.values.price).toBeNull();
    expect(calls).toHaveLength(1);
  });

  it('clear empties hidden values (cascading), keep keeps them, recalculate restores the default', async () => {
    const lookup = async () => null;
    const values = { name: 'A', kind: 'person', company: 'Acme', tax_no: 'T1', amount: 10, discount: 5 };
    const cleared = await applyHiddenFieldPolicy({ form, values, now, fields: FIELDS, lookup });
    expect(cleared.values).toMatchObject({ company: null, tax_no: null, discount: null, name: 'A' });
    const kept = await applyHiddenFieldPolicy({ form: { ...form, hiddenFieldPolicy: 'keep' }, values, now, fields: FIELDS, lookup });
    expect(kept.values).toEqual(values);
    const recalc = {
      ...form,
      hiddenFieldPolicy: 'recalculate' as const,
      fields: { ...form.fields, company: { default: { kind: 'static' as const, value: 'n/a' } } },
    };
    expect((await applyHiddenFieldPolicy({ form: recalc, values, now, fields: FIELDS, lookup })).values).toMatchObject({ company: 'n/a', tax_no: null });
    // Cascade: clearing "amount"'s controller hides what depends on it.
    const chain = normalize({
      fields: { amount: { visibleWhen: { '==': [{ var: 'vip' }, true] } }, discount: { visibleWhen: { '>': [{ var: 'amount' }, 100] } } },
    });
    const res = await applyHiddenFieldPolicy({ form: chain, values: { vip: false, amount: 500, discount: 3 }, now, fields: FIELDS, lookup });
    expect(res.values).toMatchObject({ amount: null, discount: null });
    expect([...res.hidden].sort()).toEqual(['amount', 'discount']);
  });
});

describe('buildFormSchemas', () => {
  const form = normalize(FORM);

  it('orders by layout then entity order, with widgets, help, placeholder, read-only and width', () => {
    const { schema, uiSchema } = buildFormSchemas({ entityFields: FIELDS, form, locale: 'en' });
    expect(uiSchema['ui:order']).toEqual([
      'name',
      'kind',
      'company',
      'tax_no',
      'amount',
      'discount',
      'due',
      'vip',
      'tags',
      'product_code',
      'price',
      'no',
      'lines',
      '*',
    ]);
    expect(uiSchema.name).toEqual({ 'ui:widget': 'text', 'ui:help': 'Full name', 'ui:placeholder': 'Jane Doe', 'ui:options': { width: '1/2' } });
    expect(uiSchema.kind).toMatchObject({ 'ui:widget': 'select', 'ui:enumNames': ['PERSON', 'COMPANY'] });
    expect(uiSchema.due).toMatchObject({ 'ui:widget': 'date', 'ui:readonly': true });
    expect(uiSchema.no).toMatchObject({ 'ui:readonly': true, 'ui:options': { computed: true } });
    expect(uiSchema.tags).toMatchObject({ 'ui:widget': 'checkboxes' });
    expect((uiSchema.lines as any).items.item).toMatchObject({ 'ui:widget': 'text' });
    expect(uiSchema['ui:options']).toEqual({ submitHint: 'Thanks!', hiddenFieldPolicy: 'clear' });
    expect((uiSchema['ui:layout'] as any[])[0]).toMatchObject({ type: 'section', title: 'Main', columns: 2 });
    expect((schema.properties as any).kind).toMatchObject({ title: 'Kind', default: 'person' });
    expect((schema.properties as any).no).toEqual({ readOnly: true, title: 'No' });
    expect(schema.required).toEqual(['name']);
  });

  it('localizes texts; the schema compiles with the server ajv and validates like the record schema', () => {
    const { schema, uiSchema } = buildFormSchemas({ entityFields: FIELDS, form, locale: 'zh-CN' });
    expect(uiSchema.name).toMatchObject({ 'ui:help': '全名' });
    expect((uiSchema['ui:layout'] as any[])[0].children[3]).toEqual({ type: 'description', id: 'hint', text: '公司信息' });
    const validate = createAjv().compile(schema);
    expect(validate({ name: 'A', discount: 10 })).toBe(true);
    expect(validate({ discount: 101 })).toBe(false);
  });

  it('limits the form to some fields (public links)', () => {
    const { schema, uiSchema } = buildFormSchemas({ entityFields: FIELDS, form, locale: 'en', fieldKeys: ['company', 'name'] });
    expect(Object.keys(schema.properties as object)).toEqual(['name', 'company']);
    expect(uiSchema['ui:order']).toEqual(['name', 'company', '*']);
    expect(JSON.stringify(uiSchema['ui:layout'])).not.toContain('"amount"');
  });
});

describe('localeFromAcceptLanguage', () => {
  it('picks zh-CN for Chinese, English otherwise', () => {
    expect(localeFromAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('zh-TW')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('en-US,zh;q=0.5')).toBe('en');
    expect(localeFromAcceptLanguage('fr, zh;q=0.4')).toBe('zh-CN');
    expect(localeFromAcceptLanguage(undefined)).toBe('en');
    expect(localeFromAcceptLanguage('de')).toBe('en');
  });
});
