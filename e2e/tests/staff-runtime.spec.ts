import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInApi, type SeedApi } from '../support/api';
import { launchBrowser, newContext } from '../support/browser';
import { startServer, type TestServer } from '../support/server';
import { expectAccessible, screenshots, signIn } from '../support/ui';

const STAGES = ['lead', 'won', 'lost'];
const ACCOUNTS = ['Initech', 'Acme', 'Globex'];

interface Seeded {
  appId: string;
  opportunities: string;
  accounts: Map<string, number>;
}

/** Accounts and opportunities (title, stage, amount, account); a published form refuses "won" below 1,000. */
async function seed(api: SeedApi): Promise<Seeded> {
  const app = await api.request<{ id: string }>('POST', '/apps', { key: 'crm', name: 'CRM' });
  const account = await api.request<{ id: string }>('POST', `/apps/${app.id}/entities`, {
    key: 'account',
    name: 'Account',
    displayField: 'name',
    fields: [{ key: 'name', label: 'Account name', type: 'text', required: true }],
  });
  const accounts = new Map<string, number>();
  for (const name of ACCOUNTS) accounts.set(name, (await api.request<{ id: number }>('POST', `/entities/${account.id}/records`, { name })).id);
  const opp = await api.request<{ id: string }>('POST', `/apps/${app.id}/entities`, {
    key: 'opportunity',
    name: 'Opportunity',
    displayField: 'title',
    fields: [
      { key: 'title', label: 'Title', type: 'text', required: true },
      {
        key: 'stage',
        label: 'Stage',
        type: 'select',
        settings: { options: STAGES.map((value) => ({ value, label: value[0]!.toUpperCase() + value.slice(1) })) },
      },
      { key: 'amount', label: 'Amount', type: 'money' },
      { key: 'account', label: 'Account', type: 'relation', settings: { targetEntityId: account.id } },
    ],
  });
  await api.request('PUT', `/entities/${opp.id}/form`, {
    fields: {},
    validations: [
      {
        id: 'won_needs_amount',
        condition: { or: [{ '!=': [{ var: 'stage' }, 'won'] }, { '>=': [{ var: 'amount' }, 1000] }] },
        field: 'stage',
        message: { en: 'A deal is won only with an amount of at least 1,000', 'zh-CN': '金额至少 1,000 才能赢单' },
      },
    ],
  });
  await api.request('POST', `/entities/${opp.id}/form/publish`);
  const records = Array.from({ length: 12 }, (_, i) => ({
    title: `Deal ${String(i + 1).padStart(2, '0')}`,
    stage: i === 0 ? 'lead' : STAGES[i % 3],
    amount: i === 0 ? 50 : 1000 * (i + 1),
    account: accounts.get(ACCOUNTS[i % 3]!)!,
  }));
  await api.request('POST', `/entities/${opp.id}/records/bulk`, { records });
  return { appId: app.id, opportunities: opp.id, accounts };
}

/** antd's Select draws its options in a popup list (its accessible listbox holds values, not labels): pick the visible one by its label. */
async function pick(page: Page, select: string, label: string): Promise<void> {
  await page.getByRole('combobox', { name: select }).click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: label }).first().click();
}

const table = (page: Page) => page.getByRole('table', { name: 'Opportunity' });
/** A record's row; its edit buttons are drawn only while it is hovered or holds focus. */
const row = (page: Page, id: number) =>
  table(page)
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: `Open record #${id}`, exact: true }) });
const titles = async (page: Page) =>
  (
    await table(page)
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: /^Open record #/ }) })
      .allTextContents()
  ).map((t) => t.match(/Deal \d\d/)?.[0]);

