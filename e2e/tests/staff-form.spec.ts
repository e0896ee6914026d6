import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signInApi, type SeedApi } from '../support/api';
import { launchBrowser, newContext } from '../support/browser';
import { drawerShots, popup } from '../support/session';
import { startServer, type TestServer } from '../support/server';
import { expectAccessible, signIn } from '../support/ui';

interface Seeded {
  appId: string;
  deals: string;
}

const isCompany = { '==': [{ var: 'kind' }, 'company'] };

/** A deal entity whose published form has a formula default, a formula field, a hidden section, a required-when field and a submit check. */
async function seed(api: SeedApi): Promise<Seeded> {
  const app = await api.request<{ id: string }>('POST', '/apps', { key: 'sales', name: 'Sales' });
  const products = await api.request<{ id: string }>('POST', `/apps/${app.id}/entities`, {
    key: 'product',
    name: 'Product',
    displayField: 'name',
    fields: [{ key: 'name', label: 'Product name', type: 'text', required: true }],
  });
  for (const name of ['Gadget', 'Widget Pro']) await api.request('POST', `/entities/${products.id}/records`, { name });
  const deals = await api.request<{ id: string }>('POST', `/apps/${app.id}/entities`, {
    key: 'deal',
    name: 'Deal',
    displayField: 'title',
    fields: [
      { key: 'title', label: 'Title', type: 'text', required: true },
      { key: 'code', label: 'Code', type: 'text' },
      { key: 'qty', label: 'Qty', type: 'number' },
      { key: 'price', label: 'Price', type: 'money' },
      { key: 'total', label: 'Total', type: 'formula', settings: { expression: 'qty * price', resultType: 'number', precision: 2 } },
      {
        key: 'kind',
        label: 'Kind',
        type: 'select',
        settings: {
          options: [
            { value: 'person', label: 'Person' },
            { value: 'company', label: 'Company' },
          ],
        },
      },
      { key: 'company', label: 'Company name', type: 'text' },
      { key: 'tax_no', label: 'Tax number', type: 'text' },
      {
        key: 'lines',
        label: 'Lines',
        type: 'subform',
        settings: {
          fields: [
            { key: 'product', label: 'Product', type: 'relation', settings: { targetEntityId: products.id } },
            { key: 'rep', label: 'Rep', type: 'member' },
          ],
        },
      },
    ],
  });
  await api.request('PUT', `/entities/${deals.id}/form`, {
    layout: [
      {
        type: 'section',
        id: 'main',
        title: { en: 'Deal', 'zh-CN': '商机' },
        columns: 2,
        children: ['title', 'code', 'qty', 'price', 'total', 'kind'].map((key) => ({ type: 'field', key })),
      },
      {
        type: 'section',
        id: 'company_box',
        title: { en: 'Company', 'zh-CN': '公司' },
        visibleWhen: isCompany,
        children: [
          { type: 'field', key: 'company' },
          { type: 'field', key: 'tax_no' },
        ],
      },
    ],
    fields: {
      code: { default: { kind: 'formula', formula: 'UPPER(title)' } },
      tax_no: { requiredWhen: isCompany },
    },
    validations: [
      { id: 'max_qty', condition: { '<=': [{ var: 'qty' }, 100] }, field: 'qty', message: { en: 'At most 100 per deal', 'zh-CN': '每单最多 100' } },
    ],
  });
  await api.request('POST', `/entities/${deals.id}/form/publish`);
  return { appId: app.id, deals: deals.id };
}

async function choose(page: Page, form: Locator, name: string, option: string): Promise<void> {
  await form.getByRole('combobox', { name }).click();
  await popup(page).locator('.ant-select-item-option').filter({ hasText: option }).click();
}

