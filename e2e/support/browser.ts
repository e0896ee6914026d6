import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh context with a fixed locale and time zone so formatted numbers and dates are predictable. */
export function newContext({ browser, baseURL }: { browser: Browser; baseURL: string }): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 800 } });
}
