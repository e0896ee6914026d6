import { describe, expect, it } from 'vitest';
import { decimalPlacesOf, formatDecimal, roundToPlaces } from './decimal';

describe('decimalPlacesOf', () => {
  it.each([
    [0, 0],
    [12, 0],
    [12.5, 1],
    [1.005, 3],
    [0.1 + 0.2, 17],
    [1.5e-7, 8],
    [-0.25, 2],
    [1e21, 0],
  ])('%s has %s decimal places', (value, places) => {
    expect(decimalPlacesOf(value)).toBe(places);
  });
});

describe('formatDecimal', () => {
  it.each([
    [12.5, 2, '12.50'],
    [0.1 + 0.2, 2, '0.30'],
    [0.1 + 0.2, 10, '0.3000000000'],
    [1.005, 2, '1.01'],
    [9.995, 2, '10.00'],
    [-9.995, 2, '-10.00'],
    [-0.001, 2, '0.00'],
    [0.5, 0, '1'],
    [123, 0, '123'],
    [1e21, 2, '1000000000000000000000.00'],
    [1.5e-7, 8, '0.00000015'],
    [-1234.5678, 4, '-1234.5678'],
  ])('%s with scale %s is %s', (value, scale, text) => {
    expect(formatDecimal({ value, scale })).toBe(text);
  });
});

/** The text route everything must agree with: places and digits of String(value). */
function placesFromText(value: number): number {
  const [mantissa, exp = '0'] = String(Math.abs(value)).split('e');
  const frac = (mantissa!.split('.')[1] ?? '').length;
  return Math.max(0, frac - Number(exp));
}

describe('decimal shortcuts agree with the text of the number', () => {
  // Values of every shape a form sends or a formula makes: money, rates, measured floats, sums
  // with binary noise, tiny and huge magnitudes, and numbers at the edge of a power of ten.
  const samples: number[] = [];
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 48271) + 11) >>> 0) / 2 ** 32;
  for (let i = 0; i < 20_000; i++) {
    const k = i % 8;
    const sign = i % 3 === 0 ? -1 : 1;
    if (k === 0) samples.push((sign * Math.round(random() * 1e9)) / 100);
    else if (k === 1) samples.push(sign * random() * 10 ** Math.floor(random() * 20 - 8));
    else if (k === 2) samples.push(sign * (Math.round(random() * 1e4) / 100 + Math.round(random() * 1e4) / 100));
    else if (k === 3) samples.push((sign * Math.round(random() * 1e15)) / 10 ** Math.floor(random() * 16));
    else if (k === 4) samples.push(sign * (1 - 10 ** -Math.floor(random() * 17)) * 10 ** Math.floor(random() * 12));
    else if (k === 5) samples.push((sign * Math.round(random() * 2 ** 53)) / 10 ** Math.floor(random() * 8));
    else if (k === 6) samples.push(sign * (0.1 * Math.floor(random() * 100)) * 3);
    else samples.push(sign * Number((random() * 1000).toPrecision(1 + Math.floor(random() * 17))));
  }

  it('decimalPlacesOf is the decimal places of String(value)', () => {
    for (const value of samples) expect([value, decimalPlacesOf(value)]).toEqual([value, placesFromText(value)]);
  });

  it('formatDecimal of a value within its scale writes exactly its digits', () => {
    for (const value of samples) {
      const places = placesFromText(value);
      for (const scale of [places, places + 1, places + 3]) {
        if (scale > 22) continue;
        const shortest = String(value);
        if (shortest.includes('e')) continue;
        const [int, frac = ''] = shortest.replace('-', '').split('.');
        const sign = value < 0 && /[1-9]/.test(shortest) ? '-' : '';
        const expected = sign + int + (scale > 0 ? '.' + frac.padEnd(scale, '0') : '');
        expect([value, scale, formatDecimal({ value, scale })]).toEqual([value, scale, expected]);
      }
    }
  });
});

describe('roundToPlaces', () => {
  it.each([
    [1.005, 2, 1.01],
    [-1.005, 2, -1.01],
    [2.5, 0, 3],
    [-2.5, 0, -3],
    [0.1 + 0.2, 2, 0.3],
    [-0.004, 2, 0],
    [12.345678901, 4, 12.3457],
    [1e21, 2, 1e21],
  ])('%s to %s places is %s', (value, scale, expected) => {
    expect(Object.is(roundToPlaces(value, scale), expected)).toBe(true);
  });

  it('is Number(formatDecimal(value, scale)) for values of every shape', () => {
    let seed = 11;
    const random = () => (seed = (Math.imul(seed, 48271) + 7) >>> 0) / 2 ** 32;
    for (let i = 0; i < 30_000; i++) {
      const value = ((random() < 0.5 ? -1 : 1) * Math.round(random() * 10 ** Math.floor(random() * 14))) / 10 ** Math.floor(random() * 12);
      const scale = Math.floor(random() * 8);
      expect([value, scale, roundToPlaces(value, scale)]).toEqual([value, scale, Number(formatDecimal({ value, scale })) + 0]);
    }
  });
});
