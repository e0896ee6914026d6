import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInApi, type SeedApi } from '../support/api';
import { launchBrowser } from '../support/browser';
import { startServer, type TestServer } from '../support/server';
import { expectAccessible, screenshots, signIn } from '../support/ui';

/** Today's `YYYY-MM-DD` in a time zone. */
const todayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
/** A day of this month (in Asia/Shanghai) as `YYYY-MM-DD`. */
const dayOfMonth = (d: number) => `${todayIn('Asia/Shanghai').slice(0, 8)}${String(d).padStart(2, '0')}`;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

interface Seeded {
  appId: string;
  meetings: string;
  ids: Record<string, number>;
}

/** Meetings with a date and a start time; a published form refuses the 28th of this month. */
async function seed(api: SeedApi): Promise<Seeded> {
  const app = await api.request<{ id: string }>('POST', '/apps', { key: 'cal', name: 'Planner' });
  const e = await api.request<{ id: string }>('POST', `/apps/${app.id}/entities`, {
    key: 'meeting',
    name: 'Meeting',
    displayField: 'title',
    fields: [
      { key: 'title', label: 'Title', type: 'text', required: true },
      { key: 'day', label: 'Day', type: 'date' },
      { key: 'starts', label: 'Starts', type: 'datetime' },
    ],
  });
  await api.request('PUT', `/entities/${e.id}/form`, {
    fields: {},
    validations: [
      {
        id: 'no_28th',
        condition: { '!=': [{ var: 'day' }, dayOfMonth(28)] },
        field: 'day',
        message: { en: 'No meetings on the 28th: the office is closed', 'zh-CN': '28 日办公室关闭，不能安排会议' },
      },
    ],
  });
  await api.request('POST', `/entities/${e.id}/form/publish`);
  // 09:30 in Shanghai today is 01:30 UTC.
  const standupAt = new Date(`${todayIn('Asia/Shanghai')}T09:30:00+08:00`).toISOString();
  const rows: [string, Record<string, unknown>][] = [
    ['Kickoff', { day: dayOfMonth(10) }],
    ['Review', { day: dayOfMonth(20) }],
    ['Standup', { starts: standupAt, day: dayOfMonth(3) }],
    ['Old plan', {}],
    ['Stale memo', {}],
  ];
  const ids: Record<string, number> = {};
  for (const [title, values] of rows) ids[title] = (await api.request<{ id: number }>('POST', `/entities/${e.id}/records`, { title, ...values })).id;
  return { appId: app.id, meetings: e.id, ids };
}

/** A hit in the header search's popup (antd draws the visible options apart from its accessible listbox). */
const hit = (page: Page, title: string) =>
  page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: title }).first();

/** Drags an event by its handle onto a drop target with the pointer (dnd-kit's pointer sensor). */
async function drag(page: Page, title: string, target: ReturnType<Page['getByRole']>): Promise<void> {
  const handle = page.getByRole('button', { name: `Reschedule ${title}`, exact: true });
  await target.scrollIntoViewIfNeeded();
  await handle.scrollIntoViewIfNeeded();
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + 20, from.y + 10, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
}

