import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInApi } from '../support/api';
import { launchBrowser, newContext } from '../support/browser';
import { startServer, type TestServer } from '../support/server';
import { expectAccessible, screenshots } from '../support/ui';

interface SeedCustomer {
  name: string;
  level: 'A' | 'B' | 'C';
  amount: number;
  active: boolean;
}

const customers: SeedCustomer[] = Array.from({ length: 25 }, (_, i) => ({
  name: `Customer ${String(i + 1).padStart(2, '0')}`,
  level: (['A', 'B', 'C'] as const)[i % 3]!,
  amount: 1000 * (i + 1) + 0.5,
  active: i % 2 === 0,
}));

async function seed(server: TestServer): Promise<Map<number, SeedCustomer>> {
  const api = await signInApi(server);
  const app = await api.request<{ id: number }>('POST', '/apps', { key: 'sales', name: 'Sales' });
  const entity = await api.request<{ id: number }>('POST', `/apps/${app.id}/entities`, {
    key: 'customer',
    name: 'Customer',
    displayField: 'name',
    fields: [
      { key: 'name', label: 'Name', type: 'text', required: true },
      {
        key: 'level',
        label: 'Level',
        type: 'select',
        settings: { options: ['A', 'B', 'C'].map((value) => ({ value, label: value })) },
      },
      { key: 'amount', label: 'Amount', type: 'money' },
      { key: 'active', label: 'Active', type: 'switch' },
    ],
  });
  const { ids } = await api.request<{ ids: number[] }>('POST', `/entities/${entity.id}/records/bulk`, { records: customers });
  expect(ids).toHaveLength(customers.length);
  return new Map(ids.map((id, i) => [id, customers[i]!]));
}

/** Body rows only: each record row starts with the link that opens the record. */
function recordRows(page: Page): Locator {
  return page
    .getByRole('table', { name: 'Customer' })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: /^Open record #/ }) });
}

async function rowIds(page: Page): Promise<number[]> {
  const links = await recordRows(page)
    .getByRole('link', { name: /^Open record #/ })
    .allTextContents();
  return links.map((text) => Number(text.replace('#', '')));
}

describe('browsing records', () => {
  let server: TestServer;
  let seeded: Map<number, SeedCustomer>;
  let browser: Browser;
  let context: BrowserContext;

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

  it('signs in, pages through the customers of the Sales app, opens one by its URL and signs out', async () => {
    const page = await context.newPage();
    await page.goto('/');
    // Signed out, every path leads to sign-in.
    await page.waitForURL('**/sign-in');

    // A wrong password shows the API's own message and keeps the form.
    const wrong = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: server.email, password: `${server.password}-wrong` }),
    });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(wrong.status).toBeLessThan(500);
    const problem = (await wrong.json()) as { code?: string };
    expect(problem.code).toBe('INVALID_CREDENTIALS');
    await page.getByLabel('Email').fill(server.email);
    await page.getByLabel('Password').fill(`${server.password}-wrong`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    // The UI says it in the user's language (problems.INVALID_CREDENTIALS), keyed by the stable code.
    expect((await alert.textContent())?.trim()).toBe('Wrong email or password.');

    await page.getByLabel('Password').fill(server.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /^Account menu of / }).waitFor();

    await page.getByRole('list', { name: 'Apps' }).getByRole('link', { name: 'Sales' }).click();
    await page.getByRole('navigation', { name: 'App navigation' }).getByRole('link', { name: 'Customer' }).click();

    const table = page.getByRole('table', { name: 'Customer' });
    await table.waitFor();
    // Keyset pages of 100 load as the table scrolls; only the rows in sight are in the DOM.
    await page.getByText('25 records loaded').waitFor();
    expect(await recordRows(page).count()).toBeGreaterThanOrEqual(12);
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['', 'ID', 'Name', 'Level', 'Amount', 'Active', 'Updated at']);

    // Check one row cell by cell against what was seeded for its id.
    const firstPageIds = await rowIds(page);
    const row = recordRows(page).first();
    const expected = seeded.get(firstPageIds[0]!);
    expect(expected, `row #${firstPageIds[0]} was not seeded`).toBeDefined();
    const [, , name, level, amount, active, updatedAt] = await row.getByRole('cell').allTextContents();
    expect(name).toBe(expected!.name);
    expect(level).toBe(expected!.level);
    expect(amount).toContain(new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(expected!.amount));
    expect(await row.getByRole('cell').nth(5).getByRole('img').getAttribute('aria-label')).toBe(expected!.active ? 'Yes' : 'No');
    expect(active).toBe(expected!.active ? '✓' : '–');
    expect(updatedAt).toMatch(/\d{4}/);
    await expectAccessible(page, 'records');
    await screenshots(page, 'records', 'en');

    // Scrolled to the end, the oldest records are drawn: every seeded record is reachable.
    const seen = new Set(firstPageIds);
    for (let i = 0; i < 5; i++) {
      await table.evaluate((el) => {
        const scroller = (el as unknown as { closest(s: string): { scrollTop: number; scrollHeight: number } }).closest('div[style*="overflow"]');
        scroller.scrollTop = scroller.scrollHeight;
      });
      await page.waitForTimeout(100);
      for (const id of await rowIds(page)) seen.add(id);
    }
    expect(seen).toEqual(new Set(seeded.keys()));

    // A record has its own URL, and the URL survives a reload.
    const firstId = Math.max(...seeded.keys());
    await page.goto(new URL(page.url()).pathname);
    await page.getByRole('link', { name: `Open record #${firstId}` }).click();
    const drawer = page.getByRole('dialog', { name: `Customer #${firstId}` });
    await drawer.waitFor();
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`/apps/[^/]+/entities/[^/]+/records/${firstId}$`));
    await page.reload();
    await drawer.getByText(seeded.get(firstId)!.name, { exact: true }).waitFor(); // the field's value (the title names the record too)
    await expectAccessible(page, 'record drawer');
    await screenshots(page, 'record', 'en');
    await drawer.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/\/entities\/[^/]+$/);

    await page.getByRole('button', { name: /^Account menu of / }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').waitFor();
    // The session is really gone, not just hidden.
    expect(await page.evaluate(() => fetch('/api/auth/me').then((response) => response.status))).toBe(401);
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });
});
