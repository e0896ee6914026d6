import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInApi } from '../support/api';
import { launchBrowser } from '../support/browser';
import { startServer, type TestServer } from '../support/server';
import { expectAccessible, screenshots, signIn } from '../support/ui';

/**
 * The rule editors (issue 10, item 4) on the app's formula and condition tester: the formula
 * editor completes Chinese labels, underlines an error and previews a result; the condition
 * builder writes json-logic the server accepts and reads it back.
 */
/** An antd Select option as shown (its list is virtual: the role=option nodes are hidden stand-ins). */
const option = (page: Page, text: string) =>
  page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: new RegExp(`^${text}$`) });

function contextFor(browser: Browser, baseURL: string, locale: 'en-US' | 'zh-CN'): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale, timezoneId: 'UTC', viewport: { width: 1280, height: 800 } });
}

describe('rule editors', () => {
  let server: TestServer;
  let browser: Browser;
  let appId: string;
  let entityId: string;
  const seedApi = () => signInApi(server);

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const api = await seedApi();
    const app = await api.request<{ id: string }>('POST', '/apps', { key: 'sales', name: 'Sales' });
    const entity = await api.request<{ id: string }>('POST', `/apps/${app.id}/entities`, {
      key: 'orders',
      name: 'Orders',
      fields: [
        { key: 'price', label: '单价', type: 'number' },
        { key: 'qty', label: '数量', type: 'number' },
        { key: 'customer', label: '客户名称', type: 'text' },
        {
          key: 'stage',
          label: 'Stage',
          type: 'select',
          settings: {
            options: [
              { value: 'won', label: 'Won' },
              { value: 'lost', label: 'Lost' },
            ],
          },
        },
      ],
    });
    appId = app.id;
    entityId = entity.id;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('formula editor: completes a Chinese label, underlines an error, previews the result; keyboard only', async () => {
    const context = await contextFor(browser, server.baseUrl, 'en-US');
    const page = await context.newPage();
    await signIn(page, server);
    await page.goto(`/apps/${appId}/rules/${entityId}`);
    const editor = page.getByRole('textbox', { name: 'Formula' });
    await editor.click();

    // Completion of a field by its Chinese label: "{单" offers {单价}; Enter takes it.
    await page.keyboard.type('{单');
    await page.getByRole('option', { name: /\{单价\}/ }).waitFor();
    // CodeMirror ignores Enter for a moment after the list opens (its interactionDelay), so a fast Enter is not taken for the choice.
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
    await page.keyboard.type(' * ');
    // A function with its signature and help.
    await page.keyboard.type('ROU');
    await page.getByRole('option', { name: /ROUND/ }).first().waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');

    // An unfinished formula: the error is shown and its place underlined.
    await page.locator('.cm-lintRange-error').first().waitFor();
    expect(await page.getByTestId('formula-message').textContent()).not.toBe('');
    await expectAccessible(page, 'formula editor with an error');
    await screenshots(page, 'formula-error', 'en');

    await page.keyboard.type('{数量}');
    await page.getByText('The formula is valid; it gives a number.').waitFor();
    expect(await page.locator('.cm-lintRange-error').count()).toBe(0);
    await page.getByLabel('Sample value of 单价').fill('12.5');
    await page.getByLabel('Sample value of 数量').fill('4');
    expect(await page.getByTestId('formula-result').textContent()).toBe('50');
    await expectAccessible(page, 'formula editor with a preview');
    await screenshots(page, 'formula-preview', 'en');

    // A type error: text times a number, underlined where it is.
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('{客户名称} * 2');
    await page.locator('.cm-lintRange-error').first().waitFor();
    expect(await page.getByTestId('formula-message').textContent()).toMatch(/text/i);
    await context.close();
  });

  it('condition builder: builds a condition the server accepts and reads it back', async () => {
    const context = await contextFor(browser, server.baseUrl, 'en-US');
    const page = await context.newPage();
    await signIn(page, server);
    await page.goto(`/apps/${appId}/rules/${entityId}`);
    const builder = page.getByRole('group', { name: 'Condition', exact: true });
    await builder.getByRole('button', { name: 'Add condition' }).first().click();
    await builder.getByLabel('Field of condition 1').click();
    await option(page, '单价').click();
    await builder.getByLabel('Operator of condition 1').click();
    await option(page, 'at least').click();
    await builder.getByLabel('Value of condition 1').fill('100');
    await builder.getByRole('button', { name: 'Add condition' }).first().click();
    await builder.getByLabel('Field of condition 2').click();
    await option(page, 'Stage').click();
    await builder.getByLabel('Value of condition 2').click();
    await option(page, 'Won').click();
    await builder.getByText('any of', { exact: true }).click();

    const json = JSON.parse((await page.getByTestId('condition-json').textContent())!);
    expect(json).toEqual({ or: [{ '>=': [{ var: 'price' }, 100] }, { '==': [{ var: 'stage' }, 'won'] }] });
    // No option list still open (or fading out) while axe measures.
    await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count(), { timeout: 10_000 }).toBe(0);
    await expectAccessible(page, 'condition builder');
    await screenshots(page, 'condition-builder', 'en');

    // The server compiles exactly this json-logic: as a record filter it selects what it means.
    const api = await seedApi();
    await api.request('POST', `/entities/${entityId}/records`, { price: 150, qty: 1, customer: 'A', stage: 'lost' });
    await api.request('POST', `/entities/${entityId}/records`, { price: 10, qty: 1, customer: 'B', stage: 'won' });
    await api.request('POST', `/entities/${entityId}/records`, { price: 10, qty: 1, customer: 'C', stage: 'lost' });
    const found = await api.request<{ items: { customer: string }[] }>('POST', `/entities/${entityId}/records/query`, { filter: json, sort: 'customer' });
    expect(found.items.map((r) => r.customer)).toEqual(['A', 'B']);

    // Round trip: the JSON view shows it; edited there, the visual builder reads it back.
    await builder.getByRole('button', { name: 'Edit as JSON' }).click();
    const box = builder.getByLabel('Condition as json-logic');
    expect(JSON.parse(await box.inputValue())).toEqual(json);
    await box.fill(JSON.stringify({ and: [{ '<=': [1, { var: 'qty' }, 5] }, { contains: [{ var: 'customer' }, 'Acme'] }] }));
    await builder.getByRole('button', { name: 'Edit visually' }).click();
    expect(await builder.getByRole('group', { name: 'Condition 1', exact: true }).textContent()).toContain('between');
    expect(await builder.getByLabel('Value of condition 2').inputValue()).toBe('Acme');
    await builder.getByLabel('Value of condition 2').fill('Beta');
    expect(JSON.parse((await page.getByTestId('condition-json').textContent())!)).toEqual({
      and: [{ '<=': [1, { var: 'qty' }, 5] }, { contains: [{ var: 'customer' }, 'Beta'] }],
    });
    await context.close();
  });

  it('is in Chinese too', async () => {
    const context = await contextFor(browser, server.baseUrl, 'zh-CN');
    const page = await context.newPage();
    await signIn(page, server);
    await page.goto(`/apps/${appId}/rules/${entityId}`);
    await page.getByRole('textbox', { name: '公式' }).click();
    await page.keyboard.type('{单价} +');
    await page
      .getByTestId('formula-message')
      .getByText(/公式写法有误/)
      .waitFor();
    await page.keyboard.type(' 1');
    await page.getByText('公式正确，结果为数字。').waitFor();
    await expectAccessible(page, 'tester (zh-CN)');
    await screenshots(page, 'rules-tester', 'zh-CN');
    await context.close();
  });
});
