// Decimal arithmetic on BigInt-scaled integers, so money adds up as written (0.1 + 0.2 = 0.3)
// and every engine (node, any browser) computes the same digits: BigInt is exact, and the final
// Number(text) conversion is correctly rounded by the ECMAScript spec.

/** `coefficient × 10^-scale`; scale ≥ 0. */
export interface Decimal {
  readonly coefficient: bigint;
  readonly scale: number;
}

export const DECIMAL_PRECISION = {
  /** + − × are exact; every computed number is then rounded half away from zero to this many places. */
  maxScale: 20,
  /** / (and AVERAGE, negative POWER exponents) round half away from zero to this many places. */
  divisionScale: 10,
} as const;

export type RoundingMode = 'half-away' | 'away' | 'toward-zero' | 'floor';

const ZERO: Decimal = { coefficient: 0n, scale: 0 };
const POWERS: bigint[] = [];

function pow10(exponent: number): bigint {
  if (exponent < 64) return (POWERS[exponent] ??= 10n ** BigInt(exponent));
  return 10n ** BigInt(exponent);
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** Exact decimal of a finite number's shortest round-trip text (String(n)). */
export function decimalFromNumber(value: number): Decimal {
  if (Number.isSafeInteger(value)) return { coefficient: BigInt(value), scale: 0 };
  // Without text for the usual few places: the smallest s with round(value·10^s) / 10^s ===
  // value is the number of places of String(value) (the same shortcut as @crm/schema's
  // shortDecimalPlaces; this folder stays free of imports so browsers bundle it alone).
  for (let s = 1; s <= 15; s += 1) {
    const scaled = value * POWERS_OF_TEN[s]!;
    if (!(Math.abs(scaled) < 2 ** 50)) break;
    const coefficient = Math.round(scaled);
    if (coefficient / POWERS_OF_TEN[s]! === value) return { coefficient: BigInt(coefficient), scale: s };
  }
  const text = String(value);
  // Fast path for the usual "123.45" form: the shortest text has no trailing zeros to strip.
  const point = text.indexOf('.');
  if (point > 0 && text.indexOf('e') < 0) {
    return { coefficient: BigInt(text.slice(0, point) + text.slice(point + 1)), scale: text.length - point - 1 };
  }
  const parsed = decimalFromString(text);
  if (parsed === undefined) throw new RangeError(`Not a finite number: ${value}`);
  return parsed;
}

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Decimal of a plain or exponent number text ("12.50", "-1e-7"), or undefined. */
export function decimalFromString(text: string): Decimal | undefined {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (m === null) return undefined;
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) return undefined;
  const fraction = m[3] ?? '';
  let coefficient = BigInt(m[2]! + fraction);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    coefficient *= pow10(-scale);
    scale = 0;
  }
  if (m[1] === '-') coefficient = -coefficient;
  return normalize({ coefficient, scale });
}

/** Drops trailing zero decimals: 1.50 → 1.5. */
export function normalize(value: Decimal): Decimal {
  let { coefficient, scale } = value;
  if (coefficient === 0n) return ZERO;
  while (scale > 0 && coefficient % 10n === 0n) {
    coefficient /= 10n;
    scale -= 1;
  }
  return { coefficient, scale };
}

