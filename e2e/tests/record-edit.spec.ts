import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInApi, type SeedApi } from '../support/api';
import { launchBrowser } from '../support/browser';
import { call } from '../support/session';
import { startServer, type TestServer } from '../support/server';
import { ARTIFACTS, expectAccessible, screenshots, signIn } from '../support/ui';
import { join } from 'node:path';

const PASSWORD = 'record-edit-pass-1';

interface Seeded {
  appId: string;
  companies: string;
}

/**
 * Companies with a form whose "Tax" section shows only for a company (not a person) and whose
 * "VIP note" shows only for VIPs. Rita manages all; Vera may only view; Owen manages his own.
 */
async function seed(api: SeedApi): Promise<Seeded> {
  const member = async (name: string, email: string) =>
    (await api.request<{ member: { id: string } }>('POST', '/members', { name, email, password: PASSWORD })).member.id;
  const rita = await member('Rita Rep', 'rita@example.com');
  const vera = await member('Vera Viewer', 'vera@example.com');
  const owen = await member('Owen Own', 'owen@example.com');
  const app = await api.request<{ id: string }>('POST', '/apps', { key: 'crm', name: 'CRM' });
  const options = [
    { value: 'company', label: 'Company' },
    { value: 'person', label: 'Person' },
  ];
  const companies = await api.request<{ id: string }>('POST', `/apps/${app.id}/entities`, {
    key: 'customer',
    name: 'Customer',
    displayField: 'name',
    fields: [
      { key: 'name', label: 'Customer name', type: 'text', required: true },
      { key: 'kind', label: 'Kind', type: 'select', settings: { options } },
      { key: 'city', label: 'City', type: 'text' },
      { key: 'vip', label: 'VIP', type: 'switch' },
      { key: 'vip_note', label: 'VIP note', type: 'text' },
      { key: 'tax_no', label: 'Tax number', type: 'text' },
    ],
  });
  await api.request('PUT', `/entities/${companies.id}/form`, {
    layout: [
      {
        type: 'section',
        id: 'basics',
        title: { en: 'Basics', 'zh-CN': '基本信息' },
        columns: 2,
        children: [
          { type: 'field', key: 'name' },
          { type: 'field', key: 'kind' },
          { type: 'field', key: 'city' },
          { type: 'field', key: 'vip' },
          { type: 'field', key: 'vip_note' },
        ],
      },
      {
        type: 'section',
        id: 'tax',
        title: { en: 'Tax', 'zh-CN': '税务' },
        visibleWhen: { '==': [{ var: 'kind' }, 'company'] },
        children: [
          { type: 'description', id: 'tax_hint', text: { en: 'For invoices', 'zh-CN': '用于开票' } },
          { type: 'field', key: 'tax_no' },
        ],
      },
    ],
    fields: { vip_note: { visibleWhen: { '==': [{ var: 'vip' }, true] } } },
  });
  await api.request('POST', `/entities/${companies.id}/form/publish`);
  await api.request('POST', `/entities/${companies.id}/permission-groups`, { name: 'Sales', preset: 'manage_all', members: [rita] });
  await api.request('POST', `/entities/${companies.id}/permission-groups`, { name: 'Readers', preset: 'view_all', members: [vera] });
  await api.request('POST', `/entities/${companies.id}/permission-groups`, { name: 'Own', preset: 'manage_own', members: [owen] });
  return { appId: app.id, companies: companies.id };
}

