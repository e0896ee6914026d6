// Decimal handling on the shortest round-trip representation (String(n)), never on binary
// float arithmetic: 0.1 + 0.2 is 0.30000000000000004 and must count as 17 decimals, while
// 1.005 has 3 decimals even though 1.005 * 100 is 100.49999999999999.

/** Splits String(n) into sign, integer digits and fraction digits, expanding exponents. */
function decimalParts(value: number): { negative: boolean; int: string; frac: string } {
  const text = String(value);
  const negative = text.startsWith('-');
  const unsigned = negative ? text.slice(1) : text;
  const [mantissa, expText] = unsigned.split('e');
  const exp = expText === undefined ? 0 : Number(expText);
  const [intPart, fracPart = ''] = mantissa.split('.');
  let digits = intPart + fracPart;
  let point = intPart.length + exp;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  return { negative, int, frac };
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact doubles up to 1e22
/** Scaled values stay below this, so value·10^s is an exact integer's neighbour (error < 1/8). */
const SCALED_LIMIT = 2 ** 50;

/**
 * Decimal places of String(value) when they are at most `max` (≤ 22), found without building
 * text; undefined when there are more (or the value is too large to tell this way). The
 * smallest s with round(value·10^s) / 10^s === value: that decimal round-trips to `value`, and
 * the shortest round-trip text cannot have fewer places (property-tested against the text).
 */
export function shortDecimalPlaces(value: number, max: number): number | undefined {
  for (let s = 0; s <= max; s++) {
    const scaled = value * POWERS_OF_TEN[s]!;
    if (!(Math.abs(scaled) < SCALED_LIMIT)) return undefined;
    if (Math.round(scaled) / POWERS_OF_TEN[s]! === value) return s;
  }
  return undefined;
}

/** Number of decimal places in the shortest decimal representation of a finite number. */
export function decimalPlacesOf(value: number): number {
  if (Number.isInteger(value)) return 0;
  return shortDecimalPlaces(value, 15) ?? decimalParts(value).frac.length;
}

/**
 * A finite number rounded to `scale` places half away from zero on its decimal representation:
 * Number(formatDecimal({ value, scale })), without text when its places are few (≤ 15) and it
 * is small enough: the rounding is done on the exact integer value·10^places.
 */
export function roundToPlaces(value: number, scale: number): number {
  const places = scale <= 15 ? shortDecimalPlaces(value, 15) : undefined;
  if (places === undefined) return Number(formatDecimal({ value, scale }));
  if (places <= scale) return value + 0;
  const integer = Math.round(value * POWERS_OF_TEN[places]!); // exact: below 2^50
  const divisor = POWERS_OF_TEN[places - scale]!;
  const magnitude = Math.abs(integer);
  let kept = Math.trunc(magnitude / divisor);
  if ((magnitude - kept * divisor) * 2 >= divisor) kept += 1;
  return (integer < 0 ? -kept : kept) / POWERS_OF_TEN[scale]! + 0;
}

/** Adds one to a string of decimal digits. */
function incrementDigits(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] === '9') {
      chars[i] = '0';
    } else {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
  }
  return '1' + chars.join('');
}

/**
 * Formats a finite number with exactly `scale` fraction digits, rounding half away from zero
 * on its decimal representation (as MySQL does for DECIMAL), e.g. 12.5 scale 2 → '12.50'.
 */
export function formatDecimal(args: { value: number; scale: number }): string {
  const { value, scale } = args;
  // Already within `scale` places (s of them): toFixed(s) picks the integer nearest value·10^s,
  // which is exactly the decimal's digits; then zeros up to `scale`.
  const places = scale <= 22 ? shortDecimalPlaces(value, Math.min(scale, 15)) : undefined;
  if (places !== undefined) return value.toFixed(places) + (places === 0 && scale > 0 ? '.' : '') + '0'.repeat(scale - places);
  const { negative, int, frac } = decimalParts(value);
  let kept = int + frac.slice(0, scale).padEnd(scale, '0');
  if (frac.length > scale && Number(frac[scale]) >= 5) kept = incrementDigits(kept);
  const intDigits = kept.slice(0, kept.length - scale).replace(/^0+(?=\d)/, '') || '0';
  const fracDigits = kept.slice(kept.length - scale);
  const isZero = /^0*$/.test(intDigits + fracDigits);
  const sign = negative && !isZero ? '-' : '';
  return sign + intDigits + (scale > 0 ? '.' + fracDigits : '');
}
