import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ARTIFACTS } from './ui';

/**
 * A call of the API with the signed-in page's own session (its cookie and CSRF token), for what a
 * journey sets up or checks without driving the UI. A non-2xx answer throws with its body.
 */
export async function call<T>(page: Page, method: 'GET' | 'POST' | 'PATCH', path: string, data?: unknown, multipart = false): Promise<T> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'csrf')?.value ?? '';
  const body = data === undefined ? {} : multipart ? { multipart: data as never } : { data };
  const res = await page.request.fetch(`/api${path}`, { method, headers: { 'X-CSRF-Token': csrf }, ...body });
  if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

/** antd's open Select popup (its options are drawn there, outside the form). */
export const popup = (page: Page): Locator => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');

/** The text an antd Select shows (its chosen items), found by its combobox's name. */
export const selectText = (scope: Locator, name: string): Promise<string> =>
  scope
    .locator('.ant-select')
    .filter({ has: scope.page().getByRole('combobox', { name }) })
    .first()
    .innerText();

/** 1440 and 375 px like `screenshots`, waiting for a drawer to take its phone width (it animates to it). */
export async function drawerShots(page: Page, name: string, lang: string): Promise<void> {
  const before = page.viewportSize();
  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    await page.waitForTimeout(700);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${lang}-${width}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}
