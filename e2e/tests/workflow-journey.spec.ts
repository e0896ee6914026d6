import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { signInApi } from '../support/api';
import { launchBrowser } from '../support/browser';
import { startServer, type TestServer } from '../support/server';
import { ARTIFACTS, expectAccessible, latinWords, screenshots, signIn } from '../support/ui';

// Issue 11's journey: an admin designs a contract approval (manager, then finance above 100 000),
// a rep submits a contract, the manager returns it, the rep fixes and resubmits, manager and
// finance approve, the rep sees the finished timeline and the bell. Only seeding uses the API.

const PASSWORD = 'Journey-pass-2026';
const PEOPLE = {
  rep: { name: 'Rita Rep', email: 'rita@example.com' },
  manager: { name: 'Mia Manager', email: 'mia@example.com' },
  finance: { name: 'Fred Finance', email: 'fred@example.com' },
} as const;
type Who = keyof typeof PEOPLE;

interface Seeded {
  appId: string;
  entityId: string;
}

async function seed(server: TestServer): Promise<Seeded> {
  const api = await signInApi(server);
  const finance = await api.request<{ id: string }>('POST', '/roles', { name: 'Finance' });
  const ids: Partial<Record<Who, string>> = {};
  for (const who of Object.keys(PEOPLE) as Who[]) {
    const person = PEOPLE[who];
    const made = await api.request<{ member: { id: string } }>('POST', '/members', {
      ...person,
      password: PASSWORD,
      roleIds: who === 'finance' ? [finance.id] : [],
    });
    ids[who] = made.member.id;
  }
  await api.request('POST', '/departments', { name: 'Sales team', headUserId: ids.manager });
  const app = await api.request<{ id: string }>('POST', '/apps', { key: 'sales', name: 'Sales' });
  const entity = await api.request<{ id: string }>('POST', `/apps/${app.id}/entities`, {
    key: 'contract',
    name: 'Contract',
    displayField: 'title',
    fields: [
      { key: 'title', label: 'Title', type: 'text', required: true },
      { key: 'amount', label: 'Amount', type: 'money' },
      { key: 'po_number', label: 'PO number', type: 'text' },
    ],
  });
  // The rep creates and edits their own contracts.
  await api.request('POST', `/entities/${entity.id}/permission-groups`, { preset: 'manage_own', members: [ids.rep] });
  return { appId: String(app.id), entityId: String(entity.id) };
}

const node = (page: Page, name: string | RegExp) => page.getByRole('group', { name });
const noProblems = (page: Page) => page.getByText(/^(No problems: the workflow can be published\.|The server found no problems\.)$/);

/** antd's Select draws its options in a popup: open it by its label and click the shown option. */
async function choose(page: Page, select: ReturnType<Page['getByLabel']>, option: string): Promise<void> {
  await select.click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: option }).first().click();
}

const inboxLink = (page: Page) => page.getByRole('link', { name: /^(Inbox: \d+ to do|待办中心：\d+ 项待处理)$/ });
const bell = (page: Page) => page.getByRole('button', { name: /^(Notifications: \d+ unread|通知：\d+ 条未读)$/ });
const TITLE = 'Contract approval · record #1';

/**
 * Waits for unread notifications. They are written by a job after the decision's transaction (the
 * outbox; with Redis through BullMQ), so they may come a moment after the decision: the page is
 * read again until the bell counts them (the badge itself refreshes every half minute).
 */
async function waitForUnread(page: Page, count: number): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.reload();
        await bell(page).waitFor();
        return bell(page).getAttribute('aria-label');
      },
      { timeout: 30_000, interval: 1000 },
    )
    .toBe(`Notifications: ${count} unread`);
}

