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

/** Number of decimal places in the shortest decimal representation of a finite number. */
export function decimalPlacesOf(value: number): number {
  if (Number.isInteger(value)) return 0;
  return decimalParts(value).frac.length;
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
  const { negative, int, frac } = decimalParts(value);
  let kept = int + frac.slice(0, scale).padEnd(scale, '0');
  if (frac.length > scale && Number(frac[scale]) >= 5) kept = incrementDigits(kept);
  const intDigits = kept.slice(0, kept.length - scale).replace(/^0+(?=\d)/, '') || '0';
  const fracDigits = kept.slice(kept.length - scale);
  const isZero = /^0*$/.test(intDigits + fracDigits);
  const sign = negative && !isZero ? '-' : '';
  return sign + intDigits + (scale > 0 ? '.' + fracDigits : '');
}
