import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh context with a fixed locale and time zone so formatted numbers and dates are predictable. */
export function newContext({
  browser,
  baseURL,
  storageState,
}: {
  browser: Browser;
  baseURL: string;
  /** Cookies of a session signed in elsewhere (a context with an empty cache but signed in). */
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>;
}): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 800 }, storageState });
}
