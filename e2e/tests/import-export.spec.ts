import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInApi, type SeedApi } from '../support/api';
import { launchBrowser, newContext } from '../support/browser';
import { startServer, type TestServer } from '../support/server';
import { expectAccessible, screenshots, signIn } from '../support/ui';

const DIRTY_CSV = [
  '客户名称,编码,等级,金额,签约日期',
  '甲公司,C-1,Hot,"1,234.50",2026/03/01',
  '乙公司,C-2,Hott,88,2026/03/02',
  '丙公司,C-3,Warm,12,2026/13/40',
  ',C-4,Warm,5,2026/03/04',
].join('\r\n');

async function xlsx(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客户');
  rows.forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function seed(server: TestServer): Promise<{ api: SeedApi; appId: number; entityId: number }> {
  const api = await signInApi(server);
  const app = await api.request<{ id: number }>('POST', '/apps', { key: 'crm', name: 'CRM' });
  const entity = await api.request<{ id: number }>('POST', `/apps/${app.id}/entities`, {
    key: 'customer',
    name: 'Customer',
    displayField: 'name',
    fields: [
      { key: 'name', label: '客户名称', type: 'text', required: true },
      { key: 'code', label: '编码', type: 'text', unique: true },
      { key: 'level', label: '等级', type: 'select', settings: { options: ['Hot', 'Warm'].map((l) => ({ value: l.toLowerCase(), label: l })) } },
      { key: 'amount', label: '金额', type: 'money', settings: { precision: 2 } },
      { key: 'signed', label: '签约日期', type: 'date' },
    ],
  });
  return { api, appId: app.id, entityId: entity.id };
}

/** Opens the wizard from the records page and uploads a file. */
async function uploadThroughWizard(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  await page.getByRole('button', { name: 'Import' }).click();
  const dialog = page.getByRole('dialog');
  await expect.poll(() => dialog.getByText('Drop a file here').isVisible()).toBe(true);
  await dialog.locator('input[type=file]').setInputFiles({ name, mimeType, buffer });
  await expect
    .poll(() => dialog.getByRole('columnheader', { name: 'Matched by' }).first().isVisible(), {
      timeout: 15_000,
      message: await dialog.innerText().catch(() => ''),
    })
    .toBe(true);
}

async function waitForResult(page: Page, text: RegExp): Promise<void> {
  await expect.poll(async () => (await page.getByRole('dialog').innerText()).match(text) !== null, { timeout: 30_000 }).toBe(true);
}

describe('importing and exporting records', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let seeded: Awaited<ReturnType<typeof seed>>;

  beforeAll(async () => {
    server = await startServer();
    seeded = await seed(server);
    browser = await launchBrowser();
    context = await newContext({ browser, baseURL: server.baseUrl });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('imports a dirty GBK CSV with a value mapped, survives a reload while it runs, and downloads the error file', async () => {
    const page = await context.newPage();
    await signIn(page, server);
    await page.goto(`/apps/${seeded.appId}/entities/${seeded.entityId}`);
    await uploadThroughWizard(page, 'customers.csv', 'text/csv', iconv.encode(DIRTY_CSV, 'gbk'));
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('combobox', { name: 'Field for column 等级' }).isVisible()).toBe(true);
    await expectAccessible(page, 'import: columns');
    await screenshots(page, 'import-columns', 'en');

    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => dialog.getByText('Unmatched values in 等级').isVisible()).toBe(true);
    // The misspelt value is proposed as its closest option; nothing is dropped silently.
    await expect.poll(() => dialog.getByRole('combobox', { name: 'What to do with Hott' }).isVisible()).toBe(true);
    expect(await dialog.innerText()).toContain('Use Hot');
    await expectAccessible(page, 'import: values');
    await screenshots(page, 'import-values', 'en');

    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => dialog.getByText('Year first (2026-03-01)').isVisible()).toBe(true);
    await expectAccessible(page, 'import: preview');
    await screenshots(page, 'import-preview', 'en');
    await page.locator('.ant-modal-footer button', { hasText: 'Import 2 rows' }).click();

    // The session is in the URL: a reload comes back to its progress and outcome.
    await expect.poll(() => new URL(page.url()).searchParams.get('import')?.length ?? 0).toBeGreaterThan(10);
    await page.reload();
    await waitForResult(page, /Imported: 2 created, 0 updated/);
    await expectAccessible(page, 'import: done');
    await screenshots(page, 'import-done', 'en');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download the 2 rows with problems/ }).click()]);
    const text = iconv.decode(await readFile((await download.path())!), 'gbk');
    expect(text.split('\r\n')[0]).toBe('客户名称,编码,等级,金额,签约日期,Errors');
    expect(text).toContain('丙公司,C-3');
    expect(text).not.toContain('甲公司');

    await page.locator('.ant-modal-footer button', { hasText: 'Close' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Customer' }).innerText()).toContain('甲公司');
    await page.close();
  });

  it('imports an .xlsx that updates by code, then exports the view and a filtered view', async () => {
    const page = await context.newPage();
    await page.goto(`/apps/${seeded.appId}/entities/${seeded.entityId}`);
    const bytes = await xlsx([
      ['客户名称', '编码', '等级', '金额'],
      ['甲公司（新）', 'C-1', 'Warm', 99],
      ['丁公司', 'C-9', 'Hot', 7],
    ]);
    await uploadThroughWizard(page, 'customers.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes);
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => dialog.getByText('Every value matched').isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('combobox', { name: 'Update records with the same' }).click();
    await page.locator('.ant-select-item-option', { hasText: '编码' }).click();
    // Choosing upsert scans again on the way in: the counts follow.
    await dialog.getByRole('button', { name: 'Back' }).click();
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => dialog.getByText('Updates').isVisible()).toBe(true);
    await page.locator('.ant-modal-footer button', { hasText: 'Import 2 rows' }).click();
    await waitForResult(page, /Imported: 1 created, 1 updated/);
    await page.locator('.ant-modal-footer button', { hasText: 'Close' }).click();

    await page.getByRole('button', { name: 'Export' }).click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Export as CSV' }).click()]);
    const all = (await readFile((await csv.path())!)).toString('utf8');
    expect(all.charCodeAt(0)).toBe(0xfeff);
    expect(all).toContain('甲公司（新）,C-1,Warm,99.00');
    expect(all).toContain('丁公司,C-9,Hot,7.00');

    // The export of a filtered, sorted view (what the table view hands the export menu).
    const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'level' }, 'hot'] }));
    const res = await page.request.get(`/api/entities/${seeded.entityId}/export?format=xlsx&columns=name,code&sort=-code&filter=${filter}`);
    expect(res.status()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.body()) as never);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String)));
    expect(rows).toEqual([
      ['客户名称', '编码'],
      ['丁公司', 'C-9'],
      ['乙公司', 'C-2'],
    ]);
    await screenshots(page, 'records-import-export', 'en');
    await page.close();
  });

  it('exports what the table shows: its filter, sort and visible columns in their order, now or prepared in the background', async () => {
    const page = await context.newPage();
    await page.goto(`/apps/${seeded.appId}/entities/${seeded.entityId}`);
    const table = page.getByRole('table', { name: 'Customer' });
    await expect.poll(() => table.innerText()).toContain('甲公司（新）');
    // Filter: 等级 is hot.
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByRole('button', { name: 'Add a condition' }).click();
    await page.getByRole('combobox', { name: 'Field of condition 1' }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '等级' }).click();
    await page.getByRole('combobox', { name: 'Operator of condition 1' }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: /^is$/ }).click();
    await page.getByRole('textbox', { name: 'Value of condition 1' }).fill('hot');
    await expect.poll(() => table.innerText()).not.toContain('甲公司（新）');
    await page.keyboard.press('Escape');
    // Columns: 编码 first, 金额 and 签约日期 hidden.
    await page.getByRole('button', { name: 'Columns', exact: true }).click();
    await page.getByRole('button', { name: 'Move 编码 left' }).click();
    await page.getByRole('checkbox', { name: '金额' }).uncheck();
    await page.getByRole('checkbox', { name: '签约日期' }).uncheck();
    await page.keyboard.press('Escape');
    await expect
      .poll(async () =>
        (await table.getByRole('columnheader').allInnerTexts())
          .map((h) => h.trim())
          .filter(Boolean)
          .slice(1, 4),
      )
      .toEqual(['编码', '客户名称', '等级']);
    // Sort by 编码, descending.
    await page.getByRole('combobox', { name: 'Sort by' }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '编码' }).click();
    await page.getByRole('button', { name: /^Ascending/ }).click();
    await expect.poll(async () => (await table.innerText()).indexOf('C-9') < (await table.innerText()).indexOf('C-2')).toBe(true);

    const expected = (text: string) => {
      const lines = text
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .filter(Boolean);
      expect(lines[0]!.split(',').slice(1, 4)).toEqual(['编码', '客户名称', '等级']);
      expect(lines[0]!.split(',')).toHaveLength(5);
      expect(lines.slice(1).map((l) => l.split(',').slice(1, 4))).toEqual([
        ['C-9', '丁公司', 'Hot'],
        ['C-2', '乙公司', 'Hot'],
      ]);
    };
    await page.getByRole('button', { name: 'Export' }).click();
    const [now] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Export as CSV' }).click()]);
    expected((await readFile((await now.path())!)).toString('utf8'));

    // Away from the table header, whose sort tooltip would cover the toolbar.
    await page.mouse.move(0, 0);
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: 'Prepare CSV in the background' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export in the background' });
    await expect.poll(() => dialog.innerText(), { timeout: 30_000 }).toContain('The file is ready: 2 rows');
    await expectAccessible(page, 'export: background job');
    await screenshots(page, 'export-job', 'en');
    const [later] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: /^Download / }).click()]);
    expected((await readFile((await later.path())!)).toString('utf8'));
    await page.close();
  });

  it('maps an unknown member and an unknown record to ones picked with a searchable picker', async () => {
    const api = seeded.api;
    const member = await api.request<{ member: { id: string } }>('POST', '/members', {
      email: 'wang.wu@example.com',
      name: '王五',
      password: 'correct-horse-9',
    });
    const deals = await api.request<{ id: number }>('POST', `/apps/${seeded.appId}/entities`, {
      key: 'deal',
      name: 'Deal',
      displayField: 'title',
      fields: [
        { key: 'title', label: 'Title', type: 'text', required: true },
        { key: 'rep', label: 'Rep', type: 'member' },
        { key: 'customer', label: 'Customer', type: 'relation', settings: { targetEntityId: seeded.entityId } },
      ],
    });
    const page = await context.newPage();
    await page.goto(`/apps/${seeded.appId}/entities/${deals.id}`);
    const csv = ['Title,Rep,Customer', 'Big deal,Wang W.,丁公司', 'Small deal,Wang W.,Ding Co'].join('\r\n');
    await uploadThroughWizard(page, 'deals.csv', 'text/csv', Buffer.from(csv));
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => dialog.getByText('Unmatched values in Rep').isVisible()).toBe(true);
    const option = (name: string | RegExp) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: name });

    await dialog.getByRole('combobox', { name: 'What to do with Wang W.' }).click();
    await option('Use a member…').click();
    await dialog.getByRole('combobox', { name: 'Member for Wang W.' }).fill('wang.wu');
    await option('王五 <wang.wu@example.com>').click();

    await dialog.getByRole('combobox', { name: 'What to do with Ding Co' }).click();
    await option('Use a record…').click();
    // The records are searched on the server by the target's display field.
    await dialog.getByRole('combobox', { name: 'Record for Ding Co' }).fill('丁');
    await expect.poll(() => option(/丁公司/).count()).toBe(1);
    await option(/丁公司/).click();
    await expectAccessible(page, 'import: member and record pickers');
    await screenshots(page, 'import-pickers', 'en');

    await dialog.getByRole('button', { name: 'Next' }).click();
    await page.locator('.ant-modal-footer button', { hasText: 'Import 2 rows' }).click();
    await waitForResult(page, /Imported: 2 created, 0 updated/);
    const list = await api.request<{ items: { title: string; rep: string; customer: number }[] }>('GET', `/entities/${deals.id}/records?sort=title`);
    const customers = await api.request<{ items: { id: number; code: string }[] }>('GET', `/entities/${seeded.entityId}/records?limit=100`);
    const c9 = customers.items.find((c) => c.code === 'C-9')!.id;
    expect(list.items.map((r) => [r.title, r.rep, r.customer])).toEqual([
      ['Big deal', member.member.id, c9],
      ['Small deal', member.member.id, c9],
    ]);
    await page.locator('.ant-modal-footer button', { hasText: 'Close' }).click();

    // The same pickers and the background export in zh-CN.
    await page.getByRole('radiogroup', { name: 'Language' }).getByText('简体中文').click();
    await expect.poll(async () => (await api.request<{ user: { language: string } }>('GET', '/auth/me')).user.language).toBe('zh-CN');
    await page.reload();
    await page.getByRole('button', { name: '导入' }).click();
    const zh = page.getByRole('dialog');
    await expect.poll(() => zh.getByText('将文件拖到此处').isVisible()).toBe(true);
    await zh.locator('input[type=file]').setInputFiles({ name: 'deals.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => zh.getByRole('columnheader', { name: '匹配方式' }).first().isVisible(), { timeout: 15_000 }).toBe(true);
    await zh.getByRole('button', { name: '下一步' }).click();
    await zh.getByRole('combobox', { name: '「Wang W.」的处理方式' }).click();
    await option('对应到成员…').click();
    await zh.getByRole('combobox', { name: 'Wang W. 对应的成员' }).fill('王');
    await option('王五 <wang.wu@example.com>').click();
    await zh.getByRole('combobox', { name: '「Ding Co」的处理方式' }).click();
    await option('对应到记录…').click();
    await zh.getByRole('combobox', { name: 'Ding Co 对应的记录' }).click();
    await expect.poll(() => option(/丁公司/).count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await expectAccessible(page, 'import: pickers (zh-CN)');
    await screenshots(page, 'import-pickers', 'zh-CN');
    await zh.locator('.ant-modal-close').first().click();
    await page.getByRole('button', { name: '导出' }).click();
    await page.getByRole('menuitem', { name: '在后台准备 CSV' }).click();
    const job = page.getByRole('dialog', { name: '后台导出' });
    await expect.poll(() => job.innerText(), { timeout: 30_000 }).toContain('文件已就绪：共 2 行');
    await expectAccessible(page, 'export: background job (zh-CN)');
    await screenshots(page, 'export-job', 'zh-CN');
    await page.close();
  });
});
