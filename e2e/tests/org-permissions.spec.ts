import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInApi, type SeedApi } from '../support/api';
import { launchBrowser } from '../support/browser';
import { startServer, type TestServer } from '../support/server';
import { expectAccessible, latinWords, screenshots, signIn } from '../support/ui';

/**
 * Organisation and permissions in the browser (issue 10, item 5): an admin makes a custom
 * permission group "own records" for a role, checks it with "view as member", and a member of
 * that role, signed in in the same test, sees only their own records.
 */
const REP_PASSWORD = 'rep-password-1';

function contextFor(browser: Browser, baseURL: string, locale: 'en-US' | 'zh-CN'): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale, timezoneId: 'UTC', viewport: { width: 1280, height: 800 } });
}

interface Seeded {
  appId: string;
  entityId: string;
  repId: string;
}

async function seed(api: SeedApi): Promise<Seeded> {
  const role = await api.request<{ id: string }>('POST', '/roles', { name: 'Sales reps' });
  const rep = await api.request<{ member: { id: string } }>('POST', '/members', {
    name: 'Rita Rep',
    email: 'rita@example.com',
    password: REP_PASSWORD,
    roleIds: [role.id],
  });
  const other = await api.request<{ member: { id: string } }>('POST', '/members', {
    name: 'Otto Other',
    email: 'otto@example.com',
    password: REP_PASSWORD,
    roleIds: [role.id],
  });
  await api.request('POST', '/departments', { name: 'Sales' });
  await api.request('POST', '/departments', { name: 'East' });
  const app = await api.request<{ id: string }>('POST', '/apps', { key: 'crm', name: 'CRM' });
  const entity = await api.request<{ id: string }>('POST', `/apps/${app.id}/entities`, {
    key: 'deals',
    name: 'Deals',
    fields: [
      { key: 'title', label: 'Title', type: 'text' },
      { key: 'amount', label: 'Amount', type: 'number' },
    ],
  });
  for (const [title, owner] of [
    ['Rita deal', rep.member.id],
    ['Otto deal', other.member.id],
  ] as const) {
    await api.request('POST', `/entities/${entity.id}/records`, { title, amount: 100, ownerId: owner });
  }
  return { appId: app.id, entityId: entity.id, repId: rep.member.id };
}

async function pickOption(page: Page, label: string | RegExp, option: string): Promise<void> {
  await page.getByLabel(label).click();
  // antd's list is virtual: the role=option nodes are hidden stand-ins; click the shown item.
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: option }).first().click();
  await page.keyboard.press('Escape');
}