describe('workflow journey: contract approval with a return', () => {
  let server: TestServer;
  let browser: Browser;
  let ids: Seeded;
  const pages = new Map<string, Page>();
  /** Every answer of 400 and above the pages saw, for the message of a failed step. */
  const failures: string[] = [];

  /** A signed-in page of one person in one language (kept open for the whole journey). */
  async function as(who: Who | 'admin', lang: 'en' | 'zh-CN' = 'en'): Promise<Page> {
    const key = `${who}:${lang}`;
    const open = pages.get(key);
    if (open) return open;
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      locale: lang === 'en' ? 'en-US' : 'zh-CN',
      timezoneId: 'UTC',
      viewport: { width: 1440, height: 900 },
    });
    const page = await context.newPage();
    page.on('response', (r) => {
      if (r.status() >= 400) failures.push(`${key} ${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()}`);
    });
    await signIn(page, who === 'admin' ? server : { email: PEOPLE[who].email, password: PASSWORD });
    pages.set(key, page);
    return page;
  }

  /** The same screen in Chinese: screenshots at both widths, and no English left but what people typed. */
  async function inChinese(who: Who, path: string, name: string, ready: (page: Page) => Promise<unknown>): Promise<void> {
    const page = await as(who, 'zh-CN');
    await page.goto(path);
    await ready(page);
    await expectAccessible(page, `${name} (zh-CN)`);
    // What people typed or seeded (longest first: each is cut out of the page's text in turn).
    const typed = [
      'Please add the PO number',
      'PO number added',
      'Acme cloud licences',
      'Contract approval',
      'My workspace',
      ...Object.values(PEOPLE).flatMap((p) => [p.email, p.name]),
      'PO-4711',
      'PO number',
      'Sales',
      'Contract',
      'Title',
      'Amount',
      'Manager',
      'Finance',
      'English',
    ];
    expect(await latinWords(page, typed), `English words on ${name} (zh-CN)`).toEqual([]);
    await screenshots(page, name, 'zh-CN');
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    ids = await seed(server);
  });

  // A failed step leaves a picture of every open page (the artifacts folder CI keeps).
  beforeEach(({ task }) => {
    onTestFailed(async () => {
      console.error(`Failed answers so far:\n${failures.join('\n')}`);
      for (const [key, page] of pages) {
        await page.screenshot({ path: join(ARTIFACTS, `failed-journey-${task.name.slice(0, 2)}-${key.replace(':', '-')}.png`) }).catch(() => undefined);
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('1. the admin designs and publishes the contract approval', async () => {
    const page = await as('admin');
    await page.goto(`/apps/${ids.appId}/entities/${ids.entityId}`);
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('button', { name: 'New workflow' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New workflow' });
    await dialog.getByLabel('Name').fill('Contract approval');
    await dialog.getByRole('radio', { name: 'When a record is created' }).check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
    const panel = page.getByRole('complementary', { name: 'Node settings' });

    // The submitter may fix the amount and the PO number when the contract comes back.
    await node(page, 'Start: Start').click();
    await panel.getByRole('radiogroup', { name: 'Permission of Amount' }).getByText('Editable').click();
    await panel.getByRole('radiogroup', { name: 'Permission of PO number' }).getByText('Editable').click();

    // The first approval is the manager's.
    await node(page, 'Approval: Approval').click();
    await panel.getByLabel('Name', { exact: true }).fill('Manager');
    await choose(page, panel.getByLabel('Kind of assignee rule 1'), 'Members');
    await choose(page, panel.getByLabel('Members of rule 1'), PEOPLE.manager.name);
    await page.keyboard.press('Escape');
    await node(page, 'Approval: Manager').waitFor();

    // After the manager: a branch on the amount. Above 100 000 finance approves too; the default path ends.
    await page.getByRole('navigation', { name: 'Node types' }).getByRole('button', { name: 'Condition branch' }).click();
    await node(page, /^Condition branch: Condition branch/).waitFor();
    const firstPath = panel.getByRole('group', { name: /^Path 1 → / });
    await firstPath.getByRole('button', { name: 'Edit as JSON' }).click();
    await firstPath.getByLabel('Condition as json-logic').fill('{">": [{"var": "amount"}, 100000]}');
    await firstPath.getByLabel('Path name').fill('Over 100 000');
    await firstPath.getByLabel('Path name').press('Tab');
    // Laid out again, so the new approval is clear of the overview map in the corner.
    await page.getByRole('button', { name: 'Auto layout' }).click();
    await node(page, 'Approval: Approval').click();
    await panel.getByLabel('Name', { exact: true }).fill('Finance');
    await choose(page, panel.getByLabel('Kind of assignee rule 1'), 'Roles');
    await choose(page, panel.getByLabel('Roles of rule 1'), 'Finance');
    await page.keyboard.press('Escape');
    await node(page, 'Approval: Finance').waitFor();
    await noProblems(page).waitFor();

    await page.getByRole('button', { name: 'Auto layout' }).click();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved').waitFor();
    await noProblems(page).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Version 1 published').waitFor();
    await page.getByText('Published · version 1').waitFor();
  });

  it('2. the rep creates a contract above the threshold: the manager gets a task', async () => {
    const page = await as('rep');
    await page.goto(`/apps/${ids.appId}/entities/${ids.entityId}`);
    await page.getByRole('button', { name: 'New record' }).click();
    // The entity's published form (rjsf with the field types' widgets); a saved record opens.
    const dialog = page.getByRole('dialog', { name: 'New Contract' });
    await dialog.getByLabel('Title').fill('Acme cloud licences');
    await dialog.getByLabel('Amount').fill('120000');
    await expectAccessible(page, 'new record form');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/records\/1$/);

    await page.goto('/inbox?box=started');
    await page.getByRole('region', { name: 'Started by me' }).getByRole('link', { name: TITLE }).waitFor();
    await page.getByText('In progress').first().waitFor();
  });

  it('3. the manager opens the task from the inbox and returns it with a comment', async () => {
    const page = await as('manager');
    await page.goto('/');
    await expect.poll(() => inboxLink(page).getAttribute('aria-label')).toBe('Inbox: 1 to do');
    await inboxLink(page).click();
    await page.getByRole('region', { name: 'To do' }).getByRole('link', { name: TITLE }).waitFor();
    await expectAccessible(page, 'inbox');
    await screenshots(page, 'workflow-inbox', 'en');
    await inChinese('manager', '/inbox', 'workflow-inbox', (p) => p.getByRole('region', { name: '待我处理' }).getByRole('link').first().waitFor());

    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(/\/inbox\/tasks\//);
    const taskPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: 'Manager' }).waitFor();
    await page.getByText('Acme cloud licences').waitFor();
    await page.getByText(`Submitted by ${PEOPLE.rep.name}`, { exact: false }).waitFor();
    await expectAccessible(page, 'task view');
    await screenshots(page, 'workflow-task', 'en');
    await inChinese('manager', taskPath, 'workflow-task', (p) => p.getByRole('button', { name: '同意' }).waitFor());

    await page.getByLabel('Comment').fill('Please add the PO number');
    await page.getByRole('button', { name: 'Return', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Return' });
    await choose(page, dialog.getByLabel('Return to'), 'The submitter');
    await expectAccessible(page, 'return dialog');
    await dialog.getByRole('button', { name: 'Return' }).click();
    await page.getByText('Returned', { exact: true }).first().waitFor();
    await expect.poll(() => inboxLink(page).getAttribute('aria-label')).toBe('Inbox: 0 to do');
  });

  it('4. the rep sees it returned, fixes the contract and resubmits', async () => {
    const page = await as('rep');
    await page.goto('/inbox?box=started');
    // "Your record was returned" and "A new task for you" (to resubmit).
    await waitForUnread(page, 2);
    await bell(page).click();
    await page.getByRole('button', { name: /Your record was returned/ }).click();
    await page.waitForURL(/\/inbox\/instances\//);
    await page.getByText('returned it').waitFor();
    await page.getByText('“Please add the PO number”').waitFor();

    // The record came back as a task to resubmit.
    await page.goto('/inbox');
    await page.getByRole('region', { name: 'To do' }).getByRole('link', { name: TITLE }).click();
    await page.waitForURL(/\/inbox\/tasks\//);
    await page.getByLabel('PO number').fill('PO-4711');
    await page.getByLabel('Amount').fill('150000');
    await page.getByLabel('Comment').fill('PO number added');
    await page.getByRole('button', { name: 'Resubmit' }).click();
    await page.getByText('Resubmitted').waitFor();
  });

  it('5. the manager approves, then finance approves', async () => {
    for (const who of ['manager', 'finance'] as const) {
      const page = await as(who);
      await page.goto('/inbox');
      await page.getByRole('region', { name: 'To do' }).getByRole('link', { name: TITLE }).click();
      await page.waitForURL(/\/inbox\/tasks\//);
      await page.getByText('PO-4711').waitFor();
      await page.getByText('CN¥150,000.00').waitFor();
      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      await page.getByText('Approved', { exact: true }).first().waitFor();
    }
  });

  it('6. the rep sees the finished timeline and the "finished" notification', async () => {
    const page = await as('rep');
    await page.goto('/inbox?box=started');
    await page.getByRole('region', { name: 'Started by me' }).getByRole('link', { name: TITLE }).click();
    await page.waitForURL(/\/inbox\/instances\//);
    const instancePath = new URL(page.url()).pathname;
    await page.getByText('The workflow finished').waitFor();
    // Headed by the record as the rest of the product names it: its entity and number.
    await page.getByRole('heading', { name: /^Contract #\d+$/ }).waitFor();
    const timeline = page.locator('.ant-timeline');
    for (const text of ['returned it', 'PO number added', `${PEOPLE.manager.name} approved`, `${PEOPLE.finance.name} approved`]) {
      await timeline.getByText(text, { exact: false }).first().waitFor();
    }
    await expectAccessible(page, 'instance timeline');
    await screenshots(page, 'workflow-timeline', 'en');
    await inChinese('rep', instancePath, 'workflow-timeline', (p) => p.getByText('流程结束').waitFor());

    await page.goto('/inbox');
    // The resubmit task's (never opened from the bell) and "Your workflow finished".
    await waitForUnread(page, 2);
    await bell(page).click();
    const finished = page.getByRole('button', { name: /Your workflow finished/ });
    await finished.waitFor();
    await expectAccessible(page, 'notifications');
    await screenshots(page, 'workflow-notifications', 'en');
    await finished.click();
    await page.waitForURL(instancePath);
  });
});