describe('record page: edit, show-when rules, actions by permission, mentions of readers only', () => {
  let server: TestServer;
  let seeded: Seeded;
  let browser: Browser;
  let rita: BrowserContext;
  let ritaPage: Page;
  let person: number;
  let company: number;
  const url = (id: number) => `/apps/${seeded.appId}/entities/${seeded.companies}/records/${id}`;
  const contextFor = (locale: 'en-US' | 'zh-CN') =>
    browser.newContext({ baseURL: server.baseUrl, locale, timezoneId: 'UTC', viewport: { width: 1440, height: 900 } });

  beforeAll(async () => {
    server = await startServer();
    seeded = await seed(await signInApi(server));
    browser = await launchBrowser();
    rita = await contextFor('en-US');
    ritaPage = await rita.newPage();
    await signIn(ritaPage, { email: 'rita@example.com', password: PASSWORD });
    const make = (values: Record<string, unknown>) => call<{ id: number }>(ritaPage, 'POST', `/entities/${seeded.companies}/records`, values);
    person = (await make({ name: 'Pat Person', kind: 'person', city: 'Hangzhou', vip: false, vip_note: 'secret note', tax_no: 'T-1' })).id;
    company = (await make({ name: 'Acme Ltd', kind: 'company', city: 'Shanghai', vip: true, vip_note: 'Gold tier', tax_no: '91310000' })).id;
  }, 120_000);

  afterAll(async () => {
    await rita?.close();
    await browser?.close();
    await server?.stop();
  });

  it('hides the sections and fields the form’s rules hide for the record’s values', async () => {
    await ritaPage.goto(url(person));
    const drawer = ritaPage.getByRole('dialog', { name: `Customer #${person} · Pat Person` });
    await drawer.getByText('Hangzhou').waitFor();
    // A person: no Tax section (nor its text), no VIP note — and they do not come back under "Other fields".
    for (const hidden of ['Tax', 'For invoices', 'Tax number', 'T-1', 'VIP note', 'secret note', 'Other fields'])
      expect(await drawer.getByText(hidden, { exact: true }).count(), hidden).toBe(0);
    await ritaPage.goto(url(company));
    const other = ritaPage.getByRole('dialog', { name: `Customer #${company} · Acme Ltd` });
    await other.getByText('91310000').waitFor();
    await other.getByText('For invoices').waitFor();
    await other.getByText('Gold tier').waitFor();
    await expectAccessible(ritaPage, 'record page with rules');
    await screenshots(ritaPage, 'record-page-rules', 'en');
  });

  it('edits the record in its form; a change saved meanwhile by someone else is a clear conflict', async () => {
    await ritaPage.goto(url(company));
    const drawer = ritaPage.getByRole('dialog', { name: `Customer #${company} · Acme Ltd` });
    await drawer.getByRole('button', { name: 'Edit' }).click();
    const form = ritaPage.getByRole('dialog', { name: `Edit Customer #${company}` });
    const city = form.getByRole('textbox', { name: 'City' });
    expect(await city.inputValue()).toBe('Shanghai');
    // The form's rules apply while editing: switching VIP off hides the VIP note.
    await form.getByText('VIP note').first().waitFor();
    await form.getByRole('checkbox', { name: 'VIP' }).click();
    await expect.poll(() => form.getByRole('textbox', { name: 'VIP note' }).count()).toBe(0);
    await form.getByRole('checkbox', { name: 'VIP' }).click();
    await city.fill('Suzhou');
    await expectAccessible(ritaPage, 'record edit form');
    await screenshots(ritaPage, 'record-edit', 'en');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'detached' });
    await drawer.getByText('Suzhou').waitFor();

    // Someone else saves while Rita edits.
    await drawer.getByRole('button', { name: 'Edit' }).click();
    await form.getByRole('textbox', { name: 'City' }).fill('Ningbo');
    const current = await (await ritaPage.request.get(`/api/entities/${seeded.companies}/records/${company}`)).json();
    await call(ritaPage, 'PATCH', `/entities/${seeded.companies}/records/${company}`, { version: current.version, city: 'Wuxi', tax_no: '91320000' });
    await form.getByRole('button', { name: 'Save changes' }).click();
    const alert = form.getByRole('alert').filter({ hasText: 'Someone else changed this record while you were editing' });
    await alert.waitFor();
    expect(await form.getByRole('textbox', { name: 'City' }).inputValue()).toBe('Ningbo'); // the input is kept
    await screenshots(ritaPage, 'record-edit-conflict', 'en');
    await alert.getByRole('button', { name: 'Save mine anyway' }).click();
    await form.waitFor({ state: 'detached' });
    await drawer.getByText('Ningbo').waitFor();
    // Only the changed field went over theirs: their tax number stays.
    await drawer.getByText('91320000').waitFor();
  });

  it('edits in the form’s sections; what the member typed is kept as a draft of the record, offered back; hidden fields are never sent', async () => {
    const record = async () => (await ritaPage.request.get(`/api/entities/${seeded.companies}/records/${person}`)).json();
    const before = await record();
    await ritaPage.goto(url(person));
    const drawer = ritaPage.getByRole('dialog', { name: `Customer #${person} · Pat Person` });
    await drawer.getByRole('button', { name: 'Edit' }).click();
    const form = ritaPage.getByRole('dialog', { name: `Edit Customer #${person}` });
    // The form's sections: Basics in two columns, the Tax section hidden for a person.
    await form.getByText('Basics', { exact: true }).waitFor();
    expect(await form.getByText('For invoices').count()).toBe(0);
    const city = form.getByRole('textbox', { name: 'City' });
    expect(await city.inputValue()).toBe('Hangzhou');
    // Name and Kind side by side (two columns), City under Name. The dialog opens with a zoom
    // motion (a scale transform), so the boxes are read again until the motion has ended.
    const boxes = async () => {
      const [name, kind, at] = [
        await form.getByRole('textbox', { name: 'Customer name' }).boundingBox(),
        await form.getByRole('combobox', { name: 'Kind' }).boundingBox(),
        await city.boundingBox(),
      ];
      return { besideBy: Math.abs(name!.y - kind!.y), rightBy: kind!.x - name!.x, underBy: at!.y - name!.y };
    };
    await expect.poll(async () => (await boxes()).rightBy, { message: 'Kind right of Name' }).toBeGreaterThan(100);
    const laid = await boxes();
    expect(laid.besideBy, 'Kind beside Name').toBeLessThan(8);
    expect(laid.underBy, 'City under Name').toBeGreaterThan(20);
    await city.fill('Wenzhou');
    // Closed without saving: the draft stays in this browser and is offered on reopening.
    await ritaPage.waitForTimeout(500);
    await form.getByRole('button', { name: 'Close' }).click();
    await form.waitFor({ state: 'detached' });
    await drawer.getByRole('button', { name: 'Edit' }).click();
    const offer = form.getByRole('status').filter({ hasText: 'You have an unsaved draft of this form' });
    await offer.waitFor();
    await offer.getByText('start from the saved record').waitFor();
    await offer.getByRole('button', { name: 'Restore draft' }).click();
    expect(await form.getByRole('textbox', { name: 'City' }).inputValue()).toBe('Wenzhou');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'detached' });
    await drawer.getByText('Wenzhou').waitFor();
    // Only the city went (one version on): the hidden VIP note and tax number keep their stored values.
    const saved = await record();
    expect(saved).toMatchObject({ city: 'Wenzhou', vip_note: before.vip_note, tax_no: before.tax_no, version: before.version + 1 });
    // Saved: no draft is offered any more.
    await drawer.getByRole('button', { name: 'Edit' }).click();
    await form.getByRole('textbox', { name: 'City' }).waitFor();
    expect(await form.getByText('You have an unsaved draft of this form').count()).toBe(0);
    expect(await form.getByRole('textbox', { name: 'City' }).inputValue()).toBe('Wenzhou');
    await form.getByRole('button', { name: 'Close' }).click();
    await form.waitFor({ state: 'detached' });
  });

  it('after a conflict, "Take their version" loads theirs into the form and drops the draft', async () => {
    await ritaPage.goto(url(person));
    const drawer = ritaPage.getByRole('dialog', { name: `Customer #${person} · Pat Person` });
    await drawer.getByRole('button', { name: 'Edit' }).click();
    const form = ritaPage.getByRole('dialog', { name: `Edit Customer #${person}` });
    await form.getByRole('textbox', { name: 'City' }).fill('Xiamen');
    const current = await (await ritaPage.request.get(`/api/entities/${seeded.companies}/records/${person}`)).json();
    await call(ritaPage, 'PATCH', `/entities/${seeded.companies}/records/${person}`, { version: current.version, city: 'Fuzhou' });
    await form.getByRole('button', { name: 'Save changes' }).click();
    const alert = form.getByRole('alert').filter({ hasText: 'Someone else changed this record while you were editing' });
    await alert.getByRole('button', { name: 'Take their version' }).click();
    await expect.poll(() => form.getByRole('textbox', { name: 'City' }).inputValue()).toBe('Fuzhou');
    expect(await alert.count()).toBe(0);
    // Nothing changed since theirs: Save closes without writing; no draft is offered on reopening.
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'detached' });
    const after = await (await ritaPage.request.get(`/api/entities/${seeded.companies}/records/${person}`)).json();
    expect(after).toMatchObject({ city: 'Fuzhou', version: current.version + 1 });
    await drawer.getByRole('button', { name: 'Edit' }).click();
    await form.getByRole('textbox', { name: 'City' }).waitFor();
    expect(await form.getByText('You have an unsaved draft of this form').count()).toBe(0);
    await form.getByRole('button', { name: 'Close' }).click();
    await form.waitFor({ state: 'detached' });
  });

  it('a viewer sees no New, Edit, Import, inline edit or row selection; the owner-only member is not offered for @mention', async () => {
    const ctx = await contextFor('en-US');
    const page = await ctx.newPage();
    await signIn(page, { email: 'vera@example.com', password: PASSWORD });
    await page.goto(`/apps/${seeded.appId}/entities/${seeded.companies}`);
    const table = page.getByRole('table', { name: 'Customer' });
    await table.getByRole('link', { name: `Open record #${company}` }).waitFor();
    await page.getByRole('button', { name: 'Export' }).waitFor();
    expect(await page.getByRole('button', { name: 'New record' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Import' }).count()).toBe(0);
    expect(await table.getByRole('checkbox').count()).toBe(0);
    expect(await table.getByRole('button', { name: /^Edit / }).count()).toBe(0);
    await page.goto(url(company));
    const drawer = page.getByRole('dialog', { name: `Customer #${company} · Acme Ltd` });
    await drawer.getByText('Ningbo').waitFor();
    expect(await drawer.getByRole('button', { name: 'Edit' }).count()).toBe(0);

    // Vera may read the record and comment; Owen (own records only) cannot see it, so he is not offered.
    await drawer.getByRole('tab', { name: 'Comments' }).click();
    const box = drawer.getByRole('textbox', { name: 'Add a comment' });
    await box.click();
    await box.pressSequentially('Ask @Ri');
    await page.locator('.ant-mentions-dropdown .ant-mentions-dropdown-menu-item').filter({ hasText: 'Rita Rep' }).waitFor();
    await box.pressSequentially(' and @Ow');
    await page.locator('.ant-mentions-dropdown').getByText('Only colleagues who can see this record are offered').waitFor();
    expect(await page.locator('.ant-mentions-dropdown-menu-item').filter({ hasText: 'Owen Own' }).count()).toBe(0);
    await ctx.close();
  });

  it('speaks Chinese on the record page and the edit form; the print page fits A4', async () => {
    const zh = await contextFor('zh-CN');
    const page = await zh.newPage();
    await signIn(page, { email: 'rita@example.com', password: PASSWORD });
    await page.goto(`/apps/${seeded.appId}/entities/${seeded.companies}`);
    // antd's own select-all checkbox is named in Chinese.
    await page.getByRole('checkbox', { name: '全选已显示的记录' }).waitFor();
    await page.goto(url(company));
    const drawer = page.getByRole('dialog', { name: `Customer #${company} · Acme Ltd` });
    await drawer.getByText('税务').waitFor();
    await expectAccessible(page, 'record page zh-CN');
    await screenshots(page, 'record-page-rules', 'zh-CN');
    await drawer.getByRole('button', { name: '编辑' }).click();
    const form = page.getByRole('dialog', { name: `编辑 Customer #${company}` });
    await form.getByRole('button', { name: '保存修改' }).waitFor();
    await expectAccessible(page, 'record edit form zh-CN');
    await screenshots(page, 'record-edit', 'zh-CN');

    // The print page at A4 width (210 mm ≈ 794 CSS px), printed media.
    await page.goto(`${url(company)}/print`);
    await page.getByText('税务').waitFor();
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(ARTIFACTS, 'record-print-a4-zh-CN.png'), fullPage: true });
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBe(0);
    await page.emulateMedia({ media: 'screen' });
    await zh.close();
  });
});
