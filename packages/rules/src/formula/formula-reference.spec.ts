import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { formulaReferenceMarkdown, REFERENCE_END, REFERENCE_START } from '../testing/formula-reference';

const DOC = join(__dirname, '../../../../docs/formula-reference.md');

it('docs/formula-reference.md lists every function as the registry documents it', () => {
  let doc = readFileSync(DOC, 'utf8');
  if (process.env.UPDATE_FORMULA_REFERENCE === '1' && !doc.includes(REFERENCE_END)) doc += `${REFERENCE_START}\n${REFERENCE_END}\n`;
  const start = doc.indexOf(REFERENCE_START.slice(0, 25));
  const end = doc.indexOf(REFERENCE_END);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  const current = doc.slice(start, end + REFERENCE_END.length);
  const generated = formulaReferenceMarkdown();
  if (process.env.UPDATE_FORMULA_REFERENCE === '1' && current !== generated) {
    writeFileSync(DOC, doc.slice(0, start) + generated + doc.slice(end + REFERENCE_END.length));
    return;
  }
  expect(current).toBe(generated);
});
