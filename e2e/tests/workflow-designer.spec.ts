import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInApi } from '../support/api';
import { launchBrowser } from '../support/browser';
import { startServer, type TestServer } from '../support/server';
import { expectAccessible, latinWords, screenshots, signIn } from '../support/ui';

async function seed(server: TestServer): Promise<{ appId: string; entityId: string }> {
  const api = await signInApi(server);
  // A department with a head, so "the submitter's department head" can name someone (the server checks it).
  const me = await api.request<{ user: { id: string } }>('GET', '/auth/me');
  await api.request('POST', '/departments', { name: 'Sales team', headUserId: me.user.id });
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
  return { appId: String(app.id), entityId: String(entity.id) };
}

const node = (page: Page, name: string | RegExp) => page.getByRole('group', { name });
/** The problems list says there are none: checked in the browser, or the server's answer after a load or save. */
const noProblems = (page: Page) => page.getByText(/^(No problems: the workflow can be published\.|The server found no problems\.)$/);

/** Opens an antd Select by its label and picks the visible option with this text. */
async function choose(page: Page, select: ReturnType<Page['getByLabel']>, option: string): Promise<void> {
  await select.click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: option }).first().click();
}

describe('workflow designer', () => {
  let server: TestServer;
  let browser: Browser;
  let ids: { appId: string; entityId: string };

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    ids = await seed(server);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('designs a contract approval: branch on the amount, settings per node, problems on the nodes, publish, a read-only version', async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl, locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server);
    // The entity's workflows: none yet; a new one opens in the designer.
    await page.goto(`/apps/${ids.appId}/entities/${ids.entityId}`);
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByText('No workflow yet').waitFor();
    await page.getByRole('button', { name: 'New workflow' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New workflow' });
    await dialog.getByLabel('Name').fill('Contract approval');
    await expectAccessible(page, 'new workflow dialog');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
    const designer = new URL(page.url()).pathname;

    // A new workflow starts as start → approval → end, and is valid.
    await node(page, 'Start: Start').waitFor();
    await node(page, 'Approval: Approval').waitFor();
    await node(page, 'End: End').waitFor();
    await noProblems(page).waitFor();

    // Keyboard path: select the start, press a palette type: a branch goes in after it, with a
    // conditional path (a new approval) and the default path.
    await node(page, 'Start: Start').click();
    await page.getByRole('navigation', { name: 'Node types' }).getByRole('button', { name: 'Condition branch' }).click();
    const branch = node(page, /^Condition branch: Condition branch — 1 problem$/);
    await branch.waitFor();
    await page.getByText('1 problem (checked in the browser)').waitFor();

    // The condition is set in the branch's panel: the problem goes away.
    const panel = page.getByRole('complementary', { name: 'Node settings' });
    const firstPath = panel.getByRole('group', { name: /^Path 1 → / });
    // The shared condition builder; its JSON mode takes the json-logic as text.
    await firstPath.getByRole('button', { name: 'Edit as JSON' }).click();
    await firstPath.getByLabel('Condition as json-logic').fill('{">": [{"var": "amount"}, 10000]}');
    await firstPath.getByLabel('Path name').fill('Over 10 000');
    await firstPath.getByLabel('Path name').press('Tab');
    await noProblems(page).waitFor();
    await page.getByText('Over 10 000').first().waitFor();

    // A condition over a field the entity lacks is named on the branch.
    await firstPath.getByLabel('Condition as json-logic').fill('{">": [{"var": "nope"}, 1]}');
    await firstPath.getByLabel('Path name').click();
    await node(page, /^Condition branch: Condition branch — 1 problem$/).waitFor();
    await firstPath.getByText(/nope/).first().waitFor();
    await firstPath.getByLabel('Condition as json-logic').fill('{">": [{"var": "amount"}, 10000]}');
    await firstPath.getByLabel('Path name').click();
    await noProblems(page).waitFor();

    // The approval on the conditional path becomes "Finance": all must approve, amount editable.
    await page.locator('.react-flow__node[data-id="approval_2"]').click();
    await panel.getByLabel('Name', { exact: true }).fill('Finance');
    await node(page, 'Approval: Finance').waitFor();
    await choose(page, panel.getByLabel('When there are several assignees'), 'All must approve (会签)');
    await panel.getByRole('radiogroup', { name: 'Permission of Amount' }).getByText('Editable').click();
    await choose(page, panel.getByLabel('Kind of assignee rule 1'), 'Member field of the record');
    // The entity has no member field yet: the rule names nothing and validation says so.
    await node(page, /^Approval: Finance — \d+ problems?$/).waitFor();
    await choose(page, panel.getByLabel('Kind of assignee rule 1'), "Submitter's department head");
    await noProblems(page).waitFor();

    // Drag a copy node from the palette onto the canvas: it lands loose and is flagged until connected.
    const pane = page.locator('.react-flow__pane');
    await page.getByRole('button', { name: 'Copy to' }).dragTo(pane, { targetPosition: { x: 80, y: 80 } });
    await node(page, /^Copy to: Copy to — \d problems?$/).waitFor();
    await panel.getByRole('button', { name: 'Remove Copy to' }).click();
    await noProblems(page).waitFor();

    await page.getByRole('button', { name: 'Auto layout' }).click();
    await expectAccessible(page, 'workflow designer');
    await screenshots(page, 'workflow-designer', 'en');

    // Save and publish; the versions list has the published version, which opens read only.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved').waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Version 1 published').waitFor();
    await page.getByText('Published · version 1').waitFor();
    await page.getByText('Contract approval', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Versions' }).click();
    const drawer = page.getByRole('dialog', { name: 'Versions' });
    await drawer.getByText('Published', { exact: true }).waitFor();
    await drawer.getByRole('link', { name: 'View version 1' }).click();
    await page.waitForURL(/\/versions\/1$/);
    await page.getByText('Read only').waitFor();
    await node(page, 'Approval: Finance').waitFor();

    // The version as an instance ran it: the path taken highlighted, where it waits marked.
    await page.goto(`${designer}/versions/1?path=start_1,branch_1,approval_2&active=approval_2`);
    await node(page, 'Approval: Finance').click();
    await page.getByRole('complementary', { name: 'Node settings' }).getByLabel('Name', { exact: true }).waitFor();
    expect(await page.locator('.react-flow__node .wf-node--active').count()).toBe(1);
    expect(await page.locator('.react-flow__node .wf-node--path').count()).toBe(2);
    await expectAccessible(page, 'workflow version view');
    await screenshots(page, 'workflow-version', 'en');
    await context.close();
  });

  it('speaks Chinese throughout', async () => {
    const context = await browser.newContext({ baseURL: server.baseUrl, locale: 'zh-CN', timezoneId: 'UTC', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server);
    const api = await signInApi(server);
    const created = await api.request<{ id: string }>('POST', `/entities/${ids.entityId}/workflows`, {
      name: '合同审批（中文）',
      startOn: 'manual',
      graph: {
        nodes: [
          { id: 'start_1', type: 'start', settings: { fields: {} } },
          {
            id: 'approval_1',
            type: 'approval',
            settings: {
              assignees: [{ kind: 'submitterHead', levels: 1 }],
              mode: 'any',
              fields: {},
              withdraw: 'untilFirstDecision',
              whenNobody: 'admins',
              allowReturn: true,
              allowTransfer: true,
              allowAddApprover: true,
              requireSignature: false,
            },
          },
          { id: 'end_1', type: 'end', settings: { outcome: 'approved' } },
        ],
        edges: [
          { id: 'e_1', from: 'start_1', to: 'approval_1' },
          { id: 'e_2', from: 'approval_1', to: 'end_1' },
        ],
      },
    });
    await page.goto(`/apps/${ids.appId}/entities/${ids.entityId}/workflows/${created.id}`);
    await node(page, '审批: 审批').click();
    await page.getByRole('complementary', { name: '节点设置' }).getByRole('table', { name: '字段权限' }).waitFor();
    await expectAccessible(page, 'workflow designer (zh-CN)');
    expect(
      await latinWords(page, [
        'My workspace',
        'Admin',
        'English',
        'Sales team',
        'Sales',
        'Contract',
        'Title',
        'Amount',
        'PO number',
        'admin@example.com',
        'approval_1',
      ]),
    ).toEqual([]);
    await screenshots(page, 'workflow-designer', 'zh-CN');
    await context.close();
  });
});
