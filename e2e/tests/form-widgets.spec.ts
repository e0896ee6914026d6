import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInApi, type SeedApi } from '../support/api';
import { launchBrowser, newContext } from '../support/browser';
import { drawerShots, popup, selectText } from '../support/session';
import { startServer, type TestServer } from '../support/server';
import { expectAccessible, screenshots, signIn } from '../support/ui';

// A real 1×1 PNG: the server checks picture types by content and makes a thumbnail.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

interface Seeded {
  appId: string;
  orders: string;
  productId: number;
  memberId: string;
  departmentId: string;
}

/** Products, a second member, a department tree and an order entity with every widget of this journey. */
async function seed(api: SeedApi): Promise<Seeded> {
  const app = await api.request<{ id: string }>('POST', '/apps', { key: 'shop', name: 'Shop' });
  const products = await api.request<{ id: string }>('POST', `/apps/${app.id}/entities`, {
    key: 'product',
    name: 'Product',
    displayField: 'name',
    fields: [{ key: 'name', label: 'Product name', type: 'text', required: true }],
  });
  let productId = 0;
  for (const name of ['Gadget', 'Widget Pro', 'Widget Mini', 'Sprocket']) {
    const rec = await api.request<{ id: number }>('POST', `/entities/${products.id}/records`, { name });
    if (name === 'Widget Pro') productId = rec.id;
  }
  const hq = await api.request<{ id: string }>('POST', '/departments', { name: 'Head office' });
  const east = await api.request<{ id: string }>('POST', '/departments', { name: 'East sales', parentId: hq.id });
  const invited = await api.request<{ member: { id: string } }>('POST', '/members', {
    email: 'ana@example.com',
    name: 'Ana Lee',
    password: 'ana-password-1',
    departmentIds: [east.id],
  });
  const orders = await api.request<{ id: string }>('POST', `/apps/${app.id}/entities`, {
    key: 'sales_order',
    name: 'Order',
    displayField: 'title',
    fields: [
      { key: 'title', label: 'Title', type: 'text', required: true },
      { key: 'rep', label: 'Owner', type: 'member' },
      { key: 'team', label: 'Team', type: 'department' },
      { key: 'product', label: 'Product', type: 'relation', settings: { targetEntityId: products.id } },
      { key: 'contract', label: 'Contract', type: 'attachment', settings: { maxFiles: 3 } },
      { key: 'photos', label: 'Photos', type: 'image', settings: { maxFiles: 4 } },
      { key: 'sign', label: 'Customer signature', type: 'signature' },
      {
        key: 'lines',
        label: 'Lines',
        type: 'subform',
        settings: {
          fields: [
            { key: 'item', label: 'Item', type: 'text' },
            { key: 'qty', label: 'Qty', type: 'number' },
            { key: 'price', label: 'Price', type: 'money' },
            { key: 'amount', label: 'Amount', type: 'formula', settings: { expression: 'qty * price', resultType: 'number', precision: 2 } },
          ],
        },
      },
    ],
  });
  await api.request('PUT', `/entities/${orders.id}/form`, { fields: {} });
  await api.request('POST', `/entities/${orders.id}/form/publish`);
  return { appId: app.id, orders: orders.id, productId, memberId: invited.member.id, departmentId: east.id };
}

async function upload(page: Page, button: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: button }).click();
  await (await chooser).setFiles(file);
}