/** Plain decimal text without exponent: 1e21 → "1000000000000000000000". */
export function decimalToString(value: Decimal): string {
  const { coefficient, scale } = normalize(value);
  const digits = abs(coefficient).toString();
  const sign = coefficient < 0n ? '-' : '';
  if (scale === 0) return sign + digits;
  const padded = digits.padStart(scale + 1, '0');
  return `${sign}${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
}

/** Nearest double (correctly rounded); Infinity when out of range, never -0. */
export function decimalToNumber(value: Decimal): number {
  if (value.coefficient === 0n) return 0;
  if (value.scale === 0 && abs(value.coefficient) <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value.coefficient);
  return Number(decimalToString(value));
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.coefficient, b.coefficient, a.scale];
  if (a.scale > b.scale) return [a.coefficient, b.coefficient * pow10(a.scale - b.scale), a.scale];
  return [a.coefficient * pow10(b.scale - a.scale), b.coefficient, b.scale];
}

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return normalize({ coefficient: x + y, scale });
}

export function subtractDecimals(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return normalize({ coefficient: x - y, scale });
}

export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return normalize({ coefficient: a.coefficient * b.coefficient, scale: a.scale + b.scale });
}

export function negateDecimal(a: Decimal): Decimal {
  return { coefficient: -a.coefficient, scale: a.scale };
}

export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isZero(a: Decimal): boolean {
  return a.coefficient === 0n;
}

export function isInteger(a: Decimal): boolean {
  return normalize(a).scale === 0;
}

/** Integer division of coefficients rounded by `mode`. */
function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  let quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const negative = numerator < 0n !== denominator < 0n;
  const step = negative ? -1n : 1n;
  switch (mode) {
    case 'toward-zero':
      break;
    case 'away':
      quotient += step;
      break;
    case 'floor':
      if (negative) quotient -= 1n;
      break;
    case 'half-away':
      if (2n * abs(remainder) >= abs(denominator)) quotient += step;
      break;
  }
  return quotient;
}

/**
 * Rounds to `places` decimals (negative: to tens, hundreds, …). 'half-away' is ROUND,
 * 'away' ROUNDUP, 'toward-zero' ROUNDDOWN, 'floor' rounds toward −∞.
 */
export function roundDecimal(value: Decimal, places: number, mode: RoundingMode): Decimal {
  if (value.scale <= places) return normalize(value);
  if (places >= 0) {
    const coefficient = divideRounded(value.coefficient, pow10(value.scale - places), mode);
    return normalize({ coefficient, scale: places });
  }
  const coefficient = divideRounded(value.coefficient, pow10(value.scale - places), mode);
  return { coefficient: coefficient * pow10(-places), scale: 0 };
}

/** a / b rounded half away from zero to `places` decimals; undefined when b is zero. */
export function divideDecimals(a: Decimal, b: Decimal, places: number = DECIMAL_PRECISION.divisionScale): Decimal | undefined {
  if (b.coefficient === 0n) return undefined;
  // a/b = (ca · 10^sb) / (cb · 10^sa); scale the numerator so the quotient has `places` decimals.
  const shift = places + b.scale - a.scale;
  let numerator = a.coefficient;
  let denominator = b.coefficient;
  if (shift >= 0) numerator *= pow10(shift);
  else denominator *= pow10(-shift);
  return normalize({ coefficient: divideRounded(numerator, denominator, 'half-away'), scale: places });
}

/** a − b·floor(a/b): the result has the sign of b (as MOD in spreadsheets); undefined when b is zero. */
export function modDecimals(a: Decimal, b: Decimal): Decimal | undefined {
  if (b.coefficient === 0n) return undefined;
  const [x, y, scale] = align(a, b);
  let remainder = x % y;
  if (remainder !== 0n && remainder < 0n !== y < 0n) remainder += y;
  return normalize({ coefficient: remainder, scale });
}

/** Number of decimal digits of |coefficient|. */
export function digitCount(value: bigint): number {
  return value === 0n ? 1 : abs(value).toString().length;
}

/** Exact powers cost digits × exponent; beyond this the power is computed to POWER_DIGITS significant digits. */
const EXACT_POWER_DIGITS = 2000;
const POWER_DIGITS = 60;

/**
 * base^exponent for an integer exponent, or undefined when |result| would pass 10^400 (the
 * caller reports it out of range). Exact when small; otherwise square-and-multiply keeping 60
 * significant digits, which is still deterministic on every engine. Negative exponents divide
 * (see DECIMAL_PRECISION.divisionScale); 0^negative is undefined too: check zero first.
 */
export function powerDecimal(base: Decimal, exponent: bigint): Decimal | undefined {
  if (exponent === 0n) return { coefficient: 1n, scale: 0 };
  if (base.coefficient === 0n) return exponent > 0n ? ZERO : undefined;
  const b = normalize(base);
  const magnitude = abs(exponent);
  // log10 |base^e| estimated in floating point only to refuse the hopeless; the margin is wide.
  const log10 =
    (Math.log10(Number(abs(b.coefficient).toString().slice(0, 17))) + digitCount(b.coefficient) - Math.min(17, digitCount(b.coefficient)) - b.scale) *
    Number(exponent);
  if (log10 > 400) return undefined;
  if (log10 < -400) return ZERO;
  let positive: Decimal;
  if (digitCount(b.coefficient) * Number(magnitude) <= EXACT_POWER_DIGITS) {
    positive = { coefficient: b.coefficient ** magnitude, scale: b.scale * Number(magnitude) };
  } else {
    positive = approximatePower(b, magnitude);
  }
  if (exponent > 0n) return roundDecimal(positive, DECIMAL_PRECISION.maxScale, 'half-away');
  return divideDecimals({ coefficient: 1n, scale: 0 }, positive);
}

/** A value with a possibly negative scale, for intermediate results of approximatePower. */
interface Scaled {
  coefficient: bigint;
  scale: number;
}

function truncateDigits(value: Scaled): Scaled {
  const extra = digitCount(value.coefficient) - POWER_DIGITS;
  if (extra <= 0) return value;
  return { coefficient: divideRounded(value.coefficient, pow10(extra), 'half-away'), scale: value.scale - extra };
}

function approximatePower(base: Decimal, exponent: bigint): Decimal {
  let result: Scaled = { coefficient: 1n, scale: 0 };
  let square: Scaled = truncateDigits(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = truncateDigits({ coefficient: result.coefficient * square.coefficient, scale: result.scale + square.scale });
    e >>= 1n;
    if (e > 0n) square = truncateDigits({ coefficient: square.coefficient * square.coefficient, scale: square.scale * 2 });
  }
  if (result.scale >= 0) return result;
  return { coefficient: result.coefficient * pow10(-result.scale), scale: 0 };
}
