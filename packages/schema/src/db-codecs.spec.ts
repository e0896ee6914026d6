import { describe, expect, it } from 'vitest';
import { booleanCodec, dateCodec, dateTimeCodec, decimalCodec, jsonListCodec, refCodec, stringCodec } from './db-codecs';
import { formatDecimal } from './decimal';
import { SchemaError } from './errors';

describe('null handling', () => {
  it.each([stringCodec, booleanCodec, jsonListCodec, dateCodec, dateTimeCodec, refCodec])('maps null/undefined to null both ways', (codec) => {
    for (const value of [null, undefined]) {
      expect(codec.toDb(value, {})).toBeNull();
      expect(codec.fromDb(value, {})).toBeNull();
    }
  });
});

describe('decimalCodec', () => {
  const settings = { precision: 2 };
  it('writes exactly the scale digits from the decimal representation', () => {
    expect(decimalCodec.toDb(12.5, settings)).toBe('12.50');
    expect(decimalCodec.toDb(0.1 + 0.2, settings)).toBe('0.30');
    expect(decimalCodec.toDb(1.005, settings)).toBe('1.01');
    expect(decimalCodec.toDb(-3, { precision: 0 })).toBe('-3');
    expect(decimalCodec.toDb(0.1 + 0.2, { precision: 10 })).toBe('0.3000000000');
  });

  it('reads strings (padded to the column scale) and numbers as numbers', () => {
    expect(decimalCodec.fromDb('12.5000000000', settings)).toBe(12.5);
    expect(decimalCodec.fromDb('0.3000000000', settings)).toBe(0.3);
    expect(decimalCodec.fromDb(7.25, settings)).toBe(7.25);
    expect(decimalCodec.fromDb('-0.0100', settings)).toBe(-0.01);
  });

  it('writes what formatDecimal writes, for random values of every magnitude and scale', () => {
    let seed = 42;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const samples: number[] = [
      0,
      -0,
      1e21,
      -1e21,
      2 ** 53,
      2 ** 53 + 2,
      0.1 + 0.2,
      1.005,
      1.015,
      2.675,
      -1.005,
      1e-7,
      5e-324,
      123456789012.345,
      4503599627370495.5,
    ];
    for (let i = 0; i < 10_000; i++) {
      const digits = Math.floor(random() * 8);
      const magnitude = 10 ** Math.floor(random() * 18 - 3);
      const v = Math.round(random() * magnitude * 10 ** digits) / 10 ** digits;
      samples.push(random() < 0.5 ? -v : v, random() * magnitude, -random() * magnitude);
    }
    const differ: string[] = [];
    for (const value of samples) {
      for (const precision of [0, 1, 2, 3, 4, 6, 10, 15, 16]) {
        const got = decimalCodec.toDb(value, { precision });
        const want = formatDecimal({ value, scale: precision });
        if (got !== want) differ.push(`${value} at ${precision}: ${got} ≠ ${want}`);
      }
    }
    expect(differ.slice(0, 10)).toEqual([]);
  });

  it('round-trips', () => {
    for (const value of [0, 12.5, -99.99, 0.07, 123456789.12]) {
      expect(decimalCodec.fromDb(decimalCodec.toDb(value, settings), settings)).toBe(value);
    }
  });

  it('refuses what is not a finite number', () => {
    expect(() => decimalCodec.toDb('12', settings)).toThrow(SchemaError);
    expect(() => decimalCodec.toDb(Number.NaN, settings)).toThrow(SchemaError);
    expect(() => decimalCodec.fromDb('abc', settings)).toThrow(SchemaError);
    expect(() => decimalCodec.fromDb('', settings)).toThrow(SchemaError);
  });
});

describe('booleanCodec', () => {
  it('stores 0/1 and reads ints, strings, bigints and booleans', () => {
    expect(booleanCodec.toDb(true, {})).toBe(1);
    expect(booleanCodec.toDb(false, {})).toBe(0);
    expect([1, '1', 1n, true].map((raw) => booleanCodec.fromDb(raw, {}))).toEqual([true, true, true, true]);
    expect([0, '0', 0n, false].map((raw) => booleanCodec.fromDb(raw, {}))).toEqual([false, false, false, false]);
    expect(() => booleanCodec.fromDb(2, {})).toThrow(SchemaError);
    expect(() => booleanCodec.toDb('true', {})).toThrow(SchemaError);
  });
});

describe('jsonListCodec', () => {
  it('writes JSON text and reads text or an already parsed array', () => {
    expect(jsonListCodec.toDb(['a', 'b'], {})).toBe('["a","b"]');
    expect(jsonListCodec.fromDb('["a","b"]', {})).toEqual(['a', 'b']);
    expect(jsonListCodec.fromDb(['a'], {})).toEqual(['a']);
    expect(() => jsonListCodec.fromDb('{"a":1}', {})).toThrow(SchemaError);
    expect(() => jsonListCodec.fromDb('not json', {})).toThrow(SchemaError);
    expect(() => jsonListCodec.toDb('a', {})).toThrow(SchemaError);
  });
});

describe('dateCodec', () => {
  it('passes YYYY-MM-DD through', () => {
    expect(dateCodec.toDb('2026-11-23', {})).toBe('2026-11-23');
    expect(dateCodec.fromDb('2026-11-23', {})).toBe('2026-11-23');
    expect(dateCodec.fromDb(new Date(2026, 10, 23), {})).toBe('2026-11-23');
    expect(() => dateCodec.toDb('23/11/2026', {})).toThrow(SchemaError);
  });
});

