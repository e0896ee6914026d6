import { writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeedApi, signInApi } from '../support/api';
import { launchBrowser } from '../support/browser';
import { startServer, type TestServer } from '../support/server';
import { expectAccessible, latinWords, screenshots, signIn } from '../support/ui';

interface Entity {
  id: string;
  fields: { key: string; label: string; type: string; settings: Record<string, unknown> }[];
}

function contextFor(browser: Browser, baseURL: string, locale: 'en-US' | 'zh-CN'): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale, timezoneId: 'UTC', viewport: { width: 1440, height: 900 } });
}

/** Drags with the mouse in small steps (dnd-kit's pointer sensor needs real moves past its 5 px threshold). */
async function drag(page: Page, from: Locator, to: Locator, at: 'end' | 'middle' = 'middle'): Promise<void> {
  await to.scrollIntoViewIfNeeded();
  // Both boxes after the scroll: scrolling the target into view may move the source too.
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 10, { steps: 3 });
  // 'end': the container's own bottom padding, below its last part (appends); 'middle': onto a part (goes before it).
  await page.mouse.move(b.x + b.width / 2, at === 'end' ? b.y + b.height - 3 : b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

const canvas = (page: Page) => page.getByRole('group', { name: /^(Form|表单)$/ });
const part = (page: Page, label: string) => canvas(page).locator(`[data-node-id][aria-label="${label}"]`);
const canvasOrder = (page: Page) =>
  canvas(page)
    .locator('[data-node-id]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));

async function selectOption(page: Page, label: string, option: string): Promise<void> {
  const select = page.getByLabel(label, { exact: true });
  await select.click();
  // The option list is virtual: in a searchable select, type to bring the option into it.
  if (await select.isEditable().catch(() => false)) await select.fill(option);
  await page.locator('.ant-select-dropdown:visible').getByText(option, { exact: true }).click();
}

describe('form designer', () => {
  let server: TestServer;
  let browser: Browser;
  let api: SeedApi;
  let appId: string;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    api = await signInApi(server);
    appId = (await api.request<{ id: string }>('POST', '/apps', { key: 'sales', name: 'Sales' })).id;
    await api.request('POST', `/apps/${appId}/entities`, { key: 'customers', name: 'Customers', fields: [{ key: 'name', label: 'Name', type: 'text' }] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('designs a form by dragging, publishes it, fills the preview, and is refused a type change the data does not fit', async () => {
    const context = await contextFor(browser, server.baseUrl, 'en-US');
    const page = await context.newPage();
    await signIn(page, server);
    await page.goto(`/apps/${appId}`);
    await page.getByRole('button', { name: 'New entity' }).click();
    const dialog = page.getByRole('dialog', { name: 'New entity' });
    await dialog.getByLabel('Name').fill('Orders');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Form designer: Orders' }).waitFor();
    const entityId = new URL(page.url()).pathname.split('/')[4]!;
    await expectAccessible(page, 'designer (empty)');
    await screenshots(page, 'designer-empty', 'en');

    // Nine field types dragged from the palette onto the canvas, in order.
    const types = ['Single-line text', 'Number', 'Dropdown', 'Date', 'Switch', 'Email', 'Rating', 'Relation', 'Subform'];
    // One at a time: the canvas grows with each drop, so the next drop is aimed at its new end.
    for (const type of types) {
      await drag(page, page.getByRole('button', { name: `Add ${type}`, exact: true }), canvas(page), 'end');
      await part(page, type).waitFor();
    }
    // Every type landed once (the order of drops at the canvas's end can shift by one when the
    // page auto-scrolls under the pointer; reordering is checked below with the keyboard and a drag).
    expect((await canvasOrder(page)).slice().sort()).toEqual(
      ['f:single_line_text', 'f:number', 'f:dropdown', 'f:date', 'f:switch', 'f:email', 'f:rating', 'f:relation', 'f:subform'].sort(),
    );

    // The subform takes two child fields by drag.
    const columns = page.getByRole('group', { name: 'Columns of Subform' });
    await drag(page, page.getByRole('button', { name: 'Add Single-line text', exact: true }), columns, 'end');
    await drag(page, page.getByRole('button', { name: 'Add Number', exact: true }), columns, 'end');
    await columns.getByText('Number').waitFor();

    // A relation to the second entity.
    await part(page, 'Relation').click();
    await selectOption(page, 'Related entity', 'Customers');
    // A drag reorders: Email goes before Single-line text.
    await drag(page, part(page, 'Email'), part(page, 'Single-line text'));
    await expect.poll(async () => (await canvasOrder(page))[0]).toBe('f:email');
    await page.getByText('All changes saved').waitFor();
    await expectAccessible(page, 'designer (fields)');
    await screenshots(page, 'designer-fields', 'en');

    // The draft survives a reload.
    await page.reload();
    await part(page, 'Subform').waitFor();
    expect((await canvasOrder(page)).length).toBe(9);

    // Publish: the dialog lists what is added; nothing changes until confirmed.
    await page.getByRole('button', { name: 'Publish' }).click();
    let publish = page.getByRole('dialog', { name: 'Publish the form' });
    await publish.getByText('Added:').waitFor();
    await expectAccessible(page, 'publish dialog');
    await screenshots(page, 'designer-publish', 'en');
    expect((await api.request<Entity>('GET', `/entities/${entityId}`)).fields).toEqual([]);
    await publish.getByRole('button', { name: 'Publish' }).click();
    const done = page.getByRole('dialog', { name: 'Published as version 1' });
    await done.waitFor();
    await done.getByRole('button', { name: 'OK' }).click();
    const entity = await api.request<Entity>('GET', `/entities/${entityId}`);
    expect(entity.fields.map((f) => f.key)).toEqual(['email', 'single_line_text', 'number', 'dropdown', 'date', 'switch', 'rating', 'relation', 'subform']);
    expect(entity.fields.find((f) => f.key === 'subform')!.settings.fields).toHaveLength(2);

    // The live preview renders the form with the same widgets staff get; fill it in.
    await page.getByRole('tab', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByLabel('Single-line text').first().fill('First order');
    await preview.getByLabel('Number').first().fill('42');
    expect(await preview.getByLabel('Single-line text').first().inputValue()).toBe('First order');
    await preview.getByText('Phone', { exact: true }).first().click();
    await expectAccessible(page, 'preview');
    await screenshots(page, 'designer-preview', 'en');
    await page.getByRole('tab', { name: 'Form' }).click();

    // Records holding non-numbers refuse text → number, listing the rows.
    for (const v of ['12', 'twelve', 'n/a']) await api.request('POST', `/entities/${entityId}/records`, { single_line_text: v });
    await part(page, 'Single-line text').click();
    await selectOption(page, 'Type', 'Number');
    await page.getByText('All changes saved').waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    publish = page.getByRole('dialog', { name: 'Publish the form' });
    await publish.getByText('Refused').waitFor();
    await publish.getByText(/single_line_text: 2 records do not fit the new type \(records \d+, \d+\)/).waitFor();
    expect(await publish.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    await screenshots(page, 'designer-refused', 'en');
    await publish.getByRole('button', { name: 'Cancel' }).click();
    expect((await api.request<Entity>('GET', `/entities/${entityId}`)).fields.find((f) => f.key === 'single_line_text')!.type).toBe('text');
    await selectOption(page, 'Type', 'Single-line text');

    // Keyboard alone: add (Enter on the palette), move (Alt+↑), delete (Delete); undo brings it back.
    await page.getByRole('button', { name: 'Add Phone' }).focus();
    await page.keyboard.press('Enter');
    await part(page, 'Phone').waitFor();
    expect((await canvasOrder(page)).at(-1)).toBe('f:phone');
    await part(page, 'Phone').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(async () => (await canvasOrder(page)).at(-2)).toBe('f:phone');
    await part(page, 'Phone').focus();
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await canvasOrder(page)).includes('f:phone')).toBe(false);
    await page.keyboard.press('Control+z');
    await part(page, 'Phone').waitFor();
    await context.close();
  }, 300_000);

  it('shows a conflict with a reload when another admin saved first', async () => {
    const entity = await api.request<{ id: string }>('POST', `/apps/${appId}/entities`, {
      key: 'tickets',
      name: 'Tickets',
      fields: [{ key: 'subject', label: 'Subject', type: 'text' }],
    });
    const context = await contextFor(browser, server.baseUrl, 'en-US');
    const page = await context.newPage();
    await signIn(page, server);
    await page.goto(`/apps/${appId}/entities/${entity.id}/design`);
    await part(page, 'Subject').waitFor();
    // Another admin saves in between.
    const other = await api.request<{ revision: number; document: unknown }>('GET', `/entities/${entity.id}/form/design`);
    await api.request('PUT', `/entities/${entity.id}/form/design`, { revision: other.revision, document: other.document });
    await page.getByRole('button', { name: 'Add Email' }).click();
    await page.getByRole('alert').getByText('Someone else saved this form').waitFor();
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.getByText('All changes saved').waitFor();
    expect(await canvasOrder(page)).toEqual(['f:subject']);
    await context.close();
  });

  it('speaks Chinese throughout in zh-CN', async () => {
    const context = await contextFor(browser, server.baseUrl, 'zh-CN');
    const page = await context.newPage();
    await signIn(page, server);
    const entities = await api.request<{ items: { id: string; name: string }[] }>('GET', `/apps/${appId}/entities`);
    const orders = entities.items.find((e) => e.name === 'Orders')!;
    await page.goto(`/apps/${appId}/entities/${orders.id}/design`);
    await page.getByRole('heading', { name: '表单设计：Orders' }).waitFor();
    await part(page, 'Subform').click();
    const allowed = [
      'My workspace',
      'English',
      'Orders',
      'Sales',
      'Customers',
      'Tickets',
      'Single-line text',
      'Number',
      'Dropdown',
      'Date',
      'Switch',
      'Email',
      'Rating',
      'Relation',
      'Subform',
      'Phone',
      'Option',
      'admin@example.com',
      'subform',
      'Admin',
    ];
    expect(await latinWords(page, allowed)).toEqual([]);
    await expectAccessible(page, 'designer zh-CN');
    await screenshots(page, 'designer-fields', 'zh-CN');
    await context.close();
  });

  it('stacks a two-column section to one column on a phone-width screen, in both languages', async () => {
    const fields = [
      { key: 'first_name', label: 'First name', type: 'text' },
      { key: 'last_name', label: 'Last name', type: 'text' },
    ];
    const two = await api.request<{ id: string }>('POST', `/apps/${appId}/entities`, { key: 'two_cols', name: 'Two columns', fields });
    const draft = await api.request<{ revision: number }>('GET', `/entities/${two.id}/form/design`);
    await api.request('PUT', `/entities/${two.id}/form/design`, {
      revision: draft.revision,
      document: {
        fields,
        form: {
          layout: [{ type: 'section', id: 'names', title: 'Names', columns: 2, children: fields.map((f) => ({ type: 'field', key: f.key })) }],
          fields: {},
        },
      },
    });
    for (const [locale, lang] of [
      ['en-US', 'en'],
      ['zh-CN', 'zh-CN'],
    ] as const) {
      const context = await contextFor(browser, server.baseUrl, locale);
      const page = await context.newPage();
      await signIn(page, server);
      await page.goto(`/apps/${appId}/entities/${two.id}/design`);
      const first = part(page, 'First name');
      const last = part(page, 'Last name');
      await last.waitFor();
      const side = async () => [(await first.boundingBox())!, (await last.boundingBox())!] as const;
      let [a, b] = await side();
      expect(b.x).toBeGreaterThan(a.x + a.width / 2); // side by side at 1440 px
      await screenshots(page, 'designer-two-columns', lang);
      await page.setViewportSize({ width: 375, height: 812 });
      await expect.poll(async () => Math.round((await last.boundingBox())!.x - (await first.boundingBox())!.x)).toBe(0);
      [a, b] = await side();
      expect(b.y).toBeGreaterThanOrEqual(a.y + a.height); // stacked, each the full width
      expect(a.width).toBeGreaterThan(250);
      await context.close();
    }
  });

  // WEB_DIST=<dir> makes the API serve another web build (the A/B baseline; see apps/api/src/common/config.ts).
  it('measures a 200-field form: open, property edit, reorder (figures in docs/performance.md)', async () => {
    // Multi-line text (TEXT columns): 130 single-line VARCHAR columns pass MySQL's 64 KB row size.
    const fields = Array.from({ length: 200 }, (_, i) => ({ key: `f_${i + 1}`, label: `Field ${i + 1}`, type: i % 3 === 0 ? 'number' : 'textarea' }));
    const big = await api.request<{ id: string }>('POST', `/apps/${appId}/entities`, { key: 'big', name: 'Big', fields });
    const context = await contextFor(browser, server.baseUrl, 'en-US');
    const page = await context.newPage();
    await signIn(page, server);
    await page.goto(`/apps/${appId}`);
    await page.evaluate(`(() => {
      window.__frames = [];
      window.__events = [];
      new PerformanceObserver((l) => window.__frames.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'long-animation-frame', buffered: false });
      new PerformanceObserver((l) => window.__events.push(...l.getEntries().map((e) => ({ name: e.name, duration: e.duration })))).observe({ type: 'event', durationThreshold: 16, buffered: false });
    })()`);
    // Client-side navigation, so the observers stay: the designer chunk loads, the document comes, the canvas paints.
    await page.evaluate(`history.pushState({}, '', '/apps/${appId}/entities/${big.id}/design'); dispatchEvent(new PopStateEvent('popstate'))`);
    await part(page, 'Field 200').waitFor();
    await page.waitForFunction(`performance.getEntriesByName('designer:open-to-ready').length > 0`);
    const open = (await page.evaluate(`performance.getEntriesByName('designer:open-to-ready')[0].duration`)) as number;

    await part(page, 'Field 100').click();
    const label = page.getByLabel('Label', { exact: true });
    await label.press('End');
    await page.evaluate('window.__events = []');
    // DESIGNER_PERF_PROFILE=prefix: CPU profiles of the edit and the reorder (build the web app unminified to read them).
    const profile = await profiler(page);
    const before = await profile.metrics();
    await profile.trace();
    await label.pressSequentially(' edited', { delay: 30 });
    await profile.saveTrace('edit');
    const editSpent = profile.spent(before, await profile.metrics());
    await profile.save('edit');
    const edits = (await page.evaluate(
      `window.__events.filter((e) => ['keydown', 'keypress', 'keyup', 'input', 'beforeinput'].includes(e.name)).map((e) => e.duration)`,
    )) as number[];
    const edit = Math.max(0, ...edits);

    await page.evaluate('window.__frames = []');
    await profile.start();
    const beforeMove = await profile.metrics();
    await profile.trace();
    await part(page, 'Field 100 edited').focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('Alt+ArrowDown');
    await drag(page, part(page, 'Field 3'), part(page, 'Field 1'));
    await page.waitForTimeout(300);
    await profile.saveTrace('reorder');
    const moveSpent = profile.spent(beforeMove, await profile.metrics());
    await profile.save('reorder');
    console.log(`designer main thread: edit ${editSpent}; reorder ${moveSpent}`);
    const frames = (await page.evaluate('window.__frames')) as number[];
    const longest = Math.max(0, ...frames);
    console.log(
      `designer, 200 fields: open ${open.toFixed(0)} ms; property edit input-to-paint max ${edit.toFixed(0)} ms (events over 16 ms: ${edits.length}); reorder longest animation frame ${longest.toFixed(0)} ms (frames over 50 ms: ${frames.filter((f) => f > 50).length})`,
    );
    expect((await canvasOrder(page)).length).toBe(200);
    await context.close();
  });
});

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'toplevel',
  'blink.user_timing',
  'v8.execute',
  'v8',
  'blink',
  'cc',
  'gpu',
  'latencyInfo',
];

/**
 * Starts a CPU profile when DESIGNER_PERF_PROFILE names a file prefix; `save` writes `<prefix>-<name>.cpuprofile`.
 * DESIGNER_PERF_TRACE=prefix: `trace` … `saveTrace` writes a Chromium trace (`<prefix>-<name>.json`, for
 * DevTools' Performance panel: paint, layout, GC and script per frame).
 */
async function profiler(page: Page) {
  const prefix = process.env.DESIGNER_PERF_PROFILE;
  const tracePrefix = process.env.DESIGNER_PERF_TRACE;
  const browser = page.context().browser()!;
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  const cdp = prefix ? session : null;
  type Metrics = Record<string, number>;
  const start = async () => {
    if (cdp) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
  };
  await start();
  return {
    start,
    /** Chromium's own main-thread counters (seconds, counts). */
    metrics: async (): Promise<Metrics> => Object.fromEntries((await session.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])),
    spent: (a: Metrics, b: Metrics) =>
      ['Task', 'Script', 'Layout', 'RecalcStyle'].map((k) => `${k} ${((b[`${k}Duration`]! - a[`${k}Duration`]!) * 1000).toFixed(0)} ms`).join(', ') +
      `, style recalcs ${b.RecalcStyleCount! - a.RecalcStyleCount!}`,
    trace: async () => {
      if (tracePrefix) await browser.startTracing(page, { screenshots: false, categories: TRACE_CATEGORIES });
    },
    saveTrace: async (name: string) => {
      if (tracePrefix) writeFileSync(`${tracePrefix}-${name}.json`, await browser.stopTracing());
    },
    save: async (name: string) => {
      if (!cdp) return;
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(`${prefix}-${name}.cpuprofile`, JSON.stringify(profile));
    },
  };
}