describe('form widgets in a staff form', () => {
  let server: TestServer;
  let api: SeedApi;
  let seeded: Seeded;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // A small upload limit, so that a refused upload can be shown without a huge file.
    process.env.UPLOAD_LIMIT_MB = '1';
    server = await startServer();
    api = await signInApi(server);
    seeded = await seed(api);
    browser = await launchBrowser();
    context = await newContext({ browser, baseURL: server.baseUrl });
    page = await context.newPage();
    await signIn(page, server);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  // First, while the list behind the drawer is empty.
  it('shows a file the server refuses on the field, and the form in Chinese', async () => {
    const zh = await browser.newContext({ baseURL: server.baseUrl, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const p = await zh.newPage();
    await signIn(p, server);
    await p.goto(`/apps/${seeded.appId}/entities/${seeded.orders}/new`);
    const form = p.getByRole('dialog', { name: '新增Order' });
    await form.getByRole('combobox', { name: 'Owner' }).waitFor();
    // Past the server's upload limit (1 MB here): its 413 shows on the field.
    const chooser = p.waitForEvent('filechooser');
    await p.getByRole('button', { name: '为Contract上传文件' }).click();
    await (await chooser).setFiles({ name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(1_500_000, 'b') });
    // In the member's language, with what to do — not the server's English detail.
    await form.getByRole('alert').filter({ hasText: 'big.txt 上传失败：文件超过了服务器允许的大小，请选择更小的文件' }).waitFor();
    await form.getByRole('button', { name: '为Lines添加一行' }).click();
    await expectAccessible(p, 'staff form in zh-CN');
    await drawerShots(p, 'form-widgets', 'zh');
    await zh.close();
  });

  it('fills member, department, relation, files, signature and a subform with a total, and saves them', async () => {
    await page.goto(`/apps/${seeded.appId}/entities/${seeded.orders}`);
    await page.getByRole('button', { name: 'New record' }).click();
    const form = page.getByRole('dialog', { name: 'New Order' });
    await form.getByRole('textbox', { name: 'Title' }).fill('First order');

    // Member: searched by email, shown by name.
    await form.getByRole('combobox', { name: 'Owner' }).click();
    await form.getByRole('combobox', { name: 'Owner' }).fill('ana@');
    await popup(page).locator('.ant-select-item-option').filter({ hasText: 'Ana Lee' }).click();
    await expect.poll(() => selectText(form, 'Owner')).toContain('Ana Lee');

    // Department: picked in the tree.
    await form.getByRole('combobox', { name: 'Team' }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-title').filter({ hasText: 'East sales' }).click();

    // Relation: the server searches the products by name.
    await form.getByRole('combobox', { name: 'Product' }).click();
    await form.getByRole('combobox', { name: 'Product' }).fill('Widget');
    await expect.poll(async () => (await popup(page).locator('.ant-select-item-option').allTextContents()).sort()).toEqual(['Widget Mini', 'Widget Pro']);
    await popup(page).locator('.ant-select-item-option').filter({ hasText: 'Widget Pro' }).click();
    await expect.poll(() => selectText(form, 'Product')).toContain('Widget Pro');
    await expect.poll(() => selectText(form, 'Team')).toContain('East sales');

    // Files, with a progress bar while they go up: the server's answer is held back a moment so it shows.
    let release: () => void = () => undefined;
    const held = new Promise<void>((done) => (release = done));
    await page.route('**/api/files', async (route) => {
      await held;
      await route.continue();
    });
    await upload(page, 'Upload a file to Contract', { name: 'contract.txt', mimeType: 'text/plain', buffer: Buffer.alloc(400_000, 'a') });
    await form.locator('.ant-upload-list-item-uploading .ant-progress').waitFor();
    await screenshots(page, 'form-widgets-uploading', 'en');
    release();
    await form.locator('.ant-upload-list-item-done').filter({ hasText: 'contract.txt' }).waitFor();
    await page.unroute('**/api/files');
    await form.getByText('Up to 3 files · any type').waitFor();
    await upload(page, 'Upload a picture to Photos', { name: 'shelf.png', mimeType: 'image/png', buffer: PNG });
    await form
      .locator('.ant-upload-list-item-done')
      .filter({ hasText: 'shelf.png' })
      .or(form.getByRole('img', { name: 'shelf.png' }))
      .first()
      .waitFor();

    // Signature: drawn with the mouse, then saved.
    const pad = form.getByRole('img', { name: 'Signature pad of Customer signature' });
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 30);
    await page.mouse.down();
    await page.mouse.move(box.x + 120, box.y + 80, { steps: 8 });
    await page.mouse.move(box.x + 220, box.y + 40, { steps: 8 });
    await page.mouse.up();
    await form.getByRole('button', { name: 'Use this signature' }).click();
    await form.getByRole('img', { name: 'Signature of Customer signature' }).waitFor();

    // Subform: two rows, the row formula and the total follow the typing.
    await form.getByRole('button', { name: 'Add row to Lines' }).click();
    await form.getByRole('button', { name: 'Add row to Lines' }).click();
    await form.getByRole('textbox', { name: 'Item, row 1' }).fill('Bolts');
    await form.getByRole('spinbutton', { name: 'Qty, row 1' }).fill('3');
    await form.getByRole('spinbutton', { name: 'Price, row 1' }).fill('2.5');
    await form.getByRole('textbox', { name: 'Item, row 2' }).fill('Nuts');
    await form.getByRole('spinbutton', { name: 'Qty, row 2' }).fill('4');
    await form.getByRole('spinbutton', { name: 'Price, row 2' }).fill('1.25');
    await expect.poll(() => form.getByLabel('Total of Amount').textContent()).toBe('12.5');
    await expect.poll(() => form.getByLabel('Total of Qty').textContent()).toBe('7');

    await expectAccessible(page, 'staff form with widgets');
    await drawerShots(page, 'form-widgets', 'en');

    await form.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/records\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const record = page.getByRole('dialog', { name: `Order #${id}` });
    await record.getByText('Ana Lee').waitFor();
    await record.getByText('East sales').waitFor();
    await record.getByText('contract.txt').waitFor();
    // The record page shows the subform as its rows.
    await record.getByRole('cell', { name: 'Bolts' }).waitFor();
    await record.getByRole('cell', { name: 'Nuts' }).waitFor();

    const saved = await api.request<Record<string, unknown>>('GET', `/entities/${seeded.orders}/records/${id}`);
    expect(saved.rep).toBe(seeded.memberId);
    expect(saved.team).toBe(seeded.departmentId);
    expect(saved.product).toBe(seeded.productId);
    expect((saved.contract as { name: string }[]).map((f) => f.name)).toEqual(['contract.txt']);
    expect((saved.photos as { mime: string }[]).map((f) => f.mime)).toEqual(['image/png']);
    expect((saved.sign as { mime: string }[]).map((f) => f.mime)).toEqual(['image/png']);
    expect((saved.lines as { item: string; amount: number }[]).map((r) => [r.item, Number(r.amount)])).toEqual([
      ['Bolts', 7.5],
      ['Nuts', 5],
    ]);
  });
});
