import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formulaCases, runFormulaCase, type FormulaCase } from '../../packages/rules/src/testing/formula-cases';
import { launchBrowser } from '../support/browser';
import { buildFormulaBundle } from '../support/formula-bundle';

/** What crosses from the page: plain JSON, so node's side is compared in the same form. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

describe('formula evaluation in a real browser bundle', () => {
  let browser: Browser;
  let bundle: string;

  beforeAll(async () => {
    [bundle, browser] = await Promise.all([buildFormulaBundle(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    if (bundle) await rm(dirname(dirname(bundle)), { recursive: true, force: true });
  });

  it('gives the same AST, canonical text and value as node for every shared case', async () => {
    // A zone and locale unlike the server's: formulas must not depend on either.
    const context = await browser.newContext({ timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });
    const page = await context.newPage();
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: bundle });
    const userAgent = await page.evaluate(() => (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent);
    expect(userAgent).toContain('Chrome');

    const cases = formulaCases();
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const inBrowser = (await page.evaluate(
      (all: FormulaCase[]) => (globalThis as unknown as { runFormulaCases: (c: FormulaCase[]) => unknown[] }).runFormulaCases(all),
      cases,
    )) as unknown[];
    expect(inBrowser).toHaveLength(cases.length);
    const differing = cases
      .map((testCase, index) => ({ name: testCase.name, text: testCase.text, node: asJson(runFormulaCase(testCase)), browser: inBrowser[index] }))
      .filter(({ node, browser: fromBrowser }) => JSON.stringify(node) !== JSON.stringify(fromBrowser));
    expect(differing).toEqual([]);
    await context.close();
  });
});