describe('organisation and permissions', () => {
  let server: TestServer;
  let browser: Browser;
  let api: SeedApi;
  let ids: Seeded;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    api = await signInApi(server);
    ids = await seed(api);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an "own records" group for a role: the admin makes it, previews it, and the member sees only their records', async () => {
    const context = await contextFor(browser, server.baseUrl, 'en-US');
    const page = await context.newPage();
    await signIn(page, server);

    // Members, departments (one moved under the other), roles.
    await page.goto('/admin/org/members');
    await page.getByRole('cell', { name: 'Rita Rep', exact: true }).waitFor();
    await expectAccessible(page, 'members');
    await screenshots(page, 'org-members', 'en');
    await page.getByRole('tab', { name: 'Departments' }).click();
    const tree = page.getByRole('tree', { name: 'Department tree' });
    // Moving a department without a pointer: select it, Edit, choose the parent (the drag in the
    // tree is the last test).
    await tree.getByText('East (0)').click();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const moveDialog = page.getByRole('dialog', { name: 'Edit East' });
    await moveDialog.getByLabel('Parent department').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-title', { hasText: 'Sales' }).click();
    await moveDialog.getByRole('button', { name: 'Save' }).click();
    await moveDialog.waitFor({ state: 'hidden' });
    await expect
      .poll(async () => {
        const list = await api.request<{ items: { name: string; parentId: string | null; id: string }[] }>('GET', '/departments');
        const sales = list.items.find((d) => d.name === 'Sales')!;
        return list.items.find((d) => d.name === 'East')!.parentId === sales.id;
      })
      .toBe(true);
    await expectAccessible(page, 'departments');
    await screenshots(page, 'org-departments', 'en');
    await page.getByRole('tab', { name: 'Roles' }).click();
    await page.getByRole('cell', { name: 'Sales reps', exact: true }).waitFor();

    // The permission group, made with the keyboard where a form allows it.
    await page.goto(`/apps/${ids.appId}/permissions/${ids.entityId}`);
    await page.getByRole('heading', { name: 'Permission groups of Deals' }).waitFor();
    await expectAccessible(page, 'permissions');
    await page.getByRole('button', { name: 'Add custom group' }).click();
    const drawer = page.getByRole('dialog', { name: 'Add custom group' });
    await drawer.getByLabel('Group name').fill('own records');
    await pickOption(page, 'Roles', 'Sales reps');
    await drawer.getByRole('checkbox', { name: 'Edit', exact: true }).check();
    await drawer.getByRole('radio', { name: 'Own records' }).check();
    await drawer.getByRole('checkbox', { name: 'Amount visible' }).uncheck();
    await expectAccessible(page, 'permission group editor');
    await screenshots(page, 'permission-group', 'en');
    await drawer.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'own records', exact: true }).waitFor();

    const groups = await api.request<{ items: { name: string; rowScope: unknown; actions: string[]; fields: unknown }[] }>(
      'GET',
      `/entities/${ids.entityId}/permission-groups`,
    );
    expect(groups.items).toEqual([
      expect.objectContaining({
        name: 'own records',
        rowScope: { kind: 'own' },
        actions: ['view', 'edit'],
        fields: { amount: { visible: false, editable: false } },
      }),
    ]);

    // A condition the server refuses comes back beside the condition.
    await page.getByRole('button', { name: 'Add custom group' }).click();
    const second = page.getByRole('dialog', { name: 'Add custom group' });
    await second.getByLabel('Group name').fill('bad scope');
    await second.getByRole('radio', { name: 'Records matching a condition' }).check();
    await second.getByRole('button', { name: 'Edit as JSON' }).click();
    await second.getByLabel('Condition as json-logic').fill('{"==": [{"var": "nope"}, 1]}');
    await second.getByRole('button', { name: 'Save' }).click();
    await second.getByRole('alert').filter({ hasText: /nope/ }).waitFor();
    await page.keyboard.press('Escape');

    // View as member: asks the server.
    await pickOption(page, 'Member', 'Rita Rep');
    await page.getByText('Sees 1 record:').waitFor();
    await page.getByRole('table', { name: 'Records the member sees' }).getByRole('cell', { name: 'Rita deal', exact: true }).waitFor();
    expect(await page.getByRole('table', { name: 'Records the member sees' }).getByText('Otto deal').count()).toBe(0);
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'hidden' });
    await expectAccessible(page, 'view as member');
    await screenshots(page, 'view-as-member', 'en');

    // The member, signed in now, sees only their own record and no amount.
    const repContext = await contextFor(browser, server.baseUrl, 'en-US');
    const repPage = await repContext.newPage();
    await signIn(repPage, { email: 'rita@example.com', password: REP_PASSWORD });
    await repPage.goto(`/apps/${ids.appId}/entities/${ids.entityId}`);
    await repPage.getByText('Rita deal').waitFor();
    expect(await repPage.getByText('Otto deal').count()).toBe(0);
    expect(await repPage.getByRole('columnheader', { name: 'Amount' }).count()).toBe(0);
    await repContext.close();

    // The audit log has the group's creation, with its changes.
    await page.goto('/admin/audit');
    await page.getByLabel('Action').fill('permission_group.');
    await page.getByLabel('Action').press('Enter');
    await page.getByRole('cell', { name: 'permission_group.create', exact: true }).first().waitFor();
    await expectAccessible(page, 'audit log');
    await screenshots(page, 'audit-log', 'en');
    await context.close();
  });

  it('shows the organisation and permission pages in Chinese without English words', async () => {
    const context = await contextFor(browser, server.baseUrl, 'zh-CN');
    const page = await context.newPage();
    await signIn(page, server);
    const typed = [
      'My workspace',
      'English',
      'Rita Rep',
      'Otto Other',
      'rita@example.com',
      'otto@example.com',
      'admin@example.com',
      'Sales reps',
      'Sales',
      'East',
      'CRM',
      'Deals',
      'Title',
      'Amount',
      'own records',
      'Admin',
    ];
    await page.goto('/admin/org/members');
    await page.getByRole('cell', { name: 'Rita Rep', exact: true }).waitFor();
    expect(await latinWords(page, typed)).toEqual([]);
    await expectAccessible(page, 'members (zh-CN)');
    await screenshots(page, 'org-members', 'zh-CN');
    await page.goto(`/apps/${ids.appId}/permissions/${ids.entityId}`);
    await page.getByRole('cell', { name: 'own records', exact: true }).waitFor();
    expect(await latinWords(page, typed)).toEqual([]);
    await expectAccessible(page, 'permissions (zh-CN)');
    await screenshots(page, 'permissions', 'zh-CN');
    await page.goto('/admin/audit');
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    await screenshots(page, 'audit-log', 'zh-CN');
    await context.close();
  });

  it('moves a department by dragging it onto another in the tree', async () => {
    await api.request('POST', '/departments', { name: 'West' });
    await api.request('POST', '/departments', { name: 'Support' });
    const context = await contextFor(browser, server.baseUrl, 'en-US');
    const page = await context.newPage();
    await signIn(page, server);
    await page.goto('/admin/org/departments');
    const tree = page.getByRole('tree', { name: 'Department tree' });
    const from = tree.getByText('West (0)');
    const to = tree.getByText('Support (0)');
    await from.waitFor();
    // A real pointer drag: Playwright drives Chromium's own HTML5 drag and drop, which antd's Tree
    // listens to. The Tree nests a node when the pointer ends one indent to the right of where it
    // started (left or level means "beside it").
    const h = (await to.boundingBox())!.height;
    await from.dragTo(to, { sourcePosition: { x: 4, y: h / 2 }, targetPosition: { x: 4 + 40, y: h * 0.8 } });
    const parentOf = async (name: string) => {
      const list = await api.request<{ items: { name: string; parentId: string | null; id: string }[] }>('GET', '/departments');
      const parent = list.items.find((d) => d.id === list.items.find((d) => d.name === name)!.parentId);
      return parent?.name ?? null;
    };
    await expect.poll(() => parentOf('West')).toBe('Support');
    await context.close();
  });
});
