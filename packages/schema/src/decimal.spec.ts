import { describe, expect, it } from 'vitest';
import { decimalPlacesOf, formatDecimal } from './decimal';

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