describe('staff runtime', () => {
  let server: TestServer;
  let seeded: Seeded;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    seeded = await seed(await signInApi(server));
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

  it('filters and sorts the table by a related field and shows relations by their name', async () => {
    await page.goto(`/apps/${seeded.appId}/entities/${seeded.opportunities}`);
    await table(page).waitFor();
    await expect.poll(async () => (await titles(page)).length).toBe(12);
    // Relations show the account's name, never "#1".
    await table(page).getByText('Acme').first().waitFor();

    await pick(page, 'Sort by', 'Account › Account name');
    await expect.poll(async () => (await titles(page))[0]).toBe('Deal 02'); // Acme first
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('button', { name: 'Add a condition' }).click();
    await pick(page, 'Field of condition 1', 'Account › Account name');
    await pick(page, 'Operator of condition 1', 'is');
    await page.getByRole('textbox', { name: 'Value of condition 1' }).fill('Globex');
    await expect.poll(() => titles(page)).toEqual(['Deal 03', 'Deal 06', 'Deal 09', 'Deal 12']);
    await page.getByRole('heading', { name: 'Opportunity' }).click(); // closes the filter popup
    await expectAccessible(page, 'records table');
    await screenshots(page, 'staff-table', 'en');
  });

  it('edits a cell in place; a refused value shows the server message on the cell', async () => {
    await page.goto(`/apps/${seeded.appId}/entities/${seeded.opportunities}`);
    await table(page).waitFor();
    // Deal 02 is won with 2,000: lowering the amount below 1,000 breaks the form's rule.
    // Rows scrolled past draw no edit buttons: not before the pointer is on the row.
    expect(await page.getByRole('button', { name: /^Edit Amount of #2$/ }).count()).toBe(0);
    await row(page, 2).hover();
    await page.getByRole('button', { name: /^Edit Amount of #2$/ }).click();
    const input = page.getByRole('spinbutton', { name: 'Edit Amount of #2' });
    await input.fill('10');
    await input.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'A deal is won only with an amount of at least 1,000' }).waitFor();
    await expectAccessible(page, 'cell error');
    await input.fill('2500');
    await input.press('Enter');
    await expect.poll(() => input.count()).toBe(0);
    await table(page).getByText('CN¥2,500.00').waitFor();

    // By keyboard: focus entering the row draws its edit buttons, next in tab order; Enter opens the editor.
    await page.mouse.move(0, 0);
    await page.getByRole('link', { name: 'Open record #1', exact: true }).focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Edit Title of #1');
    await page.keyboard.press('Enter');
    const title = page.getByRole('textbox', { name: 'Edit Title of #1' });
    await title.fill('Deal 01 renamed');
    await title.press('Enter');
    await table(page).getByText('Deal 01 renamed').waitFor();

    // Each row's own checkbox selects it for the bulk actions (and unselects it).
    const bulk = page.getByRole('region', { name: 'Actions on the selected records' });
    await page.getByRole('checkbox', { name: 'Select record #1', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Select record #4', exact: true }).check();
    await bulk.getByText('2 selected').waitFor();
    await page.getByRole('checkbox', { name: 'Select record #4', exact: true }).uncheck();
    await bulk.getByText('1 selected').waitFor();
    await page.getByRole('checkbox', { name: 'Select record #1', exact: true }).uncheck();
    await expect.poll(() => bulk.count()).toBe(0);

    // Shift-click ticks every record between the last one ticked and this one (in the table's order).
    const order = (await page.getByRole('checkbox', { name: /^Select record #\d+$/ }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).map(
      (label) => Number(label!.split('#')[1]),
    );
    const span = Math.abs(order.indexOf(4) - order.indexOf(1)) + 1;
    await page.getByRole('checkbox', { name: 'Select record #4', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Select record #1', exact: true }).click({ modifiers: ['Shift'] });
    await bulk.getByText(`${span} selected`).waitFor();
    expect(span).toBeGreaterThan(2);
    await page.getByRole('checkbox', { name: 'Select record #4', exact: true }).click({ modifiers: ['Shift'] });
    await expect.poll(() => bulk.count()).toBe(0);
  });

  it('moves a kanban card; a refused move goes back with the server message', async () => {
    await page.goto(`/apps/${seeded.appId}/entities/${seeded.opportunities}`);
    await page.getByText('Kanban', { exact: true }).click();
    const column = (name: string) => page.getByRole('listitem', { name: new RegExp(`^${name}, \\d+ records$`) });
    await column('Lead').waitFor();
    expect(await column('Lead').getAttribute('aria-label')).toBe('Lead, 4 records');
    expect(await column('Won').getAttribute('aria-label')).toBe('Won, 4 records');

    /** Drags a card by its handle onto a column with the keyboard (dnd-kit's keyboard sensor). */
    const drag = async (title: string, to: string) => {
      const handle = page.getByRole('button', { name: `Move card ${title}` });
      const from = await handle.boundingBox();
      const target = await column(to).boundingBox();
      await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
      await page.mouse.down();
      await page.mouse.move(from!.x + 20, from!.y + 10, { steps: 4 });
      await page.mouse.move(target!.x + target!.width / 2, target!.y + 120, { steps: 12 });
      await page.mouse.up();
    };

    // Deal 04 (4,000) to Won: allowed.
    await drag('Deal 04', 'Won');
    await expect.poll(() => column('Won').getAttribute('aria-label')).toBe('Won, 5 records');
    await column('Won').getByRole('link', { name: 'Deal 04' }).waitFor();

    // Deal 01 renamed (50) to Won: refused by the form's rule; the card goes back with the message.
    await drag('Deal 01 renamed', 'Won');
    const refused = page.getByRole('alert').filter({ hasText: 'A deal is won only with an amount of at least 1,000' });
    await refused.waitFor();
    await column('Lead').getByRole('link', { name: 'Deal 01 renamed' }).waitFor();
    await expect.poll(() => column('Won').getAttribute('aria-label')).toBe('Won, 5 records');
    expect(await column('Won').getByRole('link', { name: 'Deal 01 renamed' }).count()).toBe(0);
    await expectAccessible(page, 'kanban');
    await screenshots(page, 'staff-kanban', 'en');
  });

  it('at 375 px the table becomes cards that open the record', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`/apps/${seeded.appId}/entities/${seeded.opportunities}`);
    const cards = page.getByRole('list', { name: 'Opportunity' });
    await cards.waitFor();
    await expect.poll(() => cards.getByRole('listitem').count()).toBeGreaterThan(3);
    await cards.getByText('Globex').first().waitFor();
    await expectAccessible(page, 'record cards');
    await cards.getByRole('link', { name: 'Deal 12' }).click();
    await page.getByRole('dialog', { name: 'Opportunity #12' }).waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('reads in Chinese (screenshots of the table and the kanban)', async () => {
    const zh = await browser.newContext({ baseURL: server.baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 800 } });
    const p = await zh.newPage();
    await signIn(p, server);
    await p.goto(`/apps/${seeded.appId}/entities/${seeded.opportunities}`);
    await p.getByRole('table', { name: 'Opportunity' }).waitFor();
    await p.getByRole('button', { name: '筛选' }).waitFor();
    await expectAccessible(p, 'zh-CN table');
    await screenshots(p, 'staff-table', 'zh-CN');
    await p.getByText('看板', { exact: true }).click();
    await p.getByRole('listitem', { name: /^Lead，\d+ 条$/ }).waitFor();
    await screenshots(p, 'staff-kanban', 'zh-CN');
    await zh.close();
  });
});
