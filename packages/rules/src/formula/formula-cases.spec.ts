import { describe, expect, it } from 'vitest';
import { formulaCases, runFormulaCase } from '../testing/formula-cases';
import { parseFormulaOrThrow } from './parser';
import { printFormula } from './printer';

// The same cases run in a real browser in e2e/tests/formula-browser.spec.ts.
const cases = formulaCases();

describe('shared formula cases (node side of the browser equivalence test)', () => {
  it('has at least 200 cases, random ones included', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(cases.filter((c) => c.expected === undefined).length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases.filter((c) => c.expected !== undefined).map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const { outcome } = runFormulaCase(testCase);
    expect('value' in outcome ? { value: outcome.value } : { error: outcome.error }).toEqual(testCase.expected);
  });

  it('random cases parse, print back to their text and evaluate without throwing', () => {
    const outcomes = new Map<string, number>();
    for (const testCase of cases.filter((c) => c.expected === undefined)) {
      const run = runFormulaCase(testCase);
      expect(run.printed, testCase.text).toBe(testCase.text);
      expect(parseFormulaOrThrow({ text: printFormula({ ast: run.ast }) })).toEqual(run.ast);
      const key = 'value' in run.outcome ? 'ok' : run.outcome.error;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    // Mostly values: the generator writes well-typed formulas over realistic values.
    expect(outcomes.get('ok') ?? 0).toBeGreaterThan(150);
  });
});
