import { AxeBuilder } from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Screenshots land here (gitignored); CI keeps the folder as an artifact. */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url));

export async function signIn(page: Page, { email, password }: { email: string; password: string }): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel(/^(Email|邮箱)$/).fill(email);
  await page.getByLabel(/^(Password|密码)$/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** axe-core over the whole page: no serious or critical violation (the names are in the message when one is found). */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  // A menu, dialog or button still fading or changing colour has half-transparent text: axe would
  // report its colour contrast. Stop CSS transitions and animations (what is measured is the end
  // state), and let two frames pass so that the page is painted in it.
  // The pointer is moved off the page first, so no hover colour is measured either.
  await page.mouse.move(0, 0);
  // Let running enter/leave motions (antd's rc-motion: a dropdown closing after Escape) end first:
  // stopping one midway leaves it in its "-leave-active" state for good, a closed option list
  // that axe then reads as an unnamed listbox.
  await page
    .waitForFunction(`!document.querySelector('[class*="-leave-active"], [class*="-enter-active"], [class*="-appear-active"]')`, null, { timeout: 3000 })
    .catch(() => undefined);
  const still = await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
  const results = await new AxeBuilder({ page }).analyze();
  await still.evaluate((tag) => (tag as unknown as { remove(): void }).remove());
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe on ${where}`,
  ).toEqual([]);
}

/** The page at 1440 px and 375 px wide, named `<name>-<lang>-<width>.png`; the viewport is restored after. */
export async function screenshots(page: Page, name: string, lang: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  const before = page.viewportSize();
  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.waitForTimeout(150); // let antd's responsive observers settle
    // …and the transitions a new width starts (a drawer growing or shrinking to it) end.
    await page.waitForFunction(`document.getAnimations().every((a) => a.playState !== 'running')`, null, { timeout: 2000 }).catch(() => undefined);
    const shot = (timeout: number) => page.screenshot({ path: join(ARTIFACTS, `${name}-${lang}-${width}.png`), fullPage: true, timeout });
    // Chromium's capture now and then never answers (microsoft/playwright#28995; once in a CI run
    // here, on a page that shot fine the run before): one more try after a pause, then the failure.
    await shot(15_000).catch(async (err: unknown) => {
      if (!(err instanceof Error) || err.name !== 'TimeoutError') throw err;
      await page.waitForTimeout(500);
      await shot(30_000);
    });
  }
  if (before) await page.setViewportSize(before);
}

/**
 * Words of Latin letters in the visible text of the page (plus accessible names of controls),
 * after taking out what users typed (`allowed`): in zh-CN there must be none.
 */
export async function latinWords(page: Page, allowed: string[]): Promise<string[]> {
  const text = await page.evaluate(() => {
    // Runs in the page; e2e's tsconfig has no DOM lib.
    const document = (globalThis as unknown as { document: any }).document;
    const labels = [...(document.querySelectorAll('[aria-label],[title],[placeholder]') as Iterable<any>)]
      // antd's own icons carry English names ("close", "down"); they are decoration next to a labelled control.
      .filter((el: any) => !el.closest('[aria-hidden="true"]') && !el.classList.contains('anticon'))
      .map((el: any) => [el.getAttribute('aria-label'), el.getAttribute('title'), el.getAttribute('placeholder')].filter(Boolean).join(' '));
    return `${document.body.innerText}\n${labels.join('\n')}`;
  });
  let rest = text;
  for (const phrase of allowed) rest = rest.split(phrase).join(' ');
  return [...new Set(rest.match(/[A-Za-z]{2,}/g) ?? [])];
}
