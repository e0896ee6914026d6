/*
 * Property tests: printing an AST gives text that parses back to the same AST, with keys and
 * with labels (Chinese, spaces, braces, backslashes), for random canonical formula ASTs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormulaAst } from './ast';
import { FORMULA_FUNCTION_DEFINITIONS } from './functions';
import { parseFormulaOrThrow } from './parser';
import { printFormula } from './printer';

const KEYS = ['amount', 'qty', '_x1', 'sum', 'IF', 'Total', 'a_b_c', 'trueish'];
const COLUMNS = ['items.qty', 'items.price', 'lines.sku'];

const number = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.constantFrom(0.1, 0.2, 1e21, -1e-7, 5e-324, Number.MAX_VALUE, -Number.MAX_SAFE_INTEGER),
);
const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\u0000', '\u2028', '客', '😀', '\ud800', 'e', ' '), maxLength: 6 }),
);
const leaf: fc.Arbitrary<FormulaAst> = fc.oneof(
  number,
  text,
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...KEYS, ...COLUMNS).map((key) => ({ var: key })),
);

const FUNCTIONS = Object.values(FORMULA_FUNCTION_DEFINITIONS);

/** Canonical ASTs: what the parser can produce (variadic operators with ≥ 2 operands, etc.). */
const { ast: astArb } = fc.letrec<{ ast: FormulaAst }>((tie) => {
  const sub = tie('ast');
  const args = (min: number, max: number) => fc.array(sub, { minLength: min, maxLength: max });
  return {
    ast: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(fc.constantFrom('+', '*', 'cat'), args(2, 4)).map(([op, list]) => ({ [op]: list })),
      fc.tuple(fc.constantFrom('-', '/', '==', '!=', '<', '<=', '>', '>='), args(2, 2)).map(([op, list]) => ({ [op]: list })),
      args(1, 1).map((list) => ({ '-': list })),
      fc.tuple(fc.constantFrom(...FUNCTIONS), fc.nat({ max: 3 })).chain(([definition, extra]) => {
        const max = Math.min(definition.maxArgs, definition.minArgs + extra + (definition.argsInPairs ? extra : 0));
        const count = definition.argsInPairs ? definition.minArgs + 2 * Math.floor((max - definition.minArgs) / 2) : max;
        return args(count, count).map((list) => ({ [definition.name]: list }));
      }),
    ),
  };
});

/** A bijection between keys and labels that need escaping or are not ASCII. */
const LABELS = new Map<string, string>([
  ['amount', '金额'],
  ['qty', 'Qty {each}'],
  ['_x1', 'back\\slash'],
  ['items', '订单 明细'],
  ['lines', '}'],
  ['price', '单价'],
]);
const labelOf = (key: string) => LABELS.get(key);
const resolveLabel = (label: string) => [...LABELS].find(([, l]) => l === label)?.[0];

describe('parse(print(ast)) deep-equals ast', () => {
  it('with keys', () => {
    fc.assert(
      fc.property(astArb, (ast) => {
        const text = printFormula({ ast });
        expect(parseFormulaOrThrow({ text })).toEqual(ast);
        // Printing is canonical: printing the parsed text again gives the same text.
        expect(printFormula({ ast: parseFormulaOrThrow({ text }) })).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('with labels', () => {
    fc.assert(
      fc.property(astArb, (ast) => {
        const text = printFormula({ ast, labelOf });
        expect(parseFormulaOrThrow({ text, resolveLabel })).toEqual(ast);
      }),
      { numRuns: 1000 },
    );
  });

  it('parse(text) either fails with a FormulaError or round-trips, for random text', () => {
    const alphabet = fc.constantFrom(
      '1',
      '2',
      '.',
      'e',
      '+',
      '-',
      '*',
      '/',
      '&',
      '=',
      '<',
      '>',
      '(',
      ')',
      ',',
      '"',
      'a',
      'b',
      ' ',
      'SUM',
      'IF',
      '{金额}',
      'items.qty',
      'true',
      '\\',
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 20 }).map((parts) => parts.join('')),
        (text) => {
          let ast: FormulaAst;
          try {
            ast = parseFormulaOrThrow({ text, resolveLabel });
          } catch (error) {
            expect((error as Error).name).toBe('FormulaError');
            return;
          }
          expect(parseFormulaOrThrow({ text: printFormula({ ast }) })).toEqual(ast);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