describe('staff: calendar, recycle bin, global search, phone navigation', () => {
  let server: TestServer;
  let seeded: Seeded;
  let api: SeedApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const E = () => `/apps/${seeded.appId}/entities/${seeded.meetings}`;
  const record = (id: number) => api.request<Record<string, unknown>>('GET', `/entities/${seeded.meetings}/records/${id}`);

  beforeAll(async () => {
    server = await startServer();
    api = await signInApi(server);
    seeded = await seed(api);
    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: server.baseUrl, locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    await signIn(page, server);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('in Asia/Shanghai: the month reads only its range; dragging reschedules; a refused move goes back with the message', async () => {
    const bodies: string[] = [];
    page.on('request', (r) => r.url().includes(`/entities/${seeded.meetings}/records/query`) && bodies.push(r.postData() ?? ''));
    // Tall enough for the whole month: a drag starts and ends on screen.
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.goto(E());
    await page.getByText('Calendar', { exact: true }).click();
    const cell = (day: string) => page.getByRole('group', { name: new RegExp(`^${day}, \\d+ records?$`) });
    await cell(dayOfMonth(10)).getByRole('link', { name: 'Kickoff' }).waitFor();
    // The list asked only for the visible grid (a range on the date field), not every record.
    expect(bodies.some((b) => b.includes('">="') && b.includes('"day"') && b.includes('"<"'))).toBe(true);
    expect(await page.getByRole('link', { name: 'Old plan' }).count()).toBe(0);

    await drag(page, 'Kickoff', cell(dayOfMonth(12)));
    await cell(dayOfMonth(12)).getByRole('link', { name: 'Kickoff' }).waitFor();
    await expect.poll(async () => (await record(seeded.ids.Kickoff!)).day).toBe(dayOfMonth(12));

    await drag(page, 'Review', cell(dayOfMonth(28)));
    await page.getByRole('alert').filter({ hasText: 'No meetings on the 28th: the office is closed' }).waitFor();
    await cell(dayOfMonth(20)).getByRole('link', { name: 'Review' }).waitFor();
    expect(await cell(dayOfMonth(28)).getByRole('link', { name: 'Review' }).count()).toBe(0);
    expect((await record(seeded.ids.Review!)).day).toBe(dayOfMonth(20));
    await expectAccessible(page, 'calendar month');
    await screenshots(page, 'staff-calendar', 'en');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('in Asia/Shanghai: the week by a date-time moves an event to another day and hour, keeping its minutes', async () => {
    await page.goto(E());
    await page.getByText('Calendar', { exact: true }).click();
    await page.getByRole('combobox', { name: 'Dates from' }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: 'Starts' }).click();
    await page.getByText('Week', { exact: true }).click();
    const today = todayIn('Asia/Shanghai');
    const slot = (day: string, time: string) => page.getByRole('group', { name: new RegExp(`^${day} ${time}, \\d+ records?$`) });
    await slot(today, '09:00')
      .getByRole('link', { name: /Standup/ })
      .waitFor();
    // The other day of this week: tomorrow, or yesterday on the week's last day (Saturday in English).
    const other = new Date(`${today}T12:00:00Z`).getUTCDay() === 6 ? addDays(today, -1) : addDays(today, 1);
    await drag(page, 'Standup', slot(other, '14:00'));
    await slot(other, '14:00')
      .getByRole('link', { name: /Standup/ })
      .waitFor();
    await expect.poll(async () => (await record(seeded.ids.Standup!)).starts).toBe(new Date(`${other}T14:30:00+08:00`).toISOString());
    await expectAccessible(page, 'calendar week');
    await screenshots(page, 'staff-calendar-week', 'en');

    // Saved as a calendar view, it opens again as this week by the start time.
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('dialog').getByLabel('View name').fill('Week by start');
    await page.getByRole('dialog').getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('View "Week by start" saved').waitFor();
    const views = await api.request<{ items: unknown[] }>('GET', `/entities/${seeded.meetings}/views`);
    expect(views.items[0]).toMatchObject({ name: 'Week by start', kind: 'calendar', config: { calendar: { field: 'starts', mode: 'week' } } });
    await page.goto(E());
    await page.getByRole('combobox', { name: 'Saved views' }).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: 'Week by start' }).click();
    await slot(other, '14:00')
      .getByRole('link', { name: /Standup/ })
      .waitFor();
  });

  it('in America/Los_Angeles a date stays on its day (no shift by the time zone)', async () => {
    const la = await browser.newContext({
      baseURL: server.baseUrl,
      locale: 'en-US',
      timezoneId: 'America/Los_Angeles',
      viewport: { width: 1280, height: 800 },
    });
    const p = await la.newPage();
    await signIn(p, server);
    await p.goto(E());
    await p.getByText('Calendar', { exact: true }).click();
    // Today in Los Angeles can still be last month's last day: step to Shanghai's month when so.
    if (todayIn('America/Los_Angeles').slice(0, 7) !== todayIn('Asia/Shanghai').slice(0, 7)) await p.getByRole('button', { name: 'Next month' }).click();
    const cell = (day: string) => p.getByRole('group', { name: new RegExp(`^${day}, \\d+ records?$`) });
    await cell(dayOfMonth(12)).getByRole('link', { name: 'Kickoff' }).waitFor();
    await cell(dayOfMonth(20)).getByRole('link', { name: 'Review' }).waitFor();
    expect(await cell(dayOfMonth(11)).getByRole('link').count()).toBe(0);
    await la.close();
  });

  it('restores and purges from the recycle bin, one and in bulk', async () => {
    for (const title of ['Old plan', 'Stale memo']) await api.request('DELETE', `/entities/${seeded.meetings}/records/${seeded.ids[title]}`);
    await page.goto(E());
    await page.getByRole('link', { name: 'Recycle bin' }).click();
    await page.getByRole('heading', { name: 'Recycle bin: Meeting' }).waitFor();
    const table = page.getByRole('table');
    await table.getByRole('cell', { name: 'Old plan', exact: true }).waitFor();
    await expectAccessible(page, 'recycle bin');
    await screenshots(page, 'staff-bin', 'en');

    await page.getByRole('button', { name: 'Restore Old plan' }).click();
    await page.getByRole('status').filter({ hasText: '1 record restored' }).waitFor();
    expect((await record(seeded.ids['Old plan']!)).title).toBe('Old plan');

    await page.getByRole('checkbox', { name: 'Select Stale memo' }).check();
    await page.getByRole('button', { name: 'Delete selected for good' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: 'Delete for good' }).click();
    await page.getByText('The recycle bin is empty').waitFor();
    await expect(record(seeded.ids['Stale memo']!)).rejects.toThrow(/404/);
    await expect(api.request('POST', `/entities/${seeded.meetings}/records/${seeded.ids['Stale memo']}/restore`)).rejects.toThrow(/404/);
  });

  it('global search in the header opens a record', async () => {
    await page.goto(`/apps/${seeded.appId}`);
    await page.getByRole('combobox', { name: 'Search records' }).fill('kick');
    await hit(page, 'Kickoff').click();
    await page.getByRole('dialog', { name: `Meeting #${seeded.ids.Kickoff}` }).waitFor();
    await page.goto(`/apps/${seeded.appId}`);
    await page.getByRole('combobox', { name: 'Search records' }).fill('kick');
    await hit(page, 'Kickoff').waitFor();
    // antd's open popup points aria-activedescendant at an option of its hidden listbox that is not drawn: checked closed.
    const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await expect
      .poll(async () => {
        if ((await open.count()) > 0) await page.keyboard.press('Escape');
        await page.waitForTimeout(200);
        return open.count();
      })
      .toBe(0);
    await expectAccessible(page, 'header search');
  });

  it('at 375 px: the bottom navigation, the search page and the header fit', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`/apps/${seeded.appId}`);
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.waitFor();
    for (const name of [/^Home$/, /^Inbox, \d+ open tasks?$/, /^Search$/, /^Me$/]) await nav.getByRole('link', { name }).waitFor();
    // Nothing of the header runs off the screen.
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(375);
    await nav.getByRole('link', { name: 'Search' }).click();
    await page.getByRole('searchbox', { name: 'Search records' }).fill('standup');
    await page.getByRole('searchbox', { name: 'Search records' }).press('Enter');
    await page.getByRole('link', { name: 'Standup' }).click();
    await page.getByRole('dialog', { name: `Meeting #${seeded.ids.Standup}` }).waitFor();
    await page.keyboard.press('Escape');
    await expectAccessible(page, 'phone search');
    await page.goto(`${E()}`);
    await page.getByText('Calendar', { exact: true }).click();
    await page.getByRole('group', { name: new RegExp(`^${dayOfMonth(12)}, \\d+ records?$`) }).waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('reads in Chinese (screenshots of the calendar, the bin and search)', async () => {
    const zh = await browser.newContext({ baseURL: server.baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 800 } });
    const p = await zh.newPage();
    await signIn(p, server);
    await p.goto(E());
    await p.getByText('日历', { exact: true }).click();
    await p.getByRole('group', { name: new RegExp(`^${dayOfMonth(12)}，\\d+ 条记录$`) }).waitFor();
    await expectAccessible(p, 'zh-CN calendar');
    await screenshots(p, 'staff-calendar', 'zh-CN');
    await p.goto(`${E()}/recycle-bin`);
    await p.getByRole('heading', { name: '回收站：Meeting' }).waitFor();
    await screenshots(p, 'staff-bin', 'zh-CN');
    await p.goto(`/apps/${seeded.appId}/search?q=e`);
    await p.getByRole('link', { name: 'Review' }).waitFor();
    await screenshots(p, 'staff-search', 'zh-CN');
    await zh.close();
  });
});
