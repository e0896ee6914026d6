import { decimalFromNumber, decimalToNumber, isInteger, isZero, powerDecimal, roundDecimal, type RoundingMode } from '../decimal';
import { divideByZero, fromDecimal, FormulaFault, invalid, outOfRange, toDecimal, toInteger, type RuntimeValue } from '../runtime';

// Rounding and powers of MATH_FUNCTIONS (math.functions.ts).

export function digitsArg(value: unknown): number | FormulaFault {
  const digits = toInteger(value ?? 0);
  if (digits instanceof FormulaFault) return digits;
  return digits < -20 || digits > 20 ? invalid('The number of digits must be between -20 and 20') : digits;
}

export function rounding(mode: RoundingMode) {
  return ([value, places]: readonly unknown[]): RuntimeValue => {
    const number = toDecimal(value);
    if (number instanceof FormulaFault) return number;
    const digits = digitsArg(places);
    return digits instanceof FormulaFault ? digits : fromDecimal(roundDecimal(number, digits, mode));
  };
}

export function power(baseValue: unknown, exponentValue: unknown): RuntimeValue {
  const base = toDecimal(baseValue);
  if (base instanceof FormulaFault) return base;
  const exponent = toDecimal(exponentValue);
  if (exponent instanceof FormulaFault) return exponent;
  if (isZero(base) && exponent.coefficient < 0n) return divideByZero('0 cannot be raised to a negative power');
  if (isInteger(exponent)) {
    const result = powerDecimal(base, roundDecimal(exponent, 0, 'toward-zero').coefficient);
    return result === undefined ? outOfRange('The power is too large') : fromDecimal(result);
  }
  if (base.coefficient < 0n) return invalid('A negative number has no fractional power');
  // Fractional exponents go through floating point; rounding to 10 places hides the last-bit
  // differences engines may have in Math.pow.
  const approximate = Math.pow(decimalToNumber(base), decimalToNumber(exponent));
  if (!Number.isFinite(approximate)) return outOfRange('The power is too large');
  return fromDecimal(roundDecimal(decimalFromNumber(approximate), 10, 'half-away'));
}
