import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDecimals,
  decimalFromNumber,
  decimalFromString,
  decimalToNumber,
  decimalToString,
  divideDecimals,
  modDecimals,
  multiplyDecimals,
  powerDecimal,
  roundDecimal,
  type Decimal,
} from './decimal';
import { evaluateFormula } from './evaluator';
import { parseFormulaOrThrow } from './parser';

const now = new Date('2026-03-18T10:00:00Z');
function formula(text: string, values: Record<string, unknown>): unknown {
  const result = evaluateFormula({ ast: parseFormulaOrThrow({ text }), values, now });
  if (!result.ok) throw new Error(`${text}: ${result.code}`);
  return result.value;
}

/** Reference decimal: integer `units` of 10^-scale, as plain BigInt arithmetic. */
interface Ref {
  units: bigint;
  scale: number;
}
const pow10 = (n: number) => 10n ** BigInt(n);
const refText = ({ units, scale }: Ref) => {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return (negative ? '-' : '') + text;
};
const refNumber = (ref: Ref) => Number(refText(ref));
const rescale = (ref: Ref, scale: number): bigint => ref.units * pow10(scale - ref.scale);
/** Half away from zero, as the formula language rounds. */
function roundHalfAway(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const [n, d] = [numerator < 0n ? -numerator : numerator, denominator < 0n ? -denominator : denominator];
  const q = (2n * n + d) / (2n * d);
  return negative ? -q : q;
}

/** Decimals whose text has at most `digits` significant digits, so the double holds them exactly. */
const refArb = (digits: number, maxScale: number) =>
  fc
    .record({ units: fc.bigInt({ min: -(pow10(digits) - 1n), max: pow10(digits) - 1n }), scale: fc.integer({ min: 0, max: maxScale }) })
    .filter((ref) => refText(ref).replace(/[-.]/g, '').replace(/^0+/, '').length <= 15);