describe('dateTimeCodec', () => {
  it.each([
    ['2026-11-23T08:30:00Z', '2026-11-23 08:30:00.000'],
    ['2026-11-23T08:30:00.123Z', '2026-11-23 08:30:00.123'],
    ['2026-11-23T08:30:00.1234567Z', '2026-11-23 08:30:00.123'],
    ['2026-11-23T08:30:00+08:00', '2026-11-23 00:30:00.000'],
    ['2026-11-23T02:30:00+08:00', '2026-11-22 18:30:00.000'],
    ['2026-12-31T22:00:00-05:30', '2027-01-01 03:30:00.000'],
    ['2026-11-23t08:30:00z', '2026-11-23 08:30:00.000'],
    ['2026-11-23T08:30:00+0800', '2026-11-23 00:30:00.000'],
    ['2024-03-01T01:00:00+02:00', '2024-02-29 23:00:00.000'],
  ])('stores %s as %s in UTC', (value, stored) => {
    expect(dateTimeCodec.toDb(value, {})).toBe(stored);
  });

  it('reads the stored form back as ISO 8601 with Z', () => {
    expect(dateTimeCodec.fromDb('2026-11-23 00:30:00.000', {})).toBe('2026-11-23T00:30:00.000Z');
    expect(dateTimeCodec.fromDb('2026-11-23 00:30:00', {})).toBe('2026-11-23T00:30:00.000Z');
    expect(dateTimeCodec.fromDb('2026-11-23T00:30:00.5Z', {})).toBe('2026-11-23T00:30:00.500Z');
    expect(dateTimeCodec.fromDb(new Date(Date.UTC(2026, 10, 23, 0, 30)), {})).toBe('2026-11-23T00:30:00.000Z');
  });

  it('round-trips an instant with an offset to the same instant in UTC', () => {
    const stored = dateTimeCodec.toDb('2026-11-23T08:30:15.250+08:00', {});
    const read = dateTimeCodec.fromDb(stored, {}) as string;
    expect(read).toBe('2026-11-23T00:30:15.250Z');
    expect(Date.parse(read)).toBe(Date.parse('2026-11-23T08:30:15.250+08:00'));
  });

  it('refuses missing zones and impossible dates', () => {
    expect(() => dateTimeCodec.toDb('2026-11-23T08:30:00', {})).toThrow(SchemaError);
    expect(() => dateTimeCodec.toDb('2026-02-30T08:30:00Z', {})).toThrow(SchemaError);
    expect(() => dateTimeCodec.fromDb('yesterday', {})).toThrow(SchemaError);
  });
});

describe('refCodec', () => {
  it('reads ids returned as number, string or bigint', () => {
    expect(refCodec.toDb(42, {})).toBe(42);
    expect(refCodec.fromDb('42', {})).toBe(42);
    expect(refCodec.fromDb(42n, {})).toBe(42);
    expect(() => refCodec.toDb(0, {})).toThrow(SchemaError);
    expect(() => refCodec.toDb(1.5, {})).toThrow(SchemaError);
  });
});

/** Small deterministic PRNG (mulberry32) so the randomized round trips are reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('randomized round trips', () => {
  it('decimals with at most `scale` places survive toDb/fromDb exactly', () => {
    const next = random(42);
    for (let i = 0; i < 5000; i++) {
      const scale = Math.floor(next() * 5);
      const value = Number(((next() - 0.5) * 10 ** Math.floor(next() * 12)).toFixed(scale));
      const stored = decimalCodec.toDb(value, { precision: scale }) as string;
      expect(stored).toMatch(scale === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${scale}}$`));
      expect(decimalCodec.fromDb(stored, { precision: scale })).toBe(value === 0 ? 0 : value);
    }
  });

  it('date-times with any offset keep their instant', () => {
    const next = random(7);
    const two = (n: number) => String(n).padStart(2, '0');
    for (let i = 0; i < 2000; i++) {
      const millis = Math.floor(next() * Date.UTC(2100, 0, 1));
      const offset = Math.floor(next() * 27 - 12) * 60 + (next() < 0.2 ? 30 : 0);
      const local = new Date(millis + offset * 60_000).toISOString().slice(0, -1);
      const sign = offset < 0 ? '-' : '+';
      const iso = `${local}${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
      const read = dateTimeCodec.fromDb(dateTimeCodec.toDb(iso, {}), {});
      expect(read).toBe(new Date(millis).toISOString());
    }
  });
});

describe('dateTimeCodec fast path', () => {
  it('stores UTC date-times exactly as the general path does, impossible ones refused alike', () => {
    let seed = 7;
    const random = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const two = (n: number) => String(n).padStart(2, '0');
    const differ: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const year = [0, 4, 99, 100, 1900, 2000, 2024, 2026, 9999][random(9)] + (random(3) === 0 ? random(50) : 0);
      const frac = ['', '.5', '.12', '.123', '.1234567'][random(5)];
      const text = `${String(Math.min(year, 9999)).padStart(4, '0')}-${two(random(14))}-${two(random(33))}${random(8) ? 'T' : 't'}${two(random(25))}:${two(random(61))}:${two(random(62))}${frac}${random(8) ? 'Z' : 'z'}`;
      const viaGeneral = (() => {
        try {
          // The general path: the same instant written with an explicit +00:00 offset.
          return dateTimeCodec.toDb(text.slice(0, -1) + '+00:00', {});
        } catch {
          return 'refused';
        }
      })();
      const got = (() => {
        try {
          return dateTimeCodec.toDb(text, {});
        } catch {
          return 'refused';
        }
      })();
      if (got !== viaGeneral) differ.push(`${text}: ${got} ≠ ${viaGeneral}`);
    }
    expect(differ.slice(0, 10)).toEqual([]);
  });
});
