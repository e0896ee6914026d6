import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInApi } from '../support/api';
import { launchBrowser } from '../support/browser';
import { startServer, type TestServer } from '../support/server';
import { expectAccessible, latinWords, screenshots, signIn } from '../support/ui';

const SIGN_IN_JS_BUDGET = 300 * 1024;

function contextFor(browser: Browser, baseURL: string, locale: 'en-US' | 'zh-CN'): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale, timezoneId: 'UTC', viewport: { width: 1280, height: 800 } });
}

/** The gzip size of every script the page loaded, fetched again by URL (the server sends them uncompressed). */
async function scriptGzipBytes(page: Page, urls: string[]): Promise<number> {
  let total = 0;
  for (const url of urls) {
    const body = await (await page.request.get(url)).body();
    total += gzipSync(body, { level: 9 }).length;
  }
  return total;
}

const cjk = (text: string) => /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/.test(text);

describe('admin shell', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in; creates, renames and deletes apps; shows problems beside their fields; changes the password', async () => {
    const context = await contextFor(browser, server.baseUrl, 'en-US');
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(response.url());
    });

    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.waitForLoadState('networkidle');
    const signInBytes = await scriptGzipBytes(page, scripts);
    console.log(`sign-in page JavaScript: ${scripts.length} files, ${(signInBytes / 1024).toFixed(1)} KB gzip (budget ${SIGN_IN_JS_BUDGET / 1024} KB)`);
    expect(signInBytes).toBeLessThanOrEqual(SIGN_IN_JS_BUDGET);
    await expectAccessible(page, 'sign-in');
    await screenshots(page, 'sign-in', 'en');

    // Empty fields are refused in the browser, next to each field.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Enter your email or username').waitFor();
    await signIn(page, server);

    // An empty workspace says so and offers the first step.
    await page.getByText('No apps yet').waitFor();
    await expectAccessible(page, 'home (empty)');
    await page.getByRole('button', { name: 'New app' }).first().click();
    let dialog = page.getByRole('dialog', { name: 'New app' });
    await dialog.getByLabel('Name').fill('Sales CRM');
    expect(await dialog.getByLabel('Key').inputValue()).toBe('sales_crm');
    await expectAccessible(page, 'new app dialog');
    await screenshots(page, 'app-create', 'en');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page
      .getByRole('list', { name: 'Apps' })
      .getByRole('link', { name: /Sales CRM/ })
      .waitFor();

    // The server refuses a key in use; the refusal lands under the Key field, and nothing is created.
    await page.getByRole('button', { name: 'New app' }).first().click();
    dialog = page.getByRole('dialog', { name: 'New app' });
    await dialog.getByLabel('Name').fill('Sales again');
    await dialog.getByLabel('Key').fill('sales_crm');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.getByText('An app with this key exists already').waitFor();
    expect(await dialog.getByLabel('Key').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const api = await signInApi(server);
    expect((await api.request<{ items: { name: string }[] }>('GET', '/apps')).items.map((a) => a.name)).toEqual(['Sales CRM']);

    // Rename (and restyle) through the tile's menu.
    await page.getByRole('button', { name: 'Actions for Sales CRM' }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit app' });
    expect(await dialog.getByLabel('Key').isDisabled()).toBe(true);
    await dialog.getByLabel('Name').fill('Sales');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('list', { name: 'Apps' })
      .getByRole('link', { name: /^Sales/ })
      .waitFor();
    await expect.poll(async () => (await api.request<{ items: { name: string }[] }>('GET', '/apps')).items.map((a) => a.name)).toEqual(['Sales']);

    // Delete a second app, after confirming.
    await page.getByRole('button', { name: 'New app' }).first().click();
    dialog = page.getByRole('dialog', { name: 'New app' });
    await dialog.getByLabel('Name').fill('Service desk');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('button', { name: 'Actions for Service desk' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete “Service desk”?' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('“Service desk” moved to the trash').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Actions for Service desk' }).count()).toBe(0);
    expect((await api.request<{ items: { name: string }[] }>('GET', '/apps')).items.map((a) => a.name)).toEqual(['Sales']);
    await expectAccessible(page, 'home');
    await screenshots(page, 'home', 'en');

    // Profile: a wrong current password is an error beside that field, not a sign-out.
    await page.getByRole('button', { name: /^Account menu of / }).click();
    await page.getByRole('menuitem', { name: 'My profile' }).click();
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
    await page.getByLabel('Current password').fill('not-the-password');
    await page.getByLabel('New password').fill('a-new-long-password');
    await page.getByLabel('Repeat the password').fill('a-new-long-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The current password is wrong').waitFor();
    expect(await page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
    expect(new URL(page.url()).pathname).toBe('/profile');
    await page.getByLabel('Current password').fill(server.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();
    await expectAccessible(page, 'profile');
    await screenshots(page, 'profile', 'en');

    // The new password is the one that works now.
    await page.getByRole('button', { name: /^Account menu of / }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await signIn(page, { email: server.email, password: 'a-new-long-password' });
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
    server.password = 'a-new-long-password';
    await context.close();
  });

  it('switches language in the header: zh-CN shows no English, en no Chinese, and the choice survives a reload', async () => {
    const context = await contextFor(browser, server.baseUrl, 'en-US');
    const page = await context.newPage();
    await signIn(page, server);
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
    // Text users typed may be in any language (the workspace, member and app names), and the
    // language switch names each language in itself.
    const typed = ['My workspace', 'Admin', server.email, 'Sales', 'sales_crm', 'English'];

    await page.getByRole('radiogroup', { name: 'Language' }).getByText('简体中文').click();
    await page.getByRole('heading', { name: '应用' }).waitFor();
    expect(await latinWords(page, typed), 'English on the zh-CN home').toEqual([]);
    await screenshots(page, 'home', 'zh-CN');

    await page.reload();
    await page.getByRole('heading', { name: '应用' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe(
      'zh-CN',
    );

    await page.getByRole('button', { name: /的账号菜单$/ }).click();
    await page.getByRole('menuitem', { name: '个人设置' }).click();
    await page.getByRole('heading', { name: '个人设置' }).waitFor();
    await page.getByRole('menuitem', { name: '个人设置' }).waitFor({ state: 'hidden' });
    expect(await latinWords(page, typed), 'English on the zh-CN profile').toEqual([]);
    await expectAccessible(page, 'profile (zh-CN)');
    await screenshots(page, 'profile', 'zh-CN');

    await page.goto('/');
    await page.getByRole('button', { name: '新建应用' }).click();
    await page.getByRole('dialog', { name: '新建应用' }).waitFor();
    expect(await latinWords(page, typed), 'English in the zh-CN new-app dialog').toEqual([]);
    await screenshots(page, 'app-create', 'zh-CN');
    await page.getByRole('button', { name: '取消' }).click();

    await page.getByRole('button', { name: /的账号菜单$/ }).click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    expect(await latinWords(page, ['English']), 'English on the zh-CN sign-in page').toEqual([]);
    await expectAccessible(page, 'sign-in (zh-CN)');
    await screenshots(page, 'sign-in', 'zh-CN');

    // And back: in English no Chinese is left on the page but the switch's own 简体中文.
    await page.getByRole('radiogroup', { name: '语言' }).getByText('English').click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const withoutSwitch = async () => (await page.locator('body').innerText()).split('简体中文').join('');
    expect(cjk(await withoutSwitch()), 'Chinese on the en sign-in page').toBe(false);
    await signIn(page, server);
    // Signed in, the profile's language (zh-CN, saved by the header switch above) wins over the device's.
    await page.getByRole('heading', { name: '应用' }).waitFor();
    await page.getByRole('radiogroup', { name: '语言' }).getByText('English').click();
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
    expect(cjk(await withoutSwitch()), 'Chinese on the en home').toBe(false);
    await context.close();
  });

  it('a zh-CN browser starts in zh-CN; an invited member sets a password through the invite link, and a reset link works once', async () => {
    const api = await signInApi(server);
    const invited = await api.request<{ member: { id: string }; inviteUrl: string }>('POST', '/members', { email: 'li.lei@example.com', name: '李雷' });
    const context = await contextFor(browser, server.baseUrl, 'zh-CN');
    const page = await context.newPage();

    await page.goto(new URL(invited.inviteUrl).pathname);
    await page.getByRole('heading', { name: '接受邀请' }).waitFor();
    expect(await latinWords(page, ['English']), 'English on the zh-CN invite page').toEqual([]);
    await expectAccessible(page, 'invite (zh-CN)');
    await screenshots(page, 'invite', 'zh-CN');
    await page.getByLabel('新密码').fill('li-lei-password');
    await page.getByLabel('再次输入密码').fill('li-lei-passwort');
    await page.getByRole('button', { name: '设置密码' }).click();
    await page.getByText('两次输入的密码不一致').waitFor();
    await page.getByLabel('再次输入密码').fill('li-lei-password');
    await page.getByRole('button', { name: '设置密码' }).click();
    await page.getByText('密码已设置').waitFor();
    await page.getByRole('link', { name: '去登录' }).click();
    await signIn(page, { email: 'li.lei@example.com', password: 'li-lei-password' });
    // A member (not an admin) sees no create button.
    await page.getByRole('heading', { name: '应用' }).waitFor();
    expect(await page.getByRole('button', { name: '新建应用' }).count()).toBe(0);
    await page.getByRole('button', { name: /的账号菜单$/ }).click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();

    // A reset link sets a new password once; the second use is refused with the reason.
    const reset = await api.request<{ resetUrl: string }>('POST', `/members/${invited.member.id}/reset-password`, {});
    await page.goto(new URL(reset.resetUrl).pathname);
    await page.getByRole('heading', { name: '重置密码' }).waitFor();
    await page.getByLabel('新密码').fill('li-lei-second');
    await page.getByLabel('再次输入密码').fill('li-lei-second');
    await page.getByRole('button', { name: '设置密码' }).click();
    await page.getByText('密码已设置').waitFor();
    await page.goto(new URL(reset.resetUrl).pathname);
    await page.getByLabel('新密码').fill('li-lei-third-one');
    await page.getByLabel('再次输入密码').fill('li-lei-third-one');
    await page.getByRole('button', { name: '设置密码' }).click();
    await page.getByRole('alert').filter({ hasText: '此链接已失效' }).waitFor();
    await signIn(page, { email: 'li.lei@example.com', password: 'li-lei-second' });
    await page.getByRole('heading', { name: '应用' }).waitFor();
    await context.close();
  });
});