describe('decimal arithmetic', () => {
  it('has no binary float surprises', () => {
    expect(formula('a + b', { a: 0.1, b: 0.2 })).toBe(0.3);
    expect(formula('a * 3', { a: 1.1 })).toBe(3.3);
    expect(formula('a - b', { a: 0.3, b: 0.1 })).toBe(0.2);
    expect(formula('a * 100', { a: 1.005 })).toBe(100.5);
    expect(formula('ROUND(a, 2)', { a: 1.005 })).toBe(1.01);
    expect(formula('SUM(items.x)', { items: [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }] })).toBe(0.6);
  });

  it('converts numbers exactly, exponent forms included', () => {
    expect(decimalToString(decimalFromNumber(1e21))).toBe('1000000000000000000000');
    expect(decimalToString(decimalFromNumber(-1.5e-7))).toBe('-0.00000015');
    expect(decimalToString(decimalFromNumber(5e-324))).toBe(`0.${'0'.repeat(323)}5`);
    expect(decimalFromString('12.500')).toEqual({ coefficient: 125n, scale: 1 });
    expect(decimalFromString('1e-3')).toEqual({ coefficient: 1n, scale: 3 });
    expect(decimalFromString('abc')).toBeUndefined();
    expect(Object.is(decimalToNumber(decimalFromString('-0.000')!), 0)).toBe(true);
  });

  it('rounds + − × to 20 places and ÷ to 10 places, half away from zero', () => {
    const d = (text: string) => decimalFromString(text)!;
    expect(formula('a * b', { a: 1e-11, b: 1.5e-11 })).toBe(0);
    expect(formula('a * b', { a: 1e-10, b: 1.5e-10 })).toBe(2e-20);
    expect(decimalToString(multiplyDecimals(d('0.0000000001'), d('0.00000000015')))).toBe('0.000000000000000000015');
    expect(decimalToString(divideDecimals(d('2'), d('3'))!)).toBe('0.6666666667');
    expect(decimalToString(divideDecimals(d('-2'), d('3'))!)).toBe('-0.6666666667');
    expect(divideDecimals(d('1'), d('0'))).toBeUndefined();
    expect(decimalToString(roundDecimal(d('-2.5'), 0, 'half-away'))).toBe('-3');
    expect(decimalToString(roundDecimal(d('-2.5'), 0, 'floor'))).toBe('-3');
    expect(decimalToString(roundDecimal(d('2.5'), 0, 'floor'))).toBe('2');
    expect(decimalToString(roundDecimal(d('1250'), -2, 'half-away'))).toBe('1300');
    expect(decimalToString(modDecimals(d('-7.5'), d('2'))!)).toBe('0.5');
    expect(decimalToString(powerDecimal(d('1.5'), 3n)!)).toBe('3.375');
    expect(powerDecimal(d('10'), 401n)).toBeUndefined();
    expect(decimalToString(addDecimals(d('0.1'), d('-0.1')))).toBe('0');
  });

  it('+, − and × agree with a BigInt reference', () => {
    fc.assert(
      fc.property(refArb(14, 6), refArb(14, 6), (a, b) => {
        const scale = Math.max(a.scale, b.scale);
        const sum: Ref = { units: rescale(a, scale) + rescale(b, scale), scale };
        const difference: Ref = { units: rescale(a, scale) - rescale(b, scale), scale };
        const values = { a: refNumber(a), b: refNumber(b) };
        expect(formula('a + b', values)).toBe(refNumber(sum));
        expect(formula('a - b', values)).toBe(refNumber(difference));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(refArb(7, 4), refArb(7, 4), (a, b) => {
        const product: Ref = { units: a.units * b.units, scale: a.scale + b.scale };
        expect(formula('a * b', { a: refNumber(a), b: refNumber(b) })).toBe(refNumber(product));
      }),
      { numRuns: 1000 },
    );
  });

  it('÷, ROUND and MOD agree with a BigInt reference', () => {
    fc.assert(
      fc.property(
        refArb(12, 6),
        refArb(8, 4).filter((b) => b.units !== 0n),
        fc.integer({ min: -3, max: 8 }),
        (a, b, places) => {
          const values = { a: refNumber(a), b: refNumber(b) };
          // a / b = (a.units · 10^b.scale) / (b.units · 10^a.scale), to 10 places.
          const quotient: Ref = { units: roundHalfAway(a.units * pow10(b.scale + 10), b.units * pow10(a.scale)), scale: 10 };
          expect(formula('a / b', values)).toBe(refNumber(quotient));
          const rounded: Ref =
            places >= a.scale
              ? a
              : places >= 0
                ? { units: roundHalfAway(a.units, pow10(a.scale - places)), scale: places }
                : { units: roundHalfAway(a.units, pow10(a.scale - places)) * pow10(-places), scale: 0 };
          expect(formula(`ROUND(a, ${places})`, values)).toBe(refNumber(rounded));
          const scale = Math.max(a.scale, b.scale);
          const [x, y] = [rescale(a, scale), rescale(b, scale)];
          let remainder = x % y;
          if (remainder !== 0n && remainder < 0n !== y < 0n) remainder += y;
          expect(formula('MOD(a, b)', values)).toBe(refNumber({ units: remainder, scale }));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('every result is the double nearest to the exact decimal, for any finite inputs', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e150, max: 1e150 });
    fc.assert(
      fc.property(finite, finite, (a, b) => {
        const [x, y] = [decimalFromNumber(a), decimalFromNumber(b)];
        const rounded = (exact: Decimal) => decimalToNumber(roundDecimal(exact, 20, 'half-away'));
        expect(formula('a + b', { a, b })).toBe(rounded(addDecimals(x, y)));
        const exactProduct = rounded(multiplyDecimals(x, y));
        const product = evaluateFormula({ ast: parseFormulaOrThrow({ text: 'a * b' }), values: { a, b }, now });
        expect(product).toEqual(
          Number.isFinite(exactProduct) ? { ok: true, value: exactProduct } : expect.objectContaining({ ok: false, code: 'FORMULA_OUT_OF_RANGE' }),
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('decimalFromNumber without text', () => {
  it('gives the decimal of String(value) for values of every shape', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 100),
          fc.tuple(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: 0, max: 15 })).map(([n, k]) => n / 10 ** k),
          fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1e6, max: 1e6 })).map(([a, b]) => a / 100 + b / 1000),
        ),
        (value) => {
          const expected = decimalFromString(String(value))!;
          expect(decimalFromNumber(value)).toEqual(expected);
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

describe('+ − × on plain numbers (fast path) agree with decimal arithmetic', () => {
  const exact = (op: '+' | '-' | '*', a: number, b: number): number => {
    const [x, y] = [decimalFromString(String(a))!, decimalFromString(String(b))!];
    const r = op === '+' ? addDecimals(x, y) : op === '*' ? multiplyDecimals(x, y) : addDecimals(x, { coefficient: -y.coefficient, scale: y.scale });
    return decimalToNumber(roundDecimal(r, 20, 'half-away'));
  };
  it('gives the correctly rounded exact result', () => {
    const value = fc.oneof(
      fc.integer({ min: -1e7, max: 1e7 }).map((n) => n / 100),
      fc.tuple(fc.integer({ min: -(2 ** 45), max: 2 ** 45 }), fc.integer({ min: 0, max: 12 })).map(([n, k]) => n / 10 ** k),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
      fc.constant(0),
      fc.constant(-0),
    );
    fc.assert(
      fc.property(value, value, fc.constantFrom('+', '-', '*'), (a, b, op) => {
        const got = formula(`a ${op} b`, { a, b });
        expect(Object.is(got, exact(op as '+', a, b) + 0)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});