describe('the staff form: rules as the member types, drafts, lost connections', () => {
  let server: TestServer;
  let api: SeedApi;
  let seeded: Seeded;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let newUrl = '';

  beforeAll(async () => {
    server = await startServer();
    api = await signInApi(server);
    seeded = await seed(api);
    browser = await launchBrowser();
    context = await newContext({ browser, baseURL: server.baseUrl });
    page = await context.newPage();
    await signIn(page, server);
    newUrl = `/apps/${seeded.appId}/entities/${seeded.deals}/new`;
  });

  // Each journey starts with no draft left by an earlier one.
  beforeEach(async () => {
    await context.setOffline(false);
    await page.goto('/');
    await page.evaluate('localStorage.clear()');
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('applies formulas, visibility and required-when while typing; the server’s check lands on the field', async () => {
    await page.goto(newUrl);
    const form = page.getByRole('dialog', { name: 'New Deal' });
    await form.getByRole('textbox', { name: 'Title' }).fill('acme deal');
    // The formula default follows the title, the formula field the quantity and price.
    await expect.poll(() => form.getByRole('textbox', { name: 'Code' }).inputValue()).toBe('ACME DEAL');
    await form.getByRole('spinbutton', { name: 'Qty' }).fill('500');
    await form.getByRole('spinbutton', { name: 'Price' }).fill('2.5');
    await expect.poll(() => form.getByRole('status', { name: 'Total' }).textContent()).toBe('1250');
    // The company section shows only for a company, and then asks for the tax number.
    expect(await form.getByRole('textbox', { name: 'Tax number' }).count()).toBe(0);
    await choose(page, form, 'Kind', 'Company');
    await form.getByRole('textbox', { name: 'Tax number' }).waitFor();
    await expect.poll(() => form.locator('label.ant-form-item-required').allTextContents()).toEqual(expect.arrayContaining(['Title', 'Tax number']));
    await expectAccessible(page, 'staff form with rules');
    await drawerShots(page, 'staff-form-rules', 'en');
    // Submitting without the tax number: the browser asks for it; the quantity check is the server's.
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('.ant-form-item-explain-error').first().waitFor();
    await form.getByRole('textbox', { name: 'Tax number' }).fill('TX-1');
    await form.getByRole('textbox', { name: 'Company name' }).fill('Acme Ltd');
    await form.getByRole('button', { name: 'Save' }).click();
    const qtyItem = form.locator('.ant-form-item').filter({ has: page.getByRole('spinbutton', { name: 'Qty' }) });
    await qtyItem.getByText('At most 100 per deal').waitFor();
    await form.getByRole('spinbutton', { name: 'Qty' }).fill('5');
    await expect.poll(() => form.getByRole('status', { name: 'Total' }).textContent()).toBe('12.5');
    // Back to a person: the company section goes, and with it the requirement.
    await choose(page, form, 'Kind', 'Person');
    await expect.poll(() => form.getByRole('textbox', { name: 'Tax number' }).count()).toBe(0);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/records\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const saved = await api.request<Record<string, unknown>>('GET', `/entities/${seeded.deals}/records/${id}`);
    expect(saved).toMatchObject({ title: 'acme deal', code: 'ACME DEAL', qty: 5, kind: 'person' });
    expect(Number(saved.total)).toBe(12.5);
  });

  it('picks members and related records inside subform rows with the real pickers', async () => {
    await page.goto(newUrl);
    const form = page.getByRole('dialog', { name: 'New Deal' });
    await form.getByRole('textbox', { name: 'Title' }).fill('with lines');
    await form.getByRole('spinbutton', { name: 'Qty' }).fill('1');
    await form.getByRole('button', { name: 'Add row to Lines' }).click();
    const product = form.getByRole('combobox', { name: 'Product, row 1' });
    await product.click();
    await product.fill('Widget');
    await expect.poll(async () => popup(page).locator('.ant-select-item-option').allTextContents()).toEqual(['Widget Pro']);
    await popup(page).locator('.ant-select-item-option').filter({ hasText: 'Widget Pro' }).click();
    const owner = form.getByRole('combobox', { name: 'Rep, row 1' });
    await owner.click();
    await owner.fill('admin@');
    await popup(page).locator('.ant-select-item-option').filter({ hasText: 'admin@example.com' }).click();
    await expectAccessible(page, 'subform pickers');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/records\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const saved = await api.request<{ lines: { product: number; rep: string }[] }>('GET', `/entities/${seeded.deals}/records/${id}`);
    expect(saved.lines).toHaveLength(1);
    expect(typeof saved.lines[0]!.product).toBe('number');
    expect(saved.lines[0]!.rep).toBeTruthy();
  });

  it('keeps a draft over a reload and offers it back; a discarded draft is gone', async () => {
    await page.goto(newUrl);
    const form = page.getByRole('dialog', { name: 'New Deal' });
    await form.getByRole('textbox', { name: 'Title' }).fill('half typed');
    await form.getByRole('spinbutton', { name: 'Qty' }).fill('7');
    await page.reload();
    await form.getByText('You have an unsaved draft of this form').waitFor();
    await expectAccessible(page, 'draft offer');
    await form.getByRole('button', { name: 'Restore draft' }).click();
    await expect.poll(() => form.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('half typed');
    expect(await form.getByRole('spinbutton', { name: 'Qty' }).inputValue()).toBe('7');
    expect(await form.getByRole('textbox', { name: 'Code' }).inputValue()).toBe('HALF TYPED');
    await page.reload();
    await form.getByRole('button', { name: 'Discard draft' }).click();
    await expect.poll(() => form.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('');
    await page.reload();
    await form.getByRole('textbox', { name: 'Title' }).waitFor();
    expect(await form.getByRole('button', { name: 'Restore draft' }).count()).toBe(0);
  });

  it('keeps the input when the connection is lost while saving, tells the member and retries', async () => {
    await page.goto(newUrl);
    const form = page.getByRole('dialog', { name: 'New Deal' });
    await form.getByRole('textbox', { name: 'Title' }).fill('offline deal');
    await form.getByRole('spinbutton', { name: 'Qty' }).fill('2');
    await context.setOffline(true);
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').filter({ hasText: 'No connection: the record was not saved' }).waitFor();
    expect(await form.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('offline deal');
    await drawerShots(page, 'staff-form-offline', 'en');
    // Still offline: the retry fails the same way and nothing is lost.
    await form.getByRole('button', { name: 'Try again' }).click();
    await form.getByRole('alert').filter({ hasText: 'No connection' }).waitFor();
    await context.setOffline(false);
    // A reload while the record is unsaved still has the input.
    await page.reload();
    await form.getByRole('button', { name: 'Restore draft' }).click();
    await expect.poll(() => form.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('offline deal');
    // The server unreachable (the request aborted), then back: the retry saves it.
    await page.route('**/api/entities/*/records', (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()));
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').filter({ hasText: 'No connection' }).waitFor();
    await page.unroute('**/api/entities/*/records');
    await form.getByRole('button', { name: 'Try again' }).click();
    await page.waitForURL(/\/records\/\d+$/);
    await page.goto(newUrl);
    await form.getByRole('textbox', { name: 'Title' }).waitFor();
    expect(await form.getByRole('button', { name: 'Restore draft' }).count()).toBe(0);
  });

  it('shows the rules and the messages in Chinese', async () => {
    const zh = await browser.newContext({ baseURL: server.baseUrl, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const p = await zh.newPage();
    await signIn(p, server);
    await p.goto(newUrl);
    const form = p.getByRole('dialog', { name: '新增Deal' });
    await form.getByRole('textbox', { name: 'Title' }).fill('acme');
    await form.getByRole('spinbutton', { name: 'Qty' }).fill('3');
    await form.getByRole('spinbutton', { name: 'Price' }).fill('4');
    await choose(p, form, 'Kind', 'Company');
    await form.getByRole('textbox', { name: 'Tax number' }).fill('TX-9');
    await expect.poll(() => form.getByRole('status', { name: 'Total' }).textContent()).toBe('12');
    await zh.setOffline(true);
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByRole('alert').filter({ hasText: '网络连接中断' }).waitFor();
    await expectAccessible(p, 'staff form in zh-CN');
    await drawerShots(p, 'staff-form-rules', 'zh');
    await zh.close();
  });
  it('fills a data-linkage default as the member types, until they type into the field themselves', async () => {
    const prices = await api.request<{ id: string }>('POST', `/apps/${seeded.appId}/entities`, {
      key: 'price_list',
      name: 'Price list',
      displayField: 'sku',
      fields: [
        { key: 'sku', label: 'SKU', type: 'text', indexed: true },
        { key: 'list_price', label: 'List price', type: 'money' },
      ],
    });
    for (const [sku, list_price] of [
      ['SKU-1', 10.5],
      ['SKU-2', 99],
    ] as const)
      await api.request('POST', `/entities/${prices.id}/records`, { sku, list_price });
    const orders = await api.request<{ id: string }>('POST', `/apps/${seeded.appId}/entities`, {
      key: 'purchase',
      name: 'Order',
      displayField: 'title',
      fields: [
        { key: 'title', label: 'Title', type: 'text', required: true },
        { key: 'sku', label: 'SKU', type: 'text' },
        { key: 'unit_price', label: 'Unit price', type: 'money' },
      ],
    });
    await api.request('PUT', `/entities/${orders.id}/form`, {
      fields: {
        unit_price: { default: { kind: 'linkage', entityId: prices.id, condition: { '==': [{ var: 'sku' }, '$form.sku'] }, valueField: 'list_price' } },
      },
    });
    await api.request('POST', `/entities/${orders.id}/form/publish`);
    await page.goto(`/apps/${seeded.appId}/entities/${orders.id}/new`);
    const form = page.getByRole('dialog', { name: 'New Order' });
    const price = form.getByRole('spinbutton', { name: 'Unit price' });
    await form.getByRole('textbox', { name: 'Title' }).fill('First order');
    await form.getByRole('textbox', { name: 'SKU' }).fill('SKU-1');
    await expect.poll(() => price.inputValue()).toBe('10.5');
    await form.getByRole('textbox', { name: 'SKU' }).fill('SKU-2');
    await expect.poll(() => price.inputValue()).toBe('99');
    // Nothing matches: the value filled by the linkage goes.
    await form.getByRole('textbox', { name: 'SKU' }).fill('SKU-404');
    await expect.poll(() => price.inputValue()).toBe('');
    await form.getByRole('textbox', { name: 'SKU' }).fill('SKU-1');
    await expect.poll(() => price.inputValue()).toBe('10.5');
    // Typed into by the member: the linkage leaves it alone from then on.
    await price.fill('7');
    await form.getByRole('textbox', { name: 'SKU' }).fill('SKU-2');
    await page.waitForTimeout(1000);
    expect(await price.inputValue()).toBe('7');
    await expectAccessible(page, 'staff form with a linkage default');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/records\/\d+$/);
    const id = page.url().split('/').pop();
    expect(await api.request('GET', `/entities/${orders.id}/records/${id}`)).toMatchObject({ sku: 'SKU-2', unit_price: 7 });
  });
});
